"""The public pages of the warranty app, on each organization's portal."""

from django.urls import path

from aftercare.warranty import public_views

app_name = "warranty_public"
urlpatterns = [
    path("", public_views.warranty_check_view, name="check"),
]

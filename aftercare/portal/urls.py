from django.urls import path

from aftercare.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
]

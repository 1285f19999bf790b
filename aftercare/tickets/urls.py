from django.urls import path

from aftercare.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("requests/new/", views.ticket_create_view, name="create"),
]

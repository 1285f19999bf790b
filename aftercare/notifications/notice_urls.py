"""Each member's own notices: the bell's menu, the list of them all, marking them read."""

from django.urls import path

from aftercare.notifications import bell_views as views

app_name = "notices"
urlpatterns = [
    path("", views.notices_view, name="list"),
    path("bell/", views.bell_view, name="bell"),
    path("read/", views.notices_read_view, name="read"),
    path("<int:console_notice_id>/read/", views.notice_read_view, name="read_one"),
]

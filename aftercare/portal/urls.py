from django.urls import path

from aftercare.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/sent/", views.login_sent_view, name="login_sent"),
    path("login/<str:token>/", views.login_link_view, name="login_link"),
    path("logout/", views.logout_view, name="logout"),
    path("requests/", views.request_list_view, name="request_list"),
    path("requests/new/", views.request_create_view, name="request_create"),
    path("requests/<int:number>/", views.request_detail_view, name="request_detail"),
    path("requests/<int:number>/reply/", views.request_reply_view, name="request_reply"),
    path("requests/<int:number>/confirm/", views.request_confirm_view, name="request_confirm"),
    path(
        "attachments/<int:attachment_id>/",
        views.attachment_download_view,
        name="attachment_download",
    ),
    path("track/", views.track_view, name="track"),
    path("answer/<str:token>/", views.resolution_answer_view, name="resolution_answer"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]

from django.urls import path

from aftercare.messaging.inbound import views

app_name = "inbound"
urlpatterns = [
    path("", views.inbound_list_view, name="list"),
    path("<int:inbound_id>/", views.inbound_detail_view, name="detail"),
    path("<int:inbound_id>/raw/", views.inbound_raw_view, name="raw"),
    path(
        "<int:inbound_id>/reprocess/",
        views.inbound_action_view,
        {"action": "reprocess"},
        name="reprocess",
    ),
    path(
        "<int:inbound_id>/discard/",
        views.inbound_action_view,
        {"action": "discard"},
        name="discard",
    ),
    path("mailboxes/", views.mailbox_list_view, name="mailboxes"),
    path("mailboxes/new/", views.mailbox_create_view, name="mailbox_create"),
    path("mailboxes/<int:mailbox_id>/", views.mailbox_edit_view, name="mailbox_edit"),
    path(
        "mailboxes/<int:mailbox_id>/test/",
        views.mailbox_action_view,
        {"action": "test"},
        name="mailbox_test",
    ),
    path(
        "mailboxes/<int:mailbox_id>/poll/",
        views.mailbox_action_view,
        {"action": "poll"},
        name="mailbox_poll",
    ),
]

from django.urls import path

from aftercare.tickets import views, views_settings

app_name = "tickets"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("requests/new/", views.ticket_create_view, name="create"),
    path("requests/<int:ticket_id>/", views.ticket_detail_view, name="detail"),
    path("requests/<int:ticket_id>/messages/", views.ticket_message_view, name="message"),
    path("requests/<int:ticket_id>/assign/", views.ticket_assign_view, name="assign"),
    path("requests/<int:ticket_id>/status/", views.ticket_status_view, name="status"),
    path(
        "requests/<int:ticket_id>/update/<slug:section>/",
        views.ticket_update_view,
        name="update",
    ),
    path("attachments/<int:attachment_id>/", views.attachment_view, name="attachment"),
    path("settings/teams/", views_settings.team_list_view, name="settings_teams"),
    path("settings/teams/new/", views_settings.team_create_view, name="settings_team_create"),
    path("settings/teams/<int:team_id>/", views_settings.team_edit_view, name="settings_team_edit"),
    path("settings/categories/", views_settings.category_list_view, name="settings_categories"),
    path(
        "settings/categories/new/",
        views_settings.category_create_view,
        name="settings_category_create",
    ),
    path(
        "settings/categories/<int:category_id>/",
        views_settings.category_edit_view,
        name="settings_category_edit",
    ),
]

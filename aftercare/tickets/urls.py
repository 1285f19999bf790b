from django.urls import path

from aftercare.tickets import views, views_routing, views_settings

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
    path("sla/", views_routing.sla_dashboard_view, name="sla"),
    path("presence/", views_routing.presence_view, name="presence"),
    path("settings/routing/", views_routing.routing_list_view, name="settings_routing"),
    path(
        "settings/routing/new/", views_routing.routing_create_view, name="settings_routing_create"
    ),
    path(
        "settings/routing/<int:rule_id>/",
        views_routing.routing_edit_view,
        name="settings_routing_edit",
    ),
    path("settings/agents/", views_routing.agent_list_view, name="settings_agents"),
    path(
        "settings/agents/<int:user_id>/", views_routing.agent_edit_view, name="settings_agent_edit"
    ),
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

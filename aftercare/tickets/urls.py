from django.urls import path, register_converter

from aftercare.tickets import views
from aftercare.tickets.agents import views as agent_views
from aftercare.tickets.escalation import views as escalation_views
from aftercare.tickets.paths import RequestNumberConverter
from aftercare.tickets.productivity import views as productivity_views
from aftercare.tickets.routing import views as routing_views

register_converter(RequestNumberConverter, "request")

app_name = "tickets"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("requests/new/", views.ticket_create_view, name="create"),
    path("requests/<request:number>/", views.ticket_detail_view, name="detail"),
    # For the apps below requests, which know a request by its id only: a redirect.
    path("requests/by-id/<int:ticket_id>/", views.ticket_by_id_view, name="by_id"),
    path("requests/<request:number>/messages/", views.ticket_message_view, name="message"),
    path("requests/<request:number>/assign/", views.ticket_assign_view, name="assign"),
    path("requests/<request:number>/status/", views.ticket_status_view, name="status"),
    path(
        "requests/<request:number>/update/<slug:section>/",
        views.ticket_update_view,
        name="update",
    ),
    path("attachments/<int:attachment_id>/", views.attachment_view, name="attachment"),
    path("bulk/", productivity_views.bulk_view, name="bulk"),
    path("views/", productivity_views.saved_view_create_view, name="saved_view_create"),
    path(
        "views/<int:saved_view_id>/delete/",
        productivity_views.saved_view_delete_view,
        name="saved_view_delete",
    ),
    path(
        "requests/<request:number>/macro/",
        productivity_views.macro_apply_view,
        name="macro_apply",
    ),
    path("canned-answers/", productivity_views.canned_answer_list_view, name="canned_answers"),
    path(
        "canned-answers/<int:canned_answer_id>/",
        productivity_views.canned_answer_edit_view,
        name="canned_answer_edit",
    ),
    path(
        "canned-answers/<int:canned_answer_id>/delete/",
        productivity_views.canned_answer_delete_view,
        name="canned_answer_delete",
    ),
    path("macros/", productivity_views.macro_list_view, name="macros"),
    path("macros/<int:macro_id>/", productivity_views.macro_edit_view, name="macro_edit"),
    path(
        "macros/<int:macro_id>/delete/",
        productivity_views.macro_delete_view,
        name="macro_delete",
    ),
    path("sla/", escalation_views.sla_dashboard_view, name="sla"),
    path("presence/", agent_views.presence_view, name="presence"),
    path("settings/routing/", routing_views.routing_list_view, name="settings_routing"),
    path(
        "settings/routing/new/", routing_views.routing_create_view, name="settings_routing_create"
    ),
    path(
        "settings/routing/<int:rule_id>/",
        routing_views.routing_edit_view,
        name="settings_routing_edit",
    ),
    path("settings/agents/", agent_views.agent_list_view, name="settings_agents"),
    path("settings/agents/<int:user_id>/", agent_views.agent_edit_view, name="settings_agent_edit"),
    path("settings/categories/", views.category_list_view, name="settings_categories"),
    path(
        "settings/categories/new/",
        views.category_create_view,
        name="settings_category_create",
    ),
    path(
        "settings/categories/<int:category_id>/",
        views.category_edit_view,
        name="settings_category_edit",
    ),
]

from django.urls import path

from aftercare.sla import views

app_name = "sla"
urlpatterns = [
    path("sla/calendars/", views.calendar_list_view, name="settings_calendars"),
    path("sla/calendars/new/", views.calendar_create_view, name="settings_calendar_create"),
    path("sla/calendars/<int:calendar_id>/", views.calendar_detail_view, name="settings_calendar"),
    path(
        "sla/calendars/<int:calendar_id>/default/",
        views.calendar_default_view,
        name="settings_calendar_default",
    ),
    path(
        "sla/calendars/<int:calendar_id>/holidays/",
        views.holiday_add_view,
        name="settings_holiday_add",
    ),
    path(
        "sla/calendars/<int:calendar_id>/official-holidays/",
        views.calendar_official_holidays_view,
        name="settings_calendar_official_holidays",
    ),
    path(
        "sla/calendars/<int:calendar_id>/holidays/<int:holiday_id>/",
        views.holiday_edit_view,
        name="settings_holiday_edit",
    ),
    path(
        "sla/calendars/<int:calendar_id>/holidays/<int:holiday_id>/remove/",
        views.holiday_remove_view,
        name="settings_holiday_remove",
    ),
    path(
        "sla/calendars/<int:calendar_id>/overrides/",
        views.override_set_view,
        name="settings_override_set",
    ),
    path(
        "sla/calendars/<int:calendar_id>/overrides/<int:override_id>/remove/",
        views.override_remove_view,
        name="settings_override_remove",
    ),
    path(
        "sla/calendars/<int:calendar_id>/import/",
        views.calendar_import_view,
        name="settings_calendar_import",
    ),
    path("sla/policies/", views.policy_list_view, name="settings_policies"),
    path("sla/policies/new/", views.policy_create_view, name="settings_policy_create"),
    path("sla/policies/<int:policy_id>/", views.policy_edit_view, name="settings_policy_edit"),
    path("escalation/", views.escalation_list_view, name="settings_escalation"),
    path("escalation/new/", views.escalation_create_view, name="settings_escalation_create"),
    path("escalation/<int:rule_id>/", views.escalation_edit_view, name="settings_escalation_edit"),
]

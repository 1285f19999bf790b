"""Every write to the sla app's models: calendars, SLA policies and escalation rules."""

from aftercare.sla.services.calendars import (
    IcsImport,
    calendar_create,
    calendar_import_ics,
    calendar_set_default,
    calendar_set_weekly,
    calendar_update,
    date_override_remove,
    date_override_set,
    holiday_add,
    holiday_remove,
    sla_configuration_bump,
)
from aftercare.sla.services.holidays import (
    OfficialHolidaysAdded,
    calendar_create_from_preset,
    calendar_official_holidays_add,
    holiday_correct,
    official_holidays_top_up,
    official_holidays_years,
)
from aftercare.sla.services.policies import (
    PAUSABLE_STATUSES,
    escalation_rule_create,
    escalation_rule_update,
    sla_policy_create,
    sla_policy_update,
)

__all__ = [
    "PAUSABLE_STATUSES",
    "IcsImport",
    "OfficialHolidaysAdded",
    "calendar_create",
    "calendar_create_from_preset",
    "calendar_import_ics",
    "calendar_official_holidays_add",
    "calendar_set_default",
    "calendar_set_weekly",
    "calendar_update",
    "date_override_remove",
    "date_override_set",
    "escalation_rule_create",
    "escalation_rule_update",
    "holiday_add",
    "holiday_correct",
    "holiday_remove",
    "official_holidays_top_up",
    "official_holidays_years",
    "sla_configuration_bump",
    "sla_policy_create",
    "sla_policy_update",
]

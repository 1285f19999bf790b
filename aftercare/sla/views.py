"""Console settings for business calendars and SLA policies (admins and supervisors)."""

import datetime
import zoneinfo
from functools import cache

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import member_list, team_list
from aftercare.catalog.selectors import product_model_list
from aftercare.console.forms import date_input_value
from aftercare.console.pages import apply_error, console_view, form_data, form_page, render_console
from aftercare.lib.dates import format_date, format_month_day
from aftercare.lib.errors import ApplicationError
from aftercare.sla.forms import (
    WEEKDAYS,
    CalendarCreateForm,
    CalendarEditForm,
    EscalationRuleForm,
    HolidayForm,
    IcsImportForm,
    OverrideForm,
    PolicyForm,
    format_hours,
)
from aftercare.sla.models import DEFAULT_PAUSE_STATUSES, BusinessCalendar, Holiday
from aftercare.sla.selectors import (
    calendar_detail,
    calendar_list,
    calendar_list_detailed,
    escalation_rule_get,
    escalation_rule_list,
    holiday_get,
    sla_policy_get,
    sla_policy_list,
)
from aftercare.sla.services import (
    calendar_create,
    calendar_create_from_preset,
    calendar_import_ics,
    calendar_set_default,
    calendar_set_weekly,
    calendar_update,
    date_override_remove,
    date_override_set,
    holiday_add,
    holiday_remove,
    sla_policy_create,
    sla_policy_update,
)
from aftercare.sla.services.policies import escalation_rule_create, escalation_rule_update

_manager_view = console_view(
    refusal=gettext_lazy("Only admins and supervisors manage calendars and SLA policies."),
)


@cache
def time_zones() -> list[str]:
    """Every IANA zone the server knows, for the time zone field's suggestions."""
    return sorted(zoneinfo.available_timezones())


def holiday_when(holiday: Holiday) -> str:
    """When a holiday falls, in the reader's calendar."""
    if holiday.kind == Holiday.Kind.DATE:
        return format_date(holiday.start_date)
    if holiday.kind == Holiday.Kind.RANGE:
        return _("%(first)s to %(last)s") % {
            "first": format_date(holiday.start_date),
            "last": format_date(holiday.end_date),
        }
    jalali = holiday.kind == Holiday.Kind.YEARLY_JALALI
    when = format_month_day(month=holiday.month, day=holiday.day, jalali=jalali)
    if jalali:
        return _("Every year on %(day)s (Jalali)") % {"day": when}
    return _("Every year on %(day)s") % {"day": when}


def _weekly_initial(calendar: BusinessCalendar) -> dict:
    days: dict[int, list] = {}
    for interval in calendar.working_intervals.all():
        days.setdefault(interval.weekday, []).append((interval.start_time, interval.end_time))
    initial = {"name": calendar.name, "time_zone": calendar.time_zone}
    for weekday, _label in WEEKDAYS:
        initial[f"weekday_{weekday}"] = format_hours(days.get(weekday, []))
    return initial


@_manager_view
def calendar_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organization's calendars, with their weekly hours and how many holidays each has."""
    rows = []
    for calendar in calendar_list_detailed(organization=membership.organization):
        open_days = {interval.weekday for interval in calendar.working_intervals.all()}
        rows.append((calendar, [label for weekday, label in WEEKDAYS if weekday in open_days]))
    context = {"settings_section": "calendars", "calendars": rows}
    return render_console(request, membership, "sla/settings/calendars.html", context)


@_manager_view
def calendar_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new calendar from a country preset, or with its own zone."""
    form = CalendarCreateForm(form_data(request))

    def save() -> HttpResponse:
        data = form.cleaned_data
        if data["preset"]:
            calendar = calendar_create_from_preset(
                organization=membership.organization,
                country=data["preset"],
                name=data["name"] or None,
                is_default=data["is_default"],
            )
        else:
            calendar = calendar_create(
                organization=membership.organization,
                name=data["name"],
                time_zone=data["time_zone"],
                weekly={},
                is_default=data["is_default"],
            )
        messages.success(request, _("Calendar %(name)s created.") % {"name": calendar.name})
        return redirect("sla:settings_calendar", calendar_id=calendar.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="sla/settings/calendar_create.html",
        context={"settings_section": "calendars", "time_zones": time_zones()},
    )


def _render_calendar(
    request: HttpRequest,
    membership: Membership,
    calendar: BusinessCalendar,
    *,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The calendar page with its forms (any submitted one left as it was)."""
    forms = {
        "form": CalendarEditForm(initial=_weekly_initial(calendar)),
        "holiday_form": HolidayForm(initial={"kind": Holiday.Kind.DATE}),
        "override_form": OverrideForm(),
        "import_form": IcsImportForm(),
    }
    forms.update(bound or {})
    holidays = sorted(
        calendar.holidays.all(),
        key=lambda h: (h.kind, h.start_date or datetime.date.min, h.month or 0, h.day or 0, h.pk),
    )
    context = {
        "settings_section": "calendars",
        "calendar": calendar,
        "holidays": [(holiday, holiday_when(holiday)) for holiday in holidays],
        "overrides": [
            (override, format_date(override.date), date_input_value(override.date))
            for override in calendar.date_overrides.all()
        ],
        "time_zones": time_zones(),
        **forms,
    }
    return render_console(request, membership, "sla/settings/calendar.html", context, status=status)


def _back(request: HttpRequest, calendar: BusinessCalendar, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("sla:settings_calendar", calendar_id=calendar.pk)


@_manager_view
def calendar_detail_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """A calendar's zone and weekly hours (saved here), holidays, overrides and import."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    if request.method != "POST":
        return _render_calendar(request, membership, calendar)
    form = CalendarEditForm(request.POST, initial=_weekly_initial(calendar))
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_update(calendar=calendar, name=data["name"], time_zone=data["time_zone"])
            calendar_set_weekly(calendar=calendar, weekly=data["weekly"])
        except ApplicationError as error:
            apply_error(form, error, fields={"weekly": "weekday_0"})
        else:
            return _back(request, calendar, _("Calendar saved."))
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    return _render_calendar(request, membership, calendar, bound={"form": form}, status=422)


@require_POST
@_manager_view
def calendar_default_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """Make this the organization's default calendar."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    calendar_set_default(calendar=calendar)
    return _back(
        request, calendar, _("%(name)s is now the default calendar.") % {"name": calendar.name}
    )


@require_POST
@_manager_view
def holiday_add_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """Add a holiday to the calendar."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday = holiday_add(calendar=calendar, **form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return _back(request, calendar, _("Holiday %(name)s added.") % {"name": holiday.name})
    return _render_calendar(request, membership, calendar, bound={"holiday_form": form}, status=422)


@require_POST
@_manager_view
def holiday_remove_view(
    request: HttpRequest, membership: Membership, calendar_id: int, holiday_id: int
):
    """Remove a holiday from the calendar."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    holiday = holiday_get(calendar=calendar, holiday_id=holiday_id)
    holiday_remove(holiday=holiday)
    return _back(request, calendar, _("Holiday %(name)s removed.") % {"name": holiday.name})


@require_POST
@_manager_view
def override_set_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """Give a date its own hours, or close it."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            date_override_set(
                calendar=calendar, date=data["date"], intervals=data["hours"], note=data["note"]
            )
        except ApplicationError as error:
            apply_error(form, error, fields={"intervals": "hours"})
        else:
            return _back(request, calendar, _("The date's hours were saved."))
    return _render_calendar(
        request, membership, calendar, bound={"override_form": form}, status=422
    )


@require_POST
@_manager_view
def override_remove_view(
    request: HttpRequest, membership: Membership, calendar_id: int, override_id: int
):
    """The date follows its holidays and weekly hours again."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    override = next((o for o in calendar.date_overrides.all() if o.pk == override_id), None)
    if override is None:
        raise Http404
    date_override_remove(override=override)
    return _back(request, calendar, _("The date follows the weekly hours again."))


@require_POST
@_manager_view
def calendar_import_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """Add holidays from an iCalendar file."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    form = IcsImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = calendar_import_ics(calendar=calendar, data=upload.read(1024 * 1024 + 1))
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return _back(
                request,
                calendar,
                _("%(created)s holidays added, %(skipped)s skipped (already there or unreadable).")
                % {"created": result.created, "skipped": result.skipped},
            )
    return _render_calendar(request, membership, calendar, bound={"import_form": form}, status=422)


# --- SLA policies ---


@_manager_view
def policy_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every SLA policy in the order they are matched."""
    context = {
        "settings_section": "policies",
        "policies": sla_policy_list(organization=membership.organization),
    }
    return render_console(request, membership, "sla/settings/policies.html", context)


def _policy_form(request: HttpRequest, membership: Membership, *, initial: dict, editing: bool):
    organization = membership.organization
    return PolicyForm(
        form_data(request),
        initial=initial,
        calendars=calendar_list(organization=organization),
        products=product_model_list(organization=organization),
        editing=editing,
    )


@_manager_view
def policy_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new SLA policy."""
    form = _policy_form(
        request,
        membership,
        initial={"warning_percent": 80, "pause_statuses": DEFAULT_PAUSE_STATUSES},
        editing=False,
    )

    def save() -> HttpResponse:
        policy = sla_policy_create(organization=membership.organization, **form.arguments())
        messages.success(request, _("SLA policy %(name)s created.") % {"name": policy.name})
        return redirect("sla:settings_policies")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="sla/settings/policy_form.html",
        context={"settings_section": "policies", "policy": None},
        fields={"calendar_id": "calendar", "product_model_ids": "product_models"},
    )


@_manager_view
def policy_edit_view(request: HttpRequest, membership: Membership, policy_id: int):
    """Change an SLA policy; open requests under it are brought up to it within seconds."""
    policy = sla_policy_get(organization=membership.organization, policy_id=policy_id)
    initial = {
        "name": policy.name,
        "position": policy.position,
        "priorities": [str(value) for value in policy.priorities],
        "kinds": policy.kinds,
        "channels": policy.channels,
        "customer_tiers": policy.customer_tiers,
        "product_models": [str(product.pk) for product in policy.product_models.all()],
        "calendar": str(policy.calendar_id or ""),
        "first_response_minutes": policy.first_response_minutes,
        "next_response_minutes": policy.next_response_minutes,
        "resolution_minutes": policy.resolution_minutes,
        "pause_statuses": policy.pause_statuses,
        "warning_percent": policy.warning_percent,
        "is_active": policy.is_active,
    }
    form = _policy_form(request, membership, initial=initial, editing=True)

    def save() -> HttpResponse:
        saved = sla_policy_update(policy=policy, **form.arguments())
        messages.success(request, _("SLA policy %(name)s saved.") % {"name": saved.name})
        return redirect("sla:settings_policies")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="sla/settings/policy_form.html",
        context={"settings_section": "policies", "policy": policy},
        fields={"calendar_id": "calendar", "product_model_ids": "product_models"},
    )


# --- Escalation rules ---

_escalation_view = console_view(
    refusal=gettext_lazy("Only admins and supervisors manage SLAs, escalation and routing."),
)


@_escalation_view
def escalation_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every escalation rule by level."""
    context = {
        "settings_section": "escalation",
        "rules": escalation_rule_list(organization=membership.organization),
    }
    return render_console(request, membership, "sla/settings/escalation_rules.html", context)


def _escalation_form(request, membership, *, initial: dict, editing: bool) -> EscalationRuleForm:
    organization = membership.organization
    return EscalationRuleForm(
        form_data(request),
        initial=initial,
        policies=sla_policy_list(organization=organization),
        members=[m for m in member_list(organization=organization) if m.can_write],
        teams=team_list(organization=organization),
        editing=editing,
    )


_ESCALATION_FIELDS = {
    "notify_user_id": "notify_user",
    "reassign_team_id": "reassign_team",
    "policy_ids": "policies",
}


@_escalation_view
def escalation_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new escalation rule."""
    form = _escalation_form(
        request, membership, initial={"level": 1, "delay_minutes": 0}, editing=False
    )

    def save() -> HttpResponse:
        rule = escalation_rule_create(organization=membership.organization, **form.arguments())
        messages.success(request, _("Escalation rule %(name)s created.") % {"name": rule.name})
        return redirect("sla:settings_escalation")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="sla/settings/escalation_form.html",
        context={"settings_section": "escalation", "rule": None},
        fields=_ESCALATION_FIELDS,
    )


@_escalation_view
def escalation_edit_view(request: HttpRequest, membership: Membership, rule_id: int):
    """Change or retire an escalation rule."""
    rule = escalation_rule_get(organization=membership.organization, rule_id=rule_id)
    initial = {
        "name": rule.name,
        "level": rule.level,
        "threshold": rule.threshold,
        "metric": rule.metric,
        "delay_minutes": rule.delay_minutes,
        "policies": [str(policy.pk) for policy in rule.policies.all()],
        "notify_supervisors": rule.notify_supervisors,
        "notify_assignee": rule.notify_assignee,
        "notify_user": str(rule.notify_user_id or ""),
        "reassign_team": str(rule.reassign_team_id or ""),
        "raise_priority_to": rule.raise_priority_to or "",
        "is_active": rule.is_active,
    }
    form = _escalation_form(request, membership, initial=initial, editing=True)

    def save() -> HttpResponse:
        saved = escalation_rule_update(rule=rule, **form.arguments())
        messages.success(request, _("Escalation rule %(name)s saved.") % {"name": saved.name})
        return redirect("sla:settings_escalation")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="sla/settings/escalation_form.html",
        context={"settings_section": "escalation", "rule": rule},
        fields=_ESCALATION_FIELDS,
    )

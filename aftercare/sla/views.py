"""Console settings for business calendars and SLA policies (admins and supervisors)."""

import zoneinfo
from datetime import time
from functools import cache

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import member_list, team_list
from aftercare.catalog.selectors import product_model_list
from aftercare.console.forms import date_input_value
from aftercare.console.pages import apply_error, console_view, form_data, form_page, render_console
from aftercare.lib.dates import format_date, format_datetime, format_month_day
from aftercare.lib.errors import ApplicationError
from aftercare.sla.forms import (
    WEEKDAYS,
    CalendarCreateForm,
    CalendarEditForm,
    EscalationRuleForm,
    HolidayCorrectForm,
    HolidayForm,
    IcsImportForm,
    OverrideForm,
    PolicyForm,
    country_choices,
    weekly_initial,
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
    calendar_official_holidays_add,
    calendar_set_default,
    calendar_update,
    date_override_remove,
    date_override_set,
    holiday_add,
    holiday_correct,
    holiday_remove,
    official_holidays_years,
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


def _weekly(calendar: BusinessCalendar) -> dict[int, list]:
    """The calendar's weekly intervals by weekday."""
    days: dict[int, list] = {}
    for interval in calendar.working_intervals.all():
        days.setdefault(interval.weekday, []).append((interval.start_time, interval.end_time))
    return days


def _edit_form(calendar: BusinessCalendar, data=None) -> CalendarEditForm:
    weekly = _weekly(calendar)
    initial = {"name": calendar.name, "time_zone": calendar.time_zone, "country": calendar.country}
    return CalendarEditForm(data, initial=initial | weekly_initial(weekly), weekly=weekly)


def holiday_source(holiday) -> str:
    """Where a holiday (or a date's hours) came from, and whether its date is an estimate."""
    if not holiday.source:
        return ""
    if holiday.is_estimated:
        return _("%(source)s, estimated date") % {"source": holiday.source}
    return holiday.source


def holiday_correction(holiday: Holiday) -> str:
    """Who corrected a holiday's date and when, and what its source had said."""
    if holiday.corrected_at is None:
        return ""
    values = {
        "who": holiday.corrected_by.display_name if holiday.corrected_by else "",
        "when": format_datetime(holiday.corrected_at),
        "given": format_date(holiday.source_date),
    }
    if holiday.source_date is not None:
        return _("Date corrected by %(who)s on %(when)s; its source gave %(given)s.") % values
    return _("Date corrected by %(who)s on %(when)s.") % values


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
    form = CalendarCreateForm(
        form_data(request),
        initial=weekly_initial({day: [(time(9), time(17))] for day in range(5)}),
    )

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
                weekly=data["weekly"],
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
        "form": _edit_form(calendar),
        "holiday_form": HolidayForm(initial={"kind": Holiday.Kind.DATE}),
        "override_form": OverrideForm(),
        "import_form": IcsImportForm(),
    }
    forms.update(bound or {})
    every = list(calendar.holidays.all())
    dated = sorted((h for h in every if h.is_dated), key=lambda h: (h.start_date, h.pk))
    yearly = sorted(
        (h for h in every if not h.is_dated), key=lambda h: (h.kind, h.month, h.day, h.pk)
    )

    def rows(holidays: list[Holiday]) -> list[dict]:
        return [
            {
                "holiday": holiday,
                "when": holiday_when(holiday),
                "source": holiday_source(holiday),
                "correction": holiday_correction(holiday),
            }
            for holiday in holidays
        ]

    country = dict(country_choices()).get(calendar.country, "") if calendar.country else ""
    years = official_holidays_years(calendar=calendar) if calendar.country else []
    context = {
        "settings_section": "calendars",
        "calendar": calendar,
        "dated_holidays": rows(dated),
        "yearly_holidays": rows(yearly),
        "overrides": [
            (override, format_date(override.date), holiday_source(override))
            for override in calendar.date_overrides.all()
        ],
        "country": country,
        "official_years": _("%(first)s and %(last)s") % {"first": years[0], "last": years[-1]}
        if years
        else "",
        "time_zones": time_zones(),
        **forms,
    }
    return render_console(request, membership, "sla/settings/calendar.html", context, status=status)


def _back(request: HttpRequest, calendar: BusinessCalendar, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("sla:settings_calendar", calendar_id=calendar.pk)


@_manager_view
def calendar_detail_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """A calendar's zone, country and weekly hours (saved here), holidays, overrides, import."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    if request.method != "POST":
        return _render_calendar(request, membership, calendar)
    form = _edit_form(calendar, request.POST)
    if form.is_valid() and form.cleaned_data["weekly"] is not None:
        data = form.cleaned_data
        try:
            calendar_update(
                calendar=calendar,
                name=data["name"],
                time_zone=data["time_zone"],
                country=data["country"],
                weekly=data["weekly"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return _back(request, calendar, _("Calendar saved."))
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    return _render_calendar(request, membership, calendar, bound={"form": form}, status=422)


@require_POST
@_manager_view
def calendar_official_holidays_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """Add this year's and next year's official moving holidays of the calendar's country."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    try:
        result = calendar_official_holidays_add(
            calendar=calendar, years=official_holidays_years(calendar=calendar)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("sla:settings_calendar", calendar_id=calendar.pk)
    if result.kept:
        messages.info(
            request,
            ngettext(
                "%(count)s official holiday was already there.",
                "%(count)s official holidays were already there.",
                result.kept,
            )
            % {"count": result.kept},
        )
    added = ngettext(
        "%(count)s official holiday added.", "%(count)s official holidays added.", result.created
    ) % {"count": result.created}
    return _back(request, calendar, added)


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


@_manager_view
def holiday_edit_view(
    request: HttpRequest, membership: Membership, calendar_id: int, holiday_id: int
):
    """Correct a holiday's date, e.g. an estimated lunar holiday once it is announced."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    holiday = holiday_get(calendar=calendar, holiday_id=holiday_id)
    if not holiday.is_dated:
        raise Http404
    is_range = holiday.kind == Holiday.Kind.RANGE
    form = HolidayCorrectForm(
        form_data(request),
        is_range=is_range,
        initial={
            "start_date": date_input_value(holiday.start_date),
            "end_date": date_input_value(holiday.end_date),
        },
    )

    def save() -> HttpResponse:
        data = form.cleaned_data
        corrected = holiday_correct(
            holiday=holiday,
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            actor=request.user,
        )
        return _back(
            request,
            calendar,
            _("%(name)s now falls on %(when)s.")
            % {"name": corrected.display_name, "when": holiday_when(corrected)},
        )

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="sla/settings/holiday_edit.html",
        context={
            "settings_section": "calendars",
            "calendar": calendar,
            "holiday": holiday,
            "when": holiday_when(holiday),
            "source": holiday_source(holiday),
            "correction": holiday_correction(holiday),
            "source_date": format_date(holiday.source_date),
        },
    )


@require_POST
@_manager_view
def override_set_view(request: HttpRequest, membership: Membership, calendar_id: int):
    """Give a date its own hours, or close it."""
    calendar = calendar_detail(organization=membership.organization, calendar_id=calendar_id)
    form = OverrideForm(request.POST)
    if form.is_valid() and form.cleaned_data["hours"] is not None:
        data = form.cleaned_data
        try:
            date_override_set(
                calendar=calendar, date=data["date"], intervals=data["hours"], note=data["note"]
            )
        except ApplicationError as error:
            apply_error(form, error, fields={"intervals": "start_1"})
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

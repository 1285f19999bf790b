"""System events of the timeline told as sentences a person reads, in the active language."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.lib.dates import format_date, format_datetime
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status
from aftercare.sla.models import Metric
from aftercare.tickets.models import Ticket, TicketEvent
from aftercare.tickets.selectors import TimelineEntry

# Long texts are not repeated in the timeline; saying that they changed is enough.
_LONG_FIELDS = {"description", "resolution"}


@dataclass(frozen=True)
class TimelineRow:
    """A timeline entry with, for a system event, its sentence and details."""

    entry: TimelineEntry
    text: str = ""
    details: list[str] = field(default_factory=list)
    call_minutes: int | None = None


def timeline_rows(entries: list[TimelineEntry]) -> list[TimelineRow]:
    """Rows for the ticket page: messages as they are, events with their sentences."""
    rows = []
    for entry in entries:
        if entry.kind == "event":
            text, details = describe_event(entry.item)
            rows.append(TimelineRow(entry=entry, text=text, details=details))
        else:
            seconds = entry.item.call_duration_seconds
            minutes = None if seconds is None else round(seconds / 60)
            rows.append(TimelineRow(entry=entry, call_minutes=minutes))
    return rows


def _label(choices, value) -> str:
    """The translated label of a stored choice, or the value itself if it is no longer one."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _language(code: str) -> str:
    """A language's name."""
    return str(dict(settings.LANGUAGES).get(code, code))


def _field_label(name: str) -> str:
    """A ticket field's name as the form shows it."""
    try:
        label = str(Ticket._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _field_value(name: str, value) -> str:
    """A stored old or new value written for people."""
    if value in (None, ""):
        return ""
    if name == "kind":
        return _label(Kind, value)
    if name == "language":
        return _language(value)
    if name == "purchase_date":
        try:
            return format_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _field_changes(changes: dict) -> list[str]:
    """One line per changed field."""
    lines = []
    for name, pair in changes.items():
        label = _field_label(name)
        old, new = (list(pair) + [None, None])[:2]
        if name in _LONG_FIELDS:
            lines.append(_("%(field)s was edited.") % {"field": label})
            continue
        old_text, new_text = _field_value(name, old), _field_value(name, new)
        if not new_text:
            lines.append(_("%(field)s was cleared.") % {"field": label})
        elif not old_text:
            lines.append(_("%(field)s set to “%(new)s”.") % {"field": label, "new": new_text})
        else:
            lines.append(
                _("%(field)s changed from “%(old)s” to “%(new)s”.")
                % {"field": label, "old": old_text, "new": new_text}
            )
    return lines


Event = TicketEvent.Kind

# Each event's sentence when a person did it, and when no one did (the system or the customer).
_SENTENCES = {
    Event.CREATED: (
        gettext_lazy("%(actor)s opened the request (%(channel)s)."),
        gettext_lazy("The request was opened (%(channel)s)."),
    ),
    Event.STATUS_CHANGED: (
        gettext_lazy("%(actor)s changed the status from %(old)s to %(new)s."),
        gettext_lazy("The status changed from %(old)s to %(new)s."),
    ),
    Event.REOPENED: (
        gettext_lazy("%(actor)s wrote again, so the request was reopened."),
        gettext_lazy("A new message from the customer reopened the request."),
    ),
    Event.ASSIGNED: (
        gettext_lazy("%(actor)s assigned the request to %(assignee)s."),
        gettext_lazy("The request was assigned to %(assignee)s."),
    ),
    Event.TEAM_CHANGED: (
        gettext_lazy("%(actor)s moved the request to the team %(team)s."),
        gettext_lazy("The request was moved to the team %(team)s."),
    ),
    Event.PRIORITY_CHANGED: (
        gettext_lazy("%(actor)s changed the priority from %(old)s to %(new)s."),
        gettext_lazy("The priority changed from %(old)s to %(new)s."),
    ),
    Event.FIELDS_CHANGED: (
        gettext_lazy("%(actor)s changed the request's details."),
        gettext_lazy("The request's details changed."),
    ),
    Event.TAGS_CHANGED: (
        gettext_lazy("%(actor)s changed the tags."),
        gettext_lazy("The tags changed."),
    ),
    Event.CONFIRMED: (gettext_lazy("The customer confirmed the resolution."),) * 2,
    Event.SLA_APPLIED: (gettext_lazy("The SLA policy %(policy)s now applies."),) * 2,
    Event.SLA_WARNING: (gettext_lazy("SLA at risk: %(target)s is due %(due)s."),) * 2,
    Event.SLA_BREACHED: (gettext_lazy("SLA breached: %(target)s was due %(due)s."),) * 2,
    Event.ESCALATED: (gettext_lazy("Escalation level %(level)s: %(rule)s."),) * 2,
    Event.ROUTED: (gettext_lazy("Routing sent the request to the team %(team)s."),) * 2,
}

_ESCALATION_ACTIONS = {
    "raise_priority": gettext_lazy("The priority was raised."),
    "reassign_team": gettext_lazy("The request was moved to another team."),
}
_SLA_DUE_LINES = {
    "first_response_due_at": gettext_lazy("First response due %(due)s"),
    "next_response_due_at": gettext_lazy("Next response due %(due)s"),
    "resolution_due_at": gettext_lazy("Resolution due %(due)s"),
}


def _instant(value) -> str:
    """A stored ISO date-time written in the reader's zone and calendar."""
    if not value:
        return ""
    try:
        return format_datetime(datetime.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _sla_event(kind: str, data: dict) -> tuple[str, list[str]] | None:
    """The sentence and details of an SLA, escalation or routing event."""
    details: list[str] = []
    if kind == Event.SLA_APPLIED:
        if not data.get("policy"):
            return str(_("No SLA policy applies any more.")), []
        for key, line in _SLA_DUE_LINES.items():
            if data.get(key):
                details.append(str(line) % {"due": _instant(data[key])})
        return str(_SENTENCES[kind][0]) % {"policy": data["policy"]}, details
    if kind in (Event.SLA_WARNING, Event.SLA_BREACHED):
        values = {"target": _label(Metric, data.get("metric")), "due": _instant(data.get("due_at"))}
        return str(_SENTENCES[kind][0]) % values, details
    if kind == Event.ESCALATED:
        details = [
            str(_ESCALATION_ACTIONS[a]) for a in data.get("actions", []) if a in _ESCALATION_ACTIONS
        ]
        if data.get("notified"):
            details.append(_("Notified: %(names)s") % {"names": ", ".join(data["notified"])})
        values = {"level": data.get("level", ""), "rule": data.get("rule", "")}
        return str(_SENTENCES[kind][0]) % values, details
    if kind == Event.ROUTED:
        if data.get("assignee"):
            details.append(_("Given to %(name)s.") % {"name": data["assignee"]})
        if data.get("rule"):
            details.append(_("Rule: %(rule)s") % {"rule": data["rule"]})
        return str(_SENTENCES[kind][0]) % {"team": data.get("team") or "—"}, details
    return None


# An assignment or a team move that left the request without one.
_CLEARED_SENTENCES = {
    Event.ASSIGNED: (
        gettext_lazy("%(actor)s unassigned the request."),
        gettext_lazy("The request was unassigned."),
    ),
    Event.TEAM_CHANGED: (
        gettext_lazy("%(actor)s took the request out of its team."),
        gettext_lazy("The request was taken out of its team."),
    ),
}

# The placeholder naming who or what an assignment or a team move gave the request to.
_TARGET_NAMES = {Event.ASSIGNED: "assignee", Event.TEAM_CHANGED: "team"}


def describe_event(event: TicketEvent) -> tuple[str, list[str]]:
    """The sentence for an event and its detail lines."""
    actor = event.actor.display_name if event.actor_id and event.actor else ""
    data = event.data or {}
    kind = event.kind
    if kind not in _SENTENCES:
        return event.get_kind_display(), []
    described = _sla_event(kind, data)
    if described is not None:
        return described
    sentences = _SENTENCES[kind]
    values = {"actor": actor}
    details: list[str] = []
    if kind == Event.CREATED:
        values["channel"] = _label(Channel, data.get("channel"))
    elif kind in (Event.STATUS_CHANGED, Event.PRIORITY_CHANGED):
        choices = Status if kind == Event.STATUS_CHANGED else Priority
        values["old"] = _label(choices, data.get("from"))
        values["new"] = _label(choices, data.get("to"))
        reason = (data.get("reason") or "").strip() if kind == Event.STATUS_CHANGED else ""
        if reason:
            details.append(_("Reason: %(reason)s") % {"reason": reason})
    elif kind in _TARGET_NAMES:
        values[_TARGET_NAMES[kind]] = data.get("to_name") or ""
        if not values[_TARGET_NAMES[kind]]:
            sentences = _CLEARED_SENTENCES[kind]
    elif kind == Event.FIELDS_CHANGED:
        details = _field_changes(data.get("changes") or {})
    elif kind == Event.TAGS_CHANGED:
        if data.get("added"):
            details.append(_("Added: %(tags)s") % {"tags": ", ".join(data["added"])})
        if data.get("removed"):
            details.append(_("Removed: %(tags)s") % {"tags": ", ".join(data["removed"])})
    with_actor, without_actor = sentences
    return str(with_actor if actor else without_actor) % values, details

"""The ticket page's timeline: system events told as sentences a person reads, and every entry
written as HTML in Python, in the active language.

Written here rather than in a template for the same reason as the queue rows
(aftercare/tickets/rows.py): a long timeline drew each entry through a dozen tags, look-ups and an
include per file, which cost more than reading it.
"""

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aftercare.lib.dates import format_date, format_datetime, uses_jalali
from aftercare.lib.quoting import split_quoted
from aftercare.lib.text import html_escape as esc
from aftercare.lib.text import persian_digits
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status
from aftercare.notifications.models import Notice
from aftercare.sla.models import Metric
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.hooks import work_event_describers
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage
from aftercare.tickets.rows import Labels, iso, labels, url_maker
from aftercare.tickets.selectors import TimelineEntry

# Long texts are not repeated in the timeline; saying that they changed is enough.
_LONG_FIELDS = {"description", "resolution"}


def attachment_item(attachment: Attachment, words: Labels | None = None) -> SafeString:
    """One file of a request as a link with its size, marked when the customer cannot see it."""
    words = words or labels()
    url = url_maker("tickets:attachment")(attachment.pk)
    internal = ""
    if not attachment.is_public:
        internal = f' <span class="badge text-bg-warning">{esc(words.internal_file)}</span>'
    return mark_safe(  # noqa: S308 - every value escaped
        f'<li class="list-inline-item attachment-link"><a href="{esc(url)}" dir="auto" '
        f'data-testid="attachment-link">{esc(attachment.filename)}</a> '
        f'<span class="text-body-secondary">({esc(filesizeformat(attachment.size))})</span>'
        f"{internal}</li>"
    )


def _minutes(seconds: int) -> str:
    count = round(seconds / 60)
    shown = persian_digits(str(count)) if uses_jalali() else str(count)
    return ngettext("%(shown)s minute", "%(shown)s minutes", count) % {"shown": shown}


def _message(message: TicketMessage, customer_name: str, words: Labels) -> str:
    kind = message.kind
    if message.author_id is not None and message.author:
        author = message.author.display_name
    elif kind == MessageKind.CUSTOMER:
        author = customer_name
    else:
        author = words.system
    extra = ""
    if kind == MessageKind.NOTE:
        extra += (
            '<span class="badge text-bg-warning" data-testid="internal-badge">'
            f"{esc(words.internal_note)}</span>"
        )
    if kind == MessageKind.CALL:
        call = esc(words.call_direction.get(message.call_direction, message.call_direction))
        if message.call_duration_seconds is not None:
            call += f" · {esc(_minutes(message.call_duration_seconds))}"
        extra += f'<span class="text-body-secondary">{call}</span>'
    elif message.channel:
        channel = words.channel.get(message.channel, message.channel)
        extra += f'<span class="text-body-secondary">{esc(channel)}</span>'
    merged_from = getattr(message, "merged_from", "")
    if merged_from:
        origin = _("from %(reference)s") % {"reference": merged_from}
        # The reference (AS-000123) ends in the number the request's address takes.
        url = reverse("tickets:detail", args=[int(merged_from.rpartition("-")[2])])
        extra += (
            f'<a class="badge text-bg-light border text-decoration-none" href="{esc(url)}" '
            f'data-testid="merged-from">{esc(origin)}</a>'
        )
    files = ""
    if message.files:
        items = "".join(attachment_item(file, words) for file in message.files)
        files = f'<ul class="list-inline small mt-1 mb-0">{items}</ul>'
    return (
        f'<li class="timeline-entry kind-{esc(kind)} rounded-end mb-3 py-2" '
        f'id="message-{message.pk}" data-testid="timeline-{esc(kind)}">'
        f'<div class="d-flex flex-wrap align-items-center gap-2 small mb-1">'
        f'<bdi class="fw-semibold">{esc(author)}</bdi>'
        f'<span class="badge message-badge-{esc(kind)}">'
        f"{esc(words.message_kind.get(kind, kind))}</span>"
        f"{extra}"
        f'<time class="ms-auto text-body-secondary" datetime="{esc(iso(message.created_at))}">'
        f"{esc(format_datetime(message.created_at))}</time></div>"
        f"{_body(message, words)}{files}</li>\n"
    )


def _body(message: TicketMessage, words: Labels | None = None) -> str:
    """The message's text; what a customer's mail quotes of earlier ones is folded away."""
    head, quoted = ("", "")
    if message.kind == MessageKind.CUSTOMER:
        head, quoted = split_quoted(message.body)
    if not quoted:
        return f'<div class="customer-text" dir="auto">{esc(message.body)}</div>'
    words = words or labels()
    return (
        f'<div class="customer-text" dir="auto">{esc(head)}</div>'
        '<details class="small mt-1" data-testid="quoted">'
        f"<summary>{esc(words.quoted)}</summary>"
        f'<div class="customer-text text-body-secondary" dir="auto">{esc(quoted)}</div>'
        "</details>"
    )


def _event(event: TicketEvent) -> str:
    text, details = describe_event(event)
    lines = ""
    if details:
        lines = "".join(f'<li dir="auto">{esc(line)}</li>' for line in details)
        lines = f'<ul class="mb-0 ps-3">{lines}</ul>'
    return (
        f'<li class="timeline-entry kind-event small text-body-secondary mb-2 py-1" '
        f'data-testid="timeline-event" data-event="{esc(event.kind)}">'
        # Isolated from each other, so that a name in the other script at the end of the text
        # does not pull the date's digits across it (bidi).
        f"<bdi>{esc(text)}</bdi>"
        f'<time class="ms-2" dir="auto" datetime="{esc(iso(event.created_at))}">'
        f"{esc(format_datetime(event.created_at))}</time>{lines}</li>\n"
    )


_NOTICE_BADGES = {
    Notice.State.QUEUED: "text-bg-secondary",
    Notice.State.SENDING: "text-bg-secondary",
    Notice.State.SENT: "text-bg-success",
    Notice.State.DELIVERED: "text-bg-success",
    Notice.State.FAILED: "text-bg-danger",
    Notice.State.BOUNCED: "text-bg-danger",
}


def _notice(notice: Notice) -> str:
    """A notice sent (or being sent) about the request: to whom, what, and how it went."""
    text = _("Email to %(recipient)s: %(event)s") % {
        "recipient": notice.recipient,
        "event": notice.get_event_display(),
    }
    state = notice.get_state_display()
    if notice.state == Notice.State.QUEUED and notice.attempts:
        state = _("Failed, will retry")
    detail = ""
    if notice.last_error and notice.state != Notice.State.SENT:
        tries = ngettext("%(count)s try", "%(count)s tries", notice.attempts) % {
            "count": notice.attempts
        }
        detail = f'<div dir="auto">{esc(tries)}: {esc(notice.last_error)}</div>'
    badge = _NOTICE_BADGES.get(notice.state, "text-bg-secondary")
    return (
        f'<li class="timeline-entry kind-event small text-body-secondary mb-2 py-1" '
        f'data-testid="timeline-notice" data-state="{esc(notice.state)}">'
        f"<bdi>{esc(text)}</bdi> "
        f'<span class="badge {badge}">{esc(state)}</span>'
        f'<time class="ms-2" dir="auto" datetime="{esc(iso(notice.created_at))}">'
        f"{esc(format_datetime(notice.created_at))}</time>{detail}</li>\n"
    )


def timeline_html(entries: list[TimelineEntry], *, customer_name: str) -> SafeString:
    """The ticket page's timeline entries, oldest first, as `<li>`s; every value escaped."""
    words = labels()
    parts = []
    for entry in entries:
        if entry.kind == "event":
            parts.append(_event(entry.item))
        elif entry.kind == "notice":
            parts.append(_notice(entry.item))
        else:
            parts.append(_message(entry.item, customer_name, words))
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped


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


def describe_work_event(event: TicketEvent, *, for_customer: bool) -> tuple[str, list[str]]:
    """The sentence and detail lines of a WORK event, from the app that wrote it (through
    `hooks.work_event_describers`); the kind's name when none knows it."""
    for described in work_event_describers.collect(event=event, for_customer=for_customer):
        if described is not None:
            return described
    return str(event.get_kind_display()), []


def describe_merge_event(event: TicketEvent) -> str:
    """The sentence of a merge, alike for staff and the customer: where a duplicate went, or
    which duplicates came into this request."""
    data = event.data or {}
    if data.get("into"):
        return _("This request was merged into %(reference)s.") % {"reference": data["into"]}
    references = ", ".join(item.get("reference", "") for item in data.get("merged") or [])
    return _("Merged into this request: %(references)s.") % {"references": references}


def describe_event(event: TicketEvent) -> tuple[str, list[str]]:
    """The sentence for an event and its detail lines."""
    if event.kind == TicketEvent.Kind.WORK:
        return describe_work_event(event, for_customer=False)
    if event.kind == TicketEvent.Kind.MERGED:
        return describe_merge_event(event), []
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

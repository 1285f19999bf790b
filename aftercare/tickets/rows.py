"""A request as lists draw it: its status, priority and SLA badges and its queue row, written in
Python once per row.

Why not templates: the queue drew each of its 50 rows through three includes, two `{% url %}`s
and about 25 translation and format look-ups; that was most of the page's time. Here the labels
are looked up once per language, the detail URL is built once per page, and each row is one
`format_html`. The ticket page and the customer's page use the same badges through template tags
(aftercare/tickets/templatetags/tickets_console.py), so a badge looks the same everywhere.
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.lib.dates import format_countdown, format_datetime
from aftercare.lib.text import html_escape as esc
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status
from aftercare.sla.models import SlaState
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.models import Ticket

_URL_PLACEHOLDER = 987654321


@dataclass(frozen=True)
class Labels:
    """The words of one language for the values a row or a timeline entry shows."""

    status: dict[str, str]
    priority: dict[int, str]
    kind: dict[str, str]
    sla: dict[str, str]
    message_kind: dict[str, str]
    call_direction: dict[str, str]
    channel: dict[str, str]
    unassigned: str
    system: str
    internal_note: str
    internal_file: str
    quoted: str


def _words(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


@cache
def _labels(language: str) -> Labels:
    with translation.override(language):
        return Labels(
            status=_words(Status),
            priority=_words(Priority),
            kind=_words(Kind),
            sla=_words(SlaState),
            message_kind=_words(MessageKind),
            call_direction=_words(CallDirection),
            channel=_words(Channel),
            unassigned=_("Unassigned"),
            system=_("System"),
            internal_note=_("Internal: not shown to the customer"),
            internal_file=_("Internal"),
            quoted=_("Quoted text"),
        )


def url_maker(name: str):
    """A function from an id to the address of the view `name` takes it in, reversing once
    for a whole list instead of once per row."""
    pattern = reverse(name, args=[_URL_PLACEHOLDER])
    placeholder = str(_URL_PLACEHOLDER)
    return lambda pk: pattern.replace(placeholder, str(pk))


def labels() -> Labels:
    """The labels in the active language (built once per language and process)."""
    return _labels(translation.get_language() or "en")


def iso(value: datetime.datetime) -> str:
    """What `|date:'c'` writes: ISO 8601 in the current time zone."""
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


def status_badge(ticket: Ticket, words: Labels | None = None) -> SafeString:
    """The request's status as a coloured badge."""
    return mark_safe(_status(ticket, words or labels()))  # noqa: S308 - escaped in _status


def priority_badge(ticket: Ticket, words: Labels | None = None) -> SafeString:
    """The request's priority, coloured by level."""
    return mark_safe(_priority(ticket, words or labels()))  # noqa: S308 - escaped in _priority


def sla_badge(
    ticket: Ticket, words: Labels | None = None, *, now: datetime.datetime | None = None
) -> SafeString:
    """The SLA state, and while the request is open the time left (or overdue) to its next
    target, which the page's script keeps counting; a dash when no SLA applies."""
    return mark_safe(_sla(ticket, words or labels(), now))  # noqa: S308 - escaped in _sla


def _status(ticket: Ticket, words: Labels) -> str:
    status = ticket.status
    return (
        f'<span class="badge status-badge status-{esc(status)}" data-testid="status">'
        f"{esc(words.status.get(status, status))}</span>"
    )


def _priority(ticket: Ticket, words: Labels) -> str:
    priority = ticket.priority
    return (
        f'<span class="priority priority-{esc(priority)}" data-testid="priority">'
        f"{esc(words.priority.get(priority, priority))}</span>"
    )


def _sla(ticket: Ticket, words: Labels, now: datetime.datetime | None) -> str:
    state = ticket.sla_state
    if not state:
        return '<span class="text-body-secondary small">—</span>'
    countdown = ""
    if ticket.sla_due_at and ticket.is_open:
        overdue = " is-overdue" if state == SlaState.BREACHED else ""
        due = _("Due %(due)s") % {"due": format_datetime(ticket.sla_due_at)}
        countdown = (
            f' <span class="small text-nowrap sla-countdown{overdue}" '
            f'data-countdown="{esc(iso(ticket.sla_due_at))}" title="{esc(due)}">'
            f"{esc(format_countdown(ticket.sla_due_at, now=now))}</span>"
        )
    return (
        f'<span class="sla" data-testid="sla-badge" data-sla-state="{esc(state)}">'
        f'<span class="badge sla-badge sla-{esc(state)}">{esc(words.sla.get(state, state))}</span>'
        f"{countdown}</span>"
    )


def _row(ticket: Ticket, words: Labels, url: str, now: datetime.datetime, select: str = "") -> str:
    """One queue row; every value escaped. `select` is the label of its bulk-action checkbox,
    if the row has one."""
    tags = "".join(
        f'<span class="badge text-bg-light border ms-1" dir="auto">{esc(name)}</span>'
        for name in ticket.tag_names
    )
    if ticket.assignee_id is not None:
        assignee = esc(
            User.name_shown(full_name=ticket.assignee_full_name, email=ticket.assignee_email)
        )
    else:
        assignee = f'<span class="text-body-secondary">{esc(words.unassigned)}</span>'
    team = esc(ticket.team_name or "")
    check = ""
    if select:
        check = (
            '<td class="queue-select q-select"><input class="form-check-input" type="checkbox" '
            f'name="ticket_ids" value="{ticket.pk}" form="bulk-form" data-testid="select-row" '
            f'aria-label="{esc(select % {"reference": ticket.reference})}"></td>'
        )
    return (
        f'<tr data-testid="queue-row" data-ticket-id="{ticket.pk}">{check}'
        f'<td class="text-nowrap q-ref">'
        f'<a href="{esc(url)}" dir="ltr">{esc(ticket.reference)}</a></td>'
        # Text a customer wrote, and names, in their own direction: a Persian subject sits
        # right-aligned in an English table, an English one left in a Persian table.
        f'<td class="queue-subject q-subject" dir="auto"><a class="link-body-emphasis" '
        f'href="{esc(url)}">{esc(ticket.subject)}</a>{tags}</td>'
        f'<td class="q-customer" dir="auto">{esc(ticket.customer_name)}</td>'
        f'<td class="q-status">{_status(ticket, words)}</td>'
        f'<td class="q-priority">{_priority(ticket, words)}</td>'
        f'<td class="q-sla">{_sla(ticket, words, now)}</td>'
        f'<td class="small q-kind">{esc(words.kind.get(ticket.kind, ticket.kind))}</td>'
        f'<td class="small q-team" dir="auto">{team}</td>'
        f'<td class="small q-assignee" dir="auto">{assignee}</td>'
        f'<td class="small text-end text-nowrap q-updated">'
        f'<time datetime="{esc(iso(ticket.updated_at))}">'
        f"{esc(format_datetime(ticket.updated_at))}</time></td></tr>\n"
    )


def queue_rows(tickets: list[Ticket], *, selectable: bool = False) -> list[SafeString]:
    """One `<tr>` per request of the queue, in order, as `ticket_list(shape="rows")` loads
    them: the customer's, team's and assignee's names as columns, tag names filled; with
    `selectable`, a checkbox first for the bulk actions."""
    words = labels()
    now = timezone.now()
    url = url_maker("tickets:detail")
    select = _("Select %(reference)s") if selectable else ""
    return [
        mark_safe(_row(ticket, words, url(ticket.number), now, select))  # noqa: S308 - escaped
        for ticket in tickets
    ]

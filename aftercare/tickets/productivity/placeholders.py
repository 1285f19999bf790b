"""The placeholders of canned answers and macros: a fixed set of names, filled in for one request
in its reader's language and calendar. Text is never run as a template: each `{{ name }}` of the
set is replaced by its value, and nothing else in the text means anything."""

import re
import zoneinfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import User
from aftercare.lib.dates import format_date
from aftercare.lib.errors import ApplicationError
from aftercare.tickets.models import Ticket

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Anything written as a placeholder, to refuse those outside the set when a text is saved.
_ANY_BRACES = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)

# Every placeholder there is, with what it stands for (shown on the forms).
PLACEHOLDERS = {
    "customer_name": gettext_lazy("the customer's name"),
    "request_number": gettext_lazy("the request's number, e.g. AS-000123"),
    "subject": gettext_lazy("the request's subject"),
    "due_date": gettext_lazy("the date the request is due, in the customer's calendar"),
    "agent_name": gettext_lazy("your name"),
    "organization": gettext_lazy("the organization's name"),
}


def placeholders_check(text: str, *, field: str) -> None:
    """Refuse a text that names a placeholder outside the set, naming it."""
    for match in _ANY_BRACES.finditer(text):
        if match.group(1).strip() not in PLACEHOLDERS:
            raise ApplicationError(
                _("Unknown placeholder %(placeholder)s. Use one of: %(known)s.")
                % {
                    "placeholder": match.group(0),
                    "known": ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS),
                },
                field=field,
                code="placeholder",
            )


def reader_language(ticket: Ticket) -> str:
    """The language the customer reads the request in (as its notices are written)."""
    return (
        ticket.language
        or ticket.customer.preferred_language
        or ticket.organization.default_language
        or settings.LANGUAGE_CODE
    )


def _due(ticket: Ticket):
    """The date the request is next due: its SLA's next target, else its resolution target."""
    return ticket.sla_due_at or ticket.resolution_due_at


def placeholder_values(*, ticket: Ticket, agent: User | None) -> dict[str, str]:
    """Every placeholder's value for this request, in its reader's language, calendar and digits
    and its organization's time zone."""
    organization = ticket.organization
    with (
        translation.override(reader_language(ticket)),
        timezone.override(zoneinfo.ZoneInfo(organization.time_zone or "UTC")),
    ):
        due = _due(ticket)
        return {
            "customer_name": ticket.customer.name,
            "request_number": ticket.reference,
            "subject": ticket.subject,
            "due_date": format_date(timezone.localtime(due).date()) if due else "—",
            "agent_name": agent.display_name if agent is not None else "",
            "organization": organization.name,
        }


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced by its value; anything else kept as typed."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def render_for_ticket(text: str, *, ticket: Ticket, agent: User | None) -> str:
    """The text filled in for this request."""
    return fill(text, placeholder_values(ticket=ticket, agent=agent))

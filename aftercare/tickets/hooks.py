"""What `tickets` lets the apps above it add (they connect in their `AppConfig.ready()`)."""

from dataclasses import dataclass, field

from aftercare.lib.hooks import Hook

# work_event_describers.collect(event=..., for_customer=...) -> [tuple[str, list[str]] | None]:
# the sentence and detail lines of a WORK event on a request's timeline (data["action"] says
# what happened), in the active language; None from a receiver that does not know the event.
# `for_customer` asks for the customer's words (the portal): only what the customer may read.
work_event_describers = Hook(
    "work_event_describers",
    doc="Each receiver returns (sentence, details) for a WORK event it knows, or None.",
)


@dataclass(frozen=True)
class TicketPanel:
    """A part of the ticket page that an app above tickets fills, e.g. its work orders.

    `template` is rendered in the page's main column, below section C; it sees the page's
    context plus `panel`, whose `context` is its own. A panel reads what it shows in one query.
    """

    template: str
    context: dict = field(default_factory=dict)


# ticket_page_panels.collect(request=..., membership=..., ticket=...) -> [TicketPanel | None]
ticket_page_panels = Hook(
    "ticket_page_panels",
    doc="Each receiver returns the TicketPanel it adds to a request's page (or None).",
)

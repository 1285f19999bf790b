"""Helpers of the repairs tests: a part's stock, the work events on a request's timeline, a work
order put straight at a stage, and the addresses and times the page tests use."""

import datetime

from django.urls import reverse

from aftercare.inventory.models import StockLevel
from aftercare.repairs.models import WorkOrder
from aftercare.tickets.models import TicketEvent

Stage = WorkOrder.Stage


def stock_level(location, part) -> tuple[int, int]:
    """(on hand, reserved) of a part at a stock location."""
    level = StockLevel.objects.get(location=location, part=part)
    return level.on_hand, level.reserved


def work_events(ticket) -> list[tuple[str, bool]]:
    """The request's WORK events: (action, is public), oldest first."""
    return [
        (event.data["action"], event.is_public)
        for event in TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.WORK).order_by(
            "id"
        )
    ]


def at_stage(work_order: WorkOrder, stage: str) -> WorkOrder:
    """Put a work order at a stage for a test (the services get it there otherwise)."""
    WorkOrder.objects.filter(pk=work_order.pk).update(
        stage=stage, is_open=stage not in (Stage.CLOSED, Stage.CANCELLED)
    )
    work_order.refresh_from_db()
    return work_order


def action_url(work_order: WorkOrder, action: str) -> str:
    """The address of one of the work order page's actions."""
    return reverse("repairs:action", args=[work_order.pk, action])


def nine_on(today) -> datetime.datetime:
    """Nine in the morning (UTC) of a day."""
    return datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)

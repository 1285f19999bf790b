"""API v1: the quotes of a work order the customer pays for, sent and withdrawn by staff
(the customer approves or declines them in the portal)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import WRITE, BodySchema, Id, Text, responses
from aftercare.repairs.api.common import work_order_or_404
from aftercare.repairs.services import quote_send, quote_withdraw
from aftercare.repairs.services.quotes import LABOUR_ESTIMATE_MAX

# Mounted under the work orders' router, whose tags it takes (see the package's __init__).
quotes_router = Router()


class QuoteLineOut(Schema):
    """One line of a quote."""

    kind: str = Field(description="part, labour, travel or other.")
    part_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class QuoteOut(Schema):
    """A quote for work the customer pays for; they approve or decline it in the portal."""

    id: int
    status: str = Field(description="sent, approved, declined or withdrawn.")
    currency: str
    tax_rate: Decimal
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    valid_until: datetime.date
    note: str
    decline_reason: str
    decided_at: datetime.datetime | None
    created_at: datetime.datetime
    lines: list[QuoteLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())


class QuoteIn(BodySchema):
    """A quote from the work order's parts and labour, plus labour still to do and travel."""

    note: Text(2000) = ""
    include_travel: bool = False
    labour_minutes: Annotated[int, Field(ge=0, le=LABOUR_ESTIMATE_MAX)] | None = None


@quotes_router.post(
    "/{work_order_id}/quotes",
    response=responses({201: QuoteOut}, WRITE),
    summary="Send a quote",
)
def work_order_quote_send_api(request: HttpRequest, work_order_id: Id, payload: QuoteIn):
    """Send the customer a quote for work they pay for (parts, labour, travel, tax); it
    replaces a quote still waiting, and the work order waits for their approval."""
    work_order = work_order_or_404(request, work_order_id)
    quote = quote_send(
        work_order=work_order,
        actor=request.user,
        note=payload.note,
        include_travel=payload.include_travel,
        labour_minutes=payload.labour_minutes,
    )
    return Answer(201, quote)


@quotes_router.post(
    "/{work_order_id}/quotes/withdraw",
    response=responses({200: QuoteOut}, WRITE),
    summary="Withdraw the quote",
)
def work_order_quote_withdraw_api(request: HttpRequest, work_order_id: Id):
    """Take back the quote waiting for the customer; the work order goes back to diagnosing."""
    work_order = work_order_or_404(request, work_order_id)
    return quote_withdraw(work_order=work_order, actor=request.user)

"""Quotes for work the customer pays for: built from the work order's parts and labour (and
on-site travel), taxed at the organization's rate, sent to the customer, and approved or
declined by them in the portal."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.customers.models import Customer
from aftercare.lib.dates import format_date
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text
from aftercare.repairs.events import Action, work_order_event
from aftercare.repairs.models import (
    LabourEntry,
    PartLine,
    Quote,
    QuoteLine,
    RepairSettings,
    WorkOrder,
)
from aftercare.repairs.money import cents, format_money
from aftercare.repairs.services.common import check_open, lock, move, withdraw_open_quote
from aftercare.repairs.services.settings import repair_settings_get
from aftercare.repairs.stages import QUOTABLE_STAGES, Stage
from aftercare.tickets import notices
from aftercare.tickets.models import Ticket

LABOUR_ESTIMATE_MAX = 7 * 24 * 60
_HOURS = Decimal(60)


@dataclass(frozen=True)
class QuoteDraft:
    """What a quote would say now: its lines (unsaved) and totals."""

    lines: list[QuoteLine]
    currency: str
    tax_rate: Decimal
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def ticket_language(ticket: Ticket) -> str:
    """The language the customer reads about this request in."""
    return (
        ticket.language
        or ticket.customer.preferred_language
        or ticket.organization.default_language
        or settings.LANGUAGE_CODE
    )


def _line(kind: str, description: str, quantity: Decimal, unit_price: Decimal, **extra):
    quantity, unit_price = cents(quantity), cents(unit_price)
    return QuoteLine(
        kind=kind,
        description=description[:300],
        quantity=quantity,
        unit_price=unit_price,
        amount=cents(quantity * unit_price),
        **extra,
    )


def quote_draft(
    *,
    work_order: WorkOrder,
    include_travel: bool = False,
    labour_minutes: int | None = None,
    rules: RepairSettings | None = None,
) -> QuoteDraft:
    """The quote the work order would be sent now, in the customer's language: a line per
    part it needs (at the part's price), per labour entry and for the labour still to do
    (`labour_minutes`, at the labour rate), and the travel fee if asked; tax at the
    organization's rate. Every amount is rounded to the cent, halves up; an amount is its
    quantity times its unit price (labour in hours to the hundredth)."""
    if labour_minutes is not None:
        valid = isinstance(labour_minutes, int) and not isinstance(labour_minutes, bool)
        if not valid or not 0 <= labour_minutes <= LABOUR_ESTIMATE_MAX:
            raise ApplicationError(
                _("Enter from 0 to %(max)s minutes.") % {"max": LABOUR_ESTIMATE_MAX},
                field="labour_minutes",
            )
    rules = rules or repair_settings_get(organization=work_order.organization)
    # The work order's parts and labour as loaded with it (the work order page), else read.
    loaded = getattr(work_order, "_prefetched_objects_cache", {})
    if "parts" in loaded:
        parts = [line for line in loaded["parts"] if line.status != PartLine.Status.RELEASED]
    else:
        parts = list(
            PartLine.objects.filter(work_order=work_order)
            .exclude(status=PartLine.Status.RELEASED)
            .select_related("part")
            .order_by("pk")
        )
    if "labour" in loaded:
        labour = list(loaded["labour"])
    else:
        labour = list(LabourEntry.objects.filter(work_order=work_order).order_by("pk"))
    lines: list[QuoteLine] = []
    with translation.override(ticket_language(work_order.ticket)):
        language = translation.get_language()
        for line in parts:
            lines.append(
                _line(
                    QuoteLine.Kind.PART,
                    f"{line.part.sku} {line.part.name_in(language)}",
                    Decimal(line.quantity),
                    line.unit_price,
                    part=line.part,
                )
            )
        for entry in labour:
            hours = Decimal(entry.minutes) / _HOURS
            lines.append(_line(QuoteLine.Kind.LABOUR, entry.description, hours, entry.rate))
        if labour_minutes:
            hours = Decimal(labour_minutes) / _HOURS
            lines.append(_line(QuoteLine.Kind.LABOUR, _("Labour to do"), hours, rules.labour_rate))
        if include_travel:
            lines.append(
                _line(QuoteLine.Kind.TRAVEL, _("On-site travel"), Decimal(1), rules.travel_fee)
            )
    for position, line in enumerate(lines):
        line.position = position
    subtotal = cents(sum((line.amount for line in lines), Decimal(0)))
    tax = cents(subtotal * rules.tax_rate / Decimal(100))
    return QuoteDraft(
        lines=lines,
        currency=rules.currency,
        tax_rate=rules.tax_rate,
        subtotal=subtotal,
        tax=tax,
        total=subtotal + tax,
    )


def _customer_summary(quote: Quote, quote_lines: list[QuoteLine]) -> str:
    """What the quote comes to, in the active language, for the customer's notice."""
    lines = [
        f"{line.description}: {format_money(line.amount, quote.currency)}" for line in quote_lines
    ]
    lines.append(_("Tax: %(tax)s") % {"tax": format_money(quote.tax, quote.currency)})
    lines.append(_("Total: %(total)s") % {"total": format_money(quote.total, quote.currency)})
    lines.append(_("Valid until %(date)s") % {"date": format_date(quote.valid_until)})
    if quote.note:
        lines.extend(["", quote.note])
    return "\n".join(lines)


@transaction.atomic
def quote_send(
    *,
    work_order: WorkOrder,
    actor: User | None,
    note: str = "",
    include_travel: bool = False,
    labour_minutes: int | None = None,
) -> Quote:
    """Send the customer a quote for work they pay for (see `quote_draft`); it replaces any
    quote still waiting, and the work order waits for their approval. The customer is told,
    with a link to the request in the portal, where they approve or decline it."""
    note = clean_text(note, field="note", required=False, max_length=2000)
    work_order = lock(work_order)
    check_open(work_order)
    if work_order.billing != WorkOrder.Billing.CUSTOMER:
        raise ApplicationError(
            _("Only work the customer pays for is quoted; this one is billed to %(billing)s.")
            % {"billing": work_order.get_billing_display()},
            field="billing",
        )
    if work_order.stage not in QUOTABLE_STAGES:
        raise ApplicationError(
            _("A quote is sent once the work order is diagnosed, before it is ready."),
            field="stage",
        )
    draft = quote_draft(
        work_order=work_order, include_travel=include_travel, labour_minutes=labour_minutes
    )
    if not draft.lines:
        raise ApplicationError(
            _("Nothing to quote yet: add parts or labour first."), field="labour_minutes"
        )
    rules = repair_settings_get(organization=work_order.organization)
    withdraw_open_quote(work_order, actor)
    quote = Quote.objects.create(
        organization_id=work_order.organization_id,
        work_order=work_order,
        currency=draft.currency,
        tax_rate=draft.tax_rate,
        subtotal=draft.subtotal,
        tax=draft.tax,
        total=draft.total,
        valid_until=work_order.organization.today()
        + datetime.timedelta(days=rules.quote_valid_days),
        note=note,
        created_by=actor,
    )
    for line in draft.lines:
        line.quote = quote
    QuoteLine.objects.bulk_create(draft.lines)
    if work_order.stage != Stage.AWAITING_APPROVAL:
        move(work_order, Stage.AWAITING_APPROVAL, actor)
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.QUOTE_SENT,
        quote_id=quote.pk,
        total=str(quote.total),
        currency=quote.currency,
        valid_until=quote.valid_until.isoformat(),
    )
    notices.notify_quote(
        work_order.ticket,
        key=f"quote:{quote.pk}:sent",
        describe=lambda: _customer_summary(quote, draft.lines),
    )
    return quote


def _decidable(quote: Quote, customer: Customer) -> tuple[Quote, WorkOrder]:
    """The quote and its work order, locked, if `customer` may decide it now."""
    found = (
        Quote.objects.select_for_update(of=("self",))
        .filter(pk=quote.pk, work_order__ticket__customer=customer)
        .first()
    )
    if found is None:
        raise ApplicationError(_("No such quote."), field="quote")
    if found.status != Quote.Status.SENT:
        raise ApplicationError(
            _("This quote is no longer waiting for an answer (%(status)s).")
            % {"status": found.get_status_display()},
            field="quote",
        )
    if found.valid_until < customer.organization.today():
        raise ApplicationError(
            _("This quote expired on %(date)s; ask us for a new one.")
            % {"date": format_date(found.valid_until)},
            field="quote",
        )
    work_order = lock(found.work_order)
    if work_order.stage != Stage.AWAITING_APPROVAL:
        raise ApplicationError(_("This work order no longer waits for approval."), field="quote")
    return found, work_order


def _decide(quote: Quote, status: str, reason: str = "") -> None:
    quote.status = status
    quote.decline_reason = reason
    quote.decided_at = timezone.now()
    quote.save(update_fields=["status", "decline_reason", "decided_at"])


@transaction.atomic
def quote_approve(*, quote: Quote, customer: Customer) -> Quote:
    """The request's customer approves a quote waiting for them, before it expires: the repair
    goes on (or waits for parts, if one is still short)."""
    quote, work_order = _decidable(quote, customer)
    _decide(quote, Quote.Status.APPROVED)
    actor = customer.user
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.QUOTE_APPROVED,
        quote_id=quote.pk,
        total=str(quote.total),
        currency=quote.currency,
    )
    waiting = PartLine.objects.filter(work_order=work_order, status=PartLine.Status.WAITING)
    move(work_order, Stage.AWAITING_PARTS if waiting.exists() else Stage.IN_REPAIR, actor)
    return quote


@transaction.atomic
def quote_decline(*, quote: Quote, customer: Customer, reason: str = "") -> Quote:
    """The request's customer declines a quote waiting for them: the work order stops
    (cancelled) and every part it held is free again."""
    reason = clean_text(reason, field="reason", required=False, max_length=1000)
    quote, work_order = _decidable(quote, customer)
    _decide(quote, Quote.Status.DECLINED, reason)
    actor = customer.user
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.QUOTE_DECLINED,
        quote_id=quote.pk,
        reason=reason,
    )
    move(work_order, Stage.CANCELLED, actor)
    return quote


@transaction.atomic
def quote_withdraw(*, work_order: WorkOrder, actor: User | None) -> Quote:
    """Take back the quote waiting for the customer; the work order goes back to diagnosing."""
    work_order = lock(work_order)
    quote = withdraw_open_quote(work_order, actor)
    if quote is None:
        raise ApplicationError(_("No quote waits for the customer."), field="quote")
    if work_order.stage == Stage.AWAITING_APPROVAL:
        move(work_order, Stage.DIAGNOSING, actor)
    return quote

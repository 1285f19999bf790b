"""The customer's side of repairs in the portal: each work order of their request with its
progress, coverage, warranty claim, quote (to approve or decline) and visits, and the repair's
documents and their units' warranty certificates to download."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.portal.access import customer_page
from aftercare.portal.forms import PortalForm
from aftercare.repairs.display import coverage_summary
from aftercare.repairs.documents import (
    STAGE_PATH,
    WORK_ORDER_DOCUMENTS,
    DocumentKind,
    document_language,
    document_pdf,
    first_name,
    latest_quote,
    pdf_filename,
    quote_context,
    stage_histories,
)
from aftercare.repairs.models import Quote, WorkOrder
from aftercare.repairs.selectors import quote_get_for_customer, work_orders_for_ticket
from aftercare.repairs.services import quote_approve, quote_decline
from aftercare.tickets.models import Ticket
from aftercare.tickets.selectors import ticket_get_for_customer
from aftercare.warranty.models import WarrantyClaim
from aftercare.warranty.selectors import unit_get_for_customer

Stage = WorkOrder.Stage
# Stages a repair may pass through or not: shown once reached.
_OPTIONAL_STAGES = frozenset({Stage.AWAITING_APPROVAL, Stage.AWAITING_PARTS})
# A quote's state as its customer reads it.
_QUOTE_STATES = {
    Quote.Status.SENT: gettext_lazy("Waiting for your answer"),
    Quote.Status.APPROVED: gettext_lazy("Approved"),
    Quote.Status.DECLINED: gettext_lazy("Declined"),
    Quote.Status.WITHDRAWN: gettext_lazy("Withdrawn"),
}
# Once here, the work is done and the receipt says what it was.
_RECEIPT_STAGES = frozenset({Stage.READY, Stage.DELIVERED, Stage.CLOSED})


class QuoteDeclineForm(PortalForm):
    """Why the customer declines a quote, if they care to say."""

    reason = forms.CharField(
        label=gettext_lazy("Why? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2, "dir": "auto"}),
    )


# What the request page shows of its repairs.


@dataclass(frozen=True)
class Step:
    """One stage on a work order's progress line."""

    stage: str
    label: str
    state: str  # "done", "current" or "todo"
    at: object = None


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class RepairCard:
    """A work order as the customer follows it."""

    work_order: WorkOrder
    steps: list[Step]
    is_cancelled: bool
    coverage: object  # warranty.display.CoverageLine, or None
    claim: WarrantyClaim | None
    open_quote: dict | None
    decided_quotes: list[Quote]
    visits: list[dict]
    documents: list[DocumentLink]
    certificate_url: str


def _steps(work_order: WorkOrder, history: list[dict]) -> list[Step]:
    """The progress line: the stages reached, with when, and those still to come."""
    reached = {entry["stage"]: entry["at"] for entry in history}
    if work_order.stage == Stage.CANCELLED:
        return [
            Step(stage=entry["stage"], label=entry["label"], state="done", at=entry["at"])
            for entry in history
            if entry["stage"] != Stage.CANCELLED
        ]
    current = STAGE_PATH.index(work_order.stage)
    steps = []
    for position, stage in enumerate(STAGE_PATH):
        if stage in _OPTIONAL_STAGES and stage not in reached and position != current:
            continue
        if position < current:
            state = "done"
        elif position == current:
            state = "current"
        else:
            state = "todo"
        at = reached.get(stage) if position <= current else None
        steps.append(Step(stage=stage, label=str(stage.label), state=state, at=at))
    return steps


def _document_links(organization: Organization, ticket: Ticket, work_order: WorkOrder) -> list:
    base = reverse(
        "portal:repair_document",
        kwargs={"org_slug": organization.slug, "number": ticket.number, "kind": "KIND"},
    )
    kinds = [DocumentKind.JOB_CARD]
    if any(quote.status != Quote.Status.WITHDRAWN for quote in work_order.quotes.all()):
        kinds.append(DocumentKind.QUOTE)
    if work_order.stage in _RECEIPT_STAGES:
        kinds.append(DocumentKind.RECEIPT)
    return [
        DocumentLink(
            kind=kind.value,
            label=str(kind.label),
            url=f"{base.replace('KIND', kind.value)}?work_order={work_order.pk}",
        )
        for kind in kinds
    ]


def request_repairs_context(
    *, organization: Organization, customer: Customer, ticket: Ticket
) -> dict:
    """What the request page shows of the request's repairs: its work orders (each with the
    link to its unit's warranty certificate, if the unit is the customer's), and the form to
    decline a quote."""
    return {
        "repairs": request_repairs(organization=organization, customer=customer, ticket=ticket),
        "decline_form": QuoteDeclineForm(),
    }


def request_repairs(
    *, organization: Organization, customer: Customer, ticket: Ticket
) -> list[RepairCard]:
    """The work orders of one of the customer's requests, as the request page shows them."""
    work_orders = work_orders_for_ticket(ticket=ticket)
    if not work_orders:
        return []
    histories = stage_histories(work_orders=work_orders)
    language = translation.get_language()
    cards = []
    for work_order in work_orders:
        quotes = list(work_order.quotes.all())
        open_quote = work_order.open_quote
        cards.append(
            RepairCard(
                work_order=work_order,
                steps=_steps(work_order, histories.get(work_order.pk, [])),
                is_cancelled=work_order.stage == Stage.CANCELLED,
                coverage=coverage_summary(work_order.coverage),
                claim=work_order.claim,
                open_quote=quote_context(quote=open_quote, language=language)
                if open_quote is not None
                else None,
                decided_quotes=[
                    quote
                    for quote in quotes
                    if quote.status in (Quote.Status.APPROVED, Quote.Status.DECLINED)
                ],
                visits=[
                    {
                        "start": visit.window_start,
                        "end": visit.window_end,
                        "technician": first_name(visit.technician),
                        "status": visit.status,
                        "status_label": visit.get_status_display(),
                    }
                    for visit in work_order.visits.all()
                ],
                documents=_document_links(organization, ticket, work_order),
                certificate_url=reverse(
                    "portal:unit_certificate",
                    kwargs={"org_slug": organization.slug, "unit_id": work_order.unit_id},
                )
                if work_order.unit is not None and work_order.unit.customer_id == customer.pk
                else "",
            )
        )
    return cards


# Deciding a quote.


def _quote_of_request(customer: Customer, number: int, quote_id: int) -> tuple[Ticket, Quote]:
    """The customer's request and one of its quotes, or 404 (another customer's, another
    request's or another organization's)."""
    ticket = ticket_get_for_customer(customer=customer, number=number)
    quote = quote_get_for_customer(customer=customer, quote_id=quote_id)
    if quote.work_order.ticket_id != ticket.pk:
        raise Http404
    return ticket, quote


def _quote_page(
    request: HttpRequest,
    organization: Organization,
    customer: Customer,
    ticket: Ticket,
    quote: Quote,
    *,
    decline_form: QuoteDeclineForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language()
    context = {
        "organization": organization,
        "customer": customer,
        "section": "requests",
        "ticket": ticket,
        "work_order": quote.work_order,
        "quote_view": quote_context(quote=quote, language=language),
        "quote_state": _QUOTE_STATES[quote.status],
        "decline_form": decline_form or QuoteDeclineForm(),
        "error": error,
        "pdf_url": reverse(
            "portal:repair_document",
            kwargs={"org_slug": organization.slug, "number": ticket.number, "kind": "quote"},
        )
        + f"?quote={quote.pk}",
    }
    return render(request, "portal/repair_quote.html", context, status=status)


@require_GET
@customer_page
def quote_detail_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int, quote_id: int
) -> HttpResponse:
    """A quote on the customer's request: its lines and total, and the answer it waits for."""
    ticket, quote = _quote_of_request(customer, number, quote_id)
    return _quote_page(request, organization, customer, ticket, quote)


@require_POST
@customer_page
def quote_approve_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int, quote_id: int
) -> HttpResponse:
    """The customer approves the quote: the repair goes on."""
    ticket, quote = _quote_of_request(customer, number, quote_id)
    try:
        quote_approve(quote=quote, customer=customer)
    except ApplicationError as error:
        return _quote_page(
            request, organization, customer, ticket, quote, error=error.message, status=422
        )
    messages.success(
        request,
        _("Thank you: you approved the quote for %(reference)s. We will go ahead with the repair.")
        % {"reference": quote.work_order.reference},
    )
    return redirect(
        "portal:repair_quote", org_slug=organization.slug, number=ticket.number, quote_id=quote.pk
    )


@require_POST
@customer_page
def quote_decline_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int, quote_id: int
) -> HttpResponse:
    """The customer declines the quote (saying why, if they like): the repair stops."""
    ticket, quote = _quote_of_request(customer, number, quote_id)
    form = QuoteDeclineForm(request.POST)
    if not form.is_valid():
        return _quote_page(
            request, organization, customer, ticket, quote, decline_form=form, status=422
        )
    try:
        quote_decline(quote=quote, customer=customer, reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        if error.field in form.fields:
            form.add_application_error(error)
            return _quote_page(
                request, organization, customer, ticket, quote, decline_form=form, status=422
            )
        return _quote_page(
            request, organization, customer, ticket, quote, error=error.message, status=422
        )
    messages.success(
        request,
        _(
            "You declined the quote for %(reference)s. We stopped the repair; we will be in "
            "touch about returning your product."
        )
        % {"reference": quote.work_order.reference},
    )
    return redirect(
        "portal:repair_quote", org_slug=organization.slug, number=ticket.number, quote_id=quote.pk
    )


# Documents.


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _positive(value: str | None) -> int | None:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


@require_GET
@customer_page
def repair_document_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int, kind: str
) -> HttpResponse:
    """A PDF of the customer's repair: its job card, quote or receipt (of the request's newest
    work order, or the one named by ?work_order=; the quote named by ?quote=, or the newest)."""
    if kind not in WORK_ORDER_DOCUMENTS:
        raise Http404
    ticket = ticket_get_for_customer(customer=customer, number=number)
    quote = None
    if kind == DocumentKind.QUOTE and request.GET.get("quote"):
        quote_id = _positive(request.GET.get("quote"))
        if quote_id is None:
            raise Http404
        quote = quote_get_for_customer(customer=customer, quote_id=quote_id)
        if quote.work_order.ticket_id != ticket.pk:
            raise Http404
        work_order = quote.work_order
    else:
        work_order = _work_order_of(ticket, request.GET.get("work_order"))
        if kind == DocumentKind.QUOTE:
            quote = latest_quote(work_order=work_order)
            if quote is None:
                raise Http404
    if kind == DocumentKind.RECEIPT and work_order.stage not in _RECEIPT_STAGES:
        raise Http404
    work_order.ticket = ticket
    content = document_pdf(
        kind=kind,
        work_order=work_order,
        quote=quote,
        language=document_language(work_order=work_order),
    )
    return _pdf(content, pdf_filename(kind=kind, work_order=work_order, quote=quote))


def _work_order_of(ticket: Ticket, asked: str | None) -> WorkOrder:
    """The request's work order named by id, or its newest; 404 if it has none."""
    work_orders = WorkOrder.objects.filter(organization_id=ticket.organization_id, ticket=ticket)
    if asked:
        work_order_id = _positive(asked)
        if work_order_id is None:
            raise Http404
        work_orders = work_orders.filter(pk=work_order_id)
    found = work_orders.select_related("organization").order_by("-created_at", "-id").first()
    if found is None:
        raise Http404
    return found


@require_GET
@customer_page
def unit_certificate_view(
    request: HttpRequest, organization: Organization, customer: Customer, unit_id: int
) -> HttpResponse:
    """The warranty certificate of one of the customer's own units, as a PDF."""
    unit = unit_get_for_customer(customer=customer, unit_id=unit_id)
    content = document_pdf(
        kind=DocumentKind.CERTIFICATE, unit=unit, language=document_language(unit=unit)
    )
    return _pdf(content, pdf_filename(kind=DocumentKind.CERTIFICATE, unit=unit))

"""The papers a repair hands the customer — job card, repair receipt, quote and warranty
certificate — in the customer's language (right to left, Jalali dates and Persian digits in
Persian), as a print view (HTML with an A4 print stylesheet) and as PDF through WeasyPrint."""

import datetime
import functools
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import models
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy, pgettext

from aftercare.accounts.models import Organization
from aftercare.lib.dates import format_span, uses_jalali
from aftercare.lib.languages import is_language
from aftercare.lib.text import persian_digits
from aftercare.repairs.display import coverage_summary
from aftercare.repairs.events import Action
from aftercare.repairs.models import (
    LabourEntry,
    PartLine,
    Quote,
    QuoteLine,
    Visit,
    WorkOrder,
)
from aftercare.repairs.money import cents, format_money
from aftercare.repairs.services.settings import repair_settings_get
from aftercare.tickets.models import TicketEvent
from aftercare.warranty.coverage import standard_warranty
from aftercare.warranty.models import Contract, Unit

FONT_PATH = "vendor/vazirmatn/Vazirmatn-Variable.woff2"
# The stages a repair goes through, in order; cancelled stands apart.
STAGE_PATH = (
    WorkOrder.Stage.RECEIVED,
    WorkOrder.Stage.DIAGNOSING,
    WorkOrder.Stage.AWAITING_APPROVAL,
    WorkOrder.Stage.AWAITING_PARTS,
    WorkOrder.Stage.IN_REPAIR,
    WorkOrder.Stage.READY,
    WorkOrder.Stage.DELIVERED,
    WorkOrder.Stage.CLOSED,
)


class DocumentKind(models.TextChoices):
    """The documents there are; the value is what their addresses say."""

    JOB_CARD = "job-card", gettext_lazy("Job card")
    RECEIPT = "receipt", gettext_lazy("Repair receipt")
    QUOTE = "quote", gettext_lazy("Quote")
    CERTIFICATE = "certificate", gettext_lazy("Warranty certificate")


WORK_ORDER_DOCUMENTS = (DocumentKind.JOB_CARD, DocumentKind.RECEIPT, DocumentKind.QUOTE)


# Words and numbers in the active language.


def format_number(value: Decimal | int) -> str:
    """A quantity with only the decimals it has, in the active language's digits and decimal
    separator (as amounts of money are written): "1.5", "1,5" in Turkish, "۱٫۵" in Persian."""
    value = Decimal(value)
    text = str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"
    text = text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return persian_digits(text) if uses_jalali() else text


def coverage_text(snapshot: dict | None) -> str:
    """What a work order's coverage snapshot says, in the active language: "In warranty until
    …", or why it is not covered; "" when no check was made."""
    line = coverage_summary(snapshot)
    return line.text if line is not None else ""


def document_language(*, work_order: WorkOrder | None = None, unit: Unit | None = None) -> str:
    """The language a customer's documents are written in: the request's, else the customer's,
    else the organization's default."""
    candidates = []
    if work_order is not None:
        candidates += [work_order.ticket.language, work_order.ticket.customer.preferred_language]
        organization = work_order.organization
    else:
        assert unit is not None
        if unit.customer is not None:
            candidates.append(unit.customer.preferred_language)
        organization = unit.organization
    candidates.append(organization.default_language)
    return next((code for code in candidates if code and is_language(code)), "en")


# What the documents show.


@dataclass(frozen=True)
class Money:
    """The money of a repair in its organization: currency and tax."""

    currency: str
    tax_rate: Decimal

    def __call__(self, amount: Decimal | int) -> str:
        return format_money(amount, self.currency)


def _money(organization: Organization) -> Money:
    rules = repair_settings_get(organization=organization)
    return Money(currency=rules.currency, tax_rate=Decimal(rules.tax_rate))


def first_name(user) -> str:
    """The name a customer is told a member of staff goes by: the first of their names."""
    if user is None or not user.full_name.strip():
        return ""
    return user.full_name.split()[0]


def labour_amount(entry: LabourEntry) -> Decimal:
    """A labour entry's price as a quote counts it: its hours to the hundredth at its hourly
    rate, to the cent."""
    return cents(cents(Decimal(entry.minutes) / 60) * entry.rate)


def _work_order_loaded(pk: int) -> WorkOrder:
    """A work order with everything its documents show, in a few queries."""
    return (
        WorkOrder.objects.select_related(
            "organization",
            "ticket__organization",
            "ticket__customer",
            "unit__product_model",
            "technician",
            "claim",
            "reported_fault",
            "root_cause",
        )
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=PartLine.objects.select_related("part").order_by("created_at", "id"),
            ),
            Prefetch(
                "labour",
                queryset=LabourEntry.objects.select_related("technician").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "visits",
                queryset=Visit.objects.select_related("technician").order_by("window_start"),
            ),
        )
        .get(pk=pk)
    )


def _stage_moves(**filters) -> dict[int, list[tuple[str, datetime.datetime]]]:
    """The stage moves recorded on requests' timelines, by work order, oldest first."""
    moves = TicketEvent.objects.filter(
        kind=TicketEvent.Kind.WORK, data__action=Action.STAGE, **filters
    ).order_by("created_at", "id")
    found: dict[int, list[tuple[str, datetime.datetime]]] = {}
    for event in moves.only("data", "created_at"):
        found.setdefault(event.data.get("work_order_id"), []).append(
            (event.data.get("to"), event.created_at)
        )
    return found


def _history(work_order: WorkOrder, moves: list) -> list[dict]:
    reached = [(WorkOrder.Stage.RECEIVED.value, work_order.created_at), *moves]
    return [
        {"stage": stage, "label": WorkOrder.Stage(stage).label, "at": at}
        for stage, at in reached
        if stage in WorkOrder.Stage.values
    ]


def stage_history(work_order: WorkOrder) -> list[dict]:
    """The stages a work order went through, each with when it got there (its moves on the
    request's timeline), oldest first. One query."""
    moves = _stage_moves(ticket_id=work_order.ticket_id, data__work_order_id=work_order.pk)
    return _history(work_order, moves.get(work_order.pk, []))


def stage_histories(*, work_orders: list[WorkOrder]) -> dict[int, list[dict]]:
    """`stage_history` of each of a request's work orders, by id: one query for them all."""
    if not work_orders:
        return {}
    moves = _stage_moves(ticket_id=work_orders[0].ticket_id)
    return {
        work_order.pk: _history(work_order, moves.get(work_order.pk, []))
        for work_order in work_orders
    }


def _unit_rows(work_order: WorkOrder) -> dict:
    """The product: the registered unit, or what was typed on the request."""
    unit, ticket = work_order.unit, work_order.ticket
    if unit is not None:
        return {
            "model": str(unit.product_model),
            "serial": unit.serial_number,
            "purchase_date": unit.purchase_date,
        }
    return {
        "model": str(ticket.product_model) if ticket.product_model_id else "",
        "serial": ticket.serial_number,
        "purchase_date": ticket.purchase_date,
    }


def _part_rows(work_order: WorkOrder, language: str, money: Money, *, used_only: bool) -> list:
    rows = []
    for line in work_order.parts.all():
        if line.status == PartLine.Status.RELEASED or (
            used_only and line.status != PartLine.Status.USED
        ):
            continue
        amount = line.unit_price * line.quantity
        rows.append(
            {
                "name": line.part.name_in(language),
                "sku": line.part.sku,
                "serial": line.serial_number,
                "status": line.get_status_display(),
                "quantity": format_number(line.quantity),
                "unit_price": money(line.unit_price),
                "amount": money(amount),
                "value": amount,
            }
        )
    return rows


def _labour_rows(work_order: WorkOrder, money: Money) -> list:
    rows = []
    for entry in work_order.labour.all():
        amount = labour_amount(entry)
        rows.append(
            {
                "description": entry.description,
                "technician": first_name(entry.technician),
                "time": format_span(entry.minutes * 60),
                "rate": money(entry.rate),
                "amount": money(amount),
                "value": amount,
            }
        )
    return rows


def receipt_totals(*, work_order: WorkOrder, parts: list, labour: list, money: Money) -> dict:
    """What the customer pays for the work done: parts used and labour, less what the warranty
    or goodwill covers, plus tax on the rest."""
    parts_total = sum((row["value"] for row in parts), Decimal(0))
    labour_total = sum((row["value"] for row in labour), Decimal(0))
    subtotal = parts_total + labour_total
    covered = Decimal(0)
    if work_order.billing == WorkOrder.Billing.GOODWILL:
        covered = subtotal
    elif work_order.billing == WorkOrder.Billing.WARRANTY:
        coverage = work_order.coverage or {}
        if coverage.get("covers_parts", True):
            covered += parts_total
        if coverage.get("covers_labour", True):
            covered += labour_total
    taxable = subtotal - covered
    tax = cents(taxable * money.tax_rate / 100)
    return {
        "subtotal": money(subtotal),
        "covered": money(-covered) if covered else "",
        "tax_rate": format_number(money.tax_rate),
        "tax": money(tax),
        "total": money(taxable + tax),
        "values": {"subtotal": subtotal, "covered": covered, "tax": tax, "total": taxable + tax},
    }


def _quote_rows(quote: Quote, language: str, money: Money) -> list:
    rows = []
    for line in quote.lines.all():
        description = line.description
        if line.kind == QuoteLine.Kind.PART and line.part is not None:
            description = line.part.name_in(language)
        rows.append(
            {
                "kind": line.get_kind_display(),
                "description": description,
                "quantity": format_number(line.quantity),
                "unit_price": money(line.unit_price),
                "amount": money(line.amount),
            }
        )
    return rows


def quote_number(quote: Quote) -> str:
    """A quote's reference: its work order's and its place among that work order's quotes."""
    place = Quote.objects.filter(work_order_id=quote.work_order_id, pk__lte=quote.pk).count()
    return f"{quote.work_order.reference}/Q{place}"


def latest_quote(*, work_order: WorkOrder) -> Quote | None:
    """The quote a work order's quote document shows: its newest one not withdrawn, else its
    newest."""
    quotes = Quote.objects.filter(work_order=work_order).order_by("-created_at", "-id")
    return quotes.exclude(status=Quote.Status.WITHDRAWN).first() or quotes.first()


def pdf_filename(
    *, kind: str, work_order: WorkOrder | None = None, quote: Quote | None = None, unit=None
) -> str:
    """The name a downloaded document is saved under (ASCII only)."""
    if kind == DocumentKind.CERTIFICATE:
        serial = re.sub(r"[^A-Za-z0-9_-]", "", unit.serial_number)[:40] or str(unit.pk)
        return f"warranty-certificate-{serial}.pdf"
    if kind == DocumentKind.QUOTE and quote is not None:
        return f"quote-{quote_number(quote).replace('/', '-')}.pdf"
    return f"{kind}-{work_order.reference}.pdf"


def quote_context(*, quote: Quote, language: str) -> dict:
    """A quote's lines and totals in its own currency, written in the active language."""
    money = Money(currency=quote.currency, tax_rate=quote.tax_rate)
    return {
        "quote": quote,
        "lines": _quote_rows(quote, language, money),
        "subtotal": money(quote.subtotal),
        "tax_rate": format_number(quote.tax_rate),
        "tax": money(quote.tax),
        "total": money(quote.total),
    }


def _work_order_context(kind: str, work_order: WorkOrder, language: str) -> dict:
    money = _money(work_order.organization)
    ticket = work_order.ticket
    parts = _part_rows(work_order, language, money, used_only=kind == DocumentKind.RECEIPT)
    labour = _labour_rows(work_order, money)
    context = {
        "work_order": work_order,
        "ticket": ticket,
        "customer": ticket.customer,
        "contact_email": ticket.contact_email,
        "contact_phone": ticket.contact_phone,
        "unit": _unit_rows(work_order),
        "stages": stage_history(work_order),
        "parts": parts,
        "labour": labour,
        "visits": [
            {
                "start": visit.window_start,
                "end": visit.window_end,
                "technician": first_name(visit.technician),
                "status": visit.get_status_display(),
            }
            for visit in work_order.visits.all()
        ],
        "coverage": coverage_text(work_order.coverage),
        "claim": work_order.claim,
        "technician": first_name(work_order.technician),
        "number": work_order.reference,
        # A job card is dated when the work order was opened; a receipt when it is handed over.
        "issued": work_order.created_at,
    }
    if kind == DocumentKind.RECEIPT:
        context["totals"] = receipt_totals(
            work_order=work_order, parts=parts, labour=labour, money=money
        )
        context["issued"] = work_order.closed_at or timezone.now()
    return context


def _covers(cover) -> str:
    """What a policy or contract pays for, listed: "parts, labour"."""
    names = [
        (cover.covers_parts, pgettext("covers", "parts")),
        (cover.covers_labour, pgettext("covers", "labour")),
        (cover.covers_travel, pgettext("covers", "on-site travel")),
    ]
    return pgettext("list separator", ", ").join(name for covered, name in names if covered)


def _certificate_context(unit: Unit) -> dict:
    unit = Unit.objects.select_related(
        "organization", "product_model__warranty_policy", "customer"
    ).get(pk=unit.pk)
    policy = unit.product_model.warranty_policy
    standard = standard_warranty(unit=unit)
    contracts = Contract.objects.filter(unit=unit, voided_at__isnull=True).order_by(
        "starts_on", "id"
    )
    return {
        "unit": unit,
        "organization": unit.organization,
        "customer": unit.customer,
        "standard": {
            "starts_on": standard[0],
            "until": standard[1],
            "covers": _covers(policy) if policy else "",
        }
        if standard
        else None,
        "contracts": [
            {
                "kind": contract.get_kind_display(),
                "starts_on": contract.starts_on,
                "ends_on": contract.ends_on,
                "covers": _covers(contract),
                "reference": contract.reference,
            }
            for contract in contracts
        ],
        "number": f"WC-{unit.pk:06d}",
        "issued": timezone.now(),
    }


def _context(*, kind, work_order, quote, unit, language) -> dict:
    if kind == DocumentKind.CERTIFICATE:
        if unit is None:
            raise ValueError("A warranty certificate is written for a unit.")
        return _certificate_context(unit)
    if kind == DocumentKind.QUOTE:
        if quote is None:
            raise ValueError("A quote document needs the quote.")
        work_order = _work_order_loaded(quote.work_order_id)
        quote = (
            Quote.objects.prefetch_related(
                Prefetch("lines", queryset=QuoteLine.objects.select_related("part"))
            )
            .select_related("work_order")
            .get(pk=quote.pk)
        )
        quote.work_order = work_order
        context = _work_order_context(kind, work_order, language)
        context.update(quote_context(quote=quote, language=language))
        context.update(number=quote_number(quote), issued=quote.created_at)
        return context
    if kind not in (DocumentKind.JOB_CARD, DocumentKind.RECEIPT) or work_order is None:
        raise ValueError(f"No document {kind!r} for this work order.")
    work_order = _work_order_loaded(work_order.pk)
    context = _work_order_context(kind, work_order, language)
    context["organization"] = work_order.organization
    return context


def _render(*, kind, work_order, quote, unit, language, font_faces, pdf_url, for_pdf) -> str:
    kind = DocumentKind(kind)
    with translation.override(language):
        context = _context(
            kind=kind, work_order=work_order, quote=quote, unit=unit, language=language
        )
        organization = context.get("organization") or context["work_order"].organization
        with timezone.override(organization.time_zone or "UTC"):
            context.update(
                kind=kind.value,
                title=kind.label,
                organization=organization,
                language=language,
                direction="rtl" if translation.get_language_bidi() else "ltr",
                font_faces=font_faces,
                pdf_url=pdf_url,
                for_pdf=for_pdf,
            )
            template = f"repairs/documents/{kind.value.replace('-', '_')}.html"
            return render_to_string(template, context)


def document_html(
    *,
    kind: str,
    work_order: WorkOrder | None = None,
    quote: Quote | None = None,
    unit: Unit | None = None,
    language: str,
    pdf_url: str = "",
) -> str:
    """A document's print view: a page of its own with an A4 print stylesheet, the font taken
    from the static files; `pdf_url` adds a link to its PDF."""
    return _render(
        kind=kind,
        work_order=work_order,
        quote=quote,
        unit=unit,
        language=language,
        font_faces=[{"url": static(FONT_PATH), "format": "woff2", "weight": "100 900"}],
        pdf_url=pdf_url,
        for_pdf=False,
    )


def document_pdf(
    *,
    kind: str,
    work_order: WorkOrder | None = None,
    quote: Quote | None = None,
    unit: Unit | None = None,
    language: str,
) -> bytes:
    """A document as a PDF, with the shipped font embedded; it fetches nothing else."""
    from weasyprint import HTML

    fonts = _pdf_fonts()
    html = _render(
        kind=kind,
        work_order=work_order,
        quote=quote,
        unit=unit,
        language=language,
        font_faces=[
            {"url": url, "format": "truetype", "weight": weight}
            for url, (weight, _content) in fonts.items()
        ],
        pdf_url="",
        for_pdf=True,
    )
    allowed = {url: content for url, (_weight, content) in fonts.items()}
    return HTML(string=html, url_fetcher=_fetcher(allowed)).write_pdf()


def _font_file() -> Path:
    """The shipped font on disk: from the static files finders, else the source tree."""
    found = finders.find(FONT_PATH)
    if found:
        return Path(found).resolve()
    return (Path(settings.BASE_DIR) / "aftercare" / "static" / FONT_PATH).resolve()


# The weights the documents write in: regular and bold.
_WEIGHTS = (400, 700)


@functools.cache
def _pdf_fonts() -> dict[str, tuple[int, bytes]]:
    """The shipped variable font cut into the weights the documents use, as TrueType, by the
    file URL WeasyPrint asks for (the font's own, marked with the weight): made once per
    process, since WeasyPrint would otherwise unpack and cut the WOFF2 for every PDF (seconds)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    path = _font_file()
    variable = TTFont(path)
    fonts = {}
    for weight in _WEIGHTS:
        font = instantiateVariableFont(variable, {"wght": weight}, static=True, inplace=False)
        font.flavor = None
        content = io.BytesIO()
        font.save(content)
        fonts[f"{path.as_uri()}#wght={weight}"] = (weight, content.getvalue())
    return fonts


def _fetcher(allowed: dict[str, bytes]):
    """A WeasyPrint URL fetcher that hands out only our own fonts: no network, no file (a
    customer's text could otherwise name one)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFontsFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            content = allowed.get(url)
            if content is None:
                raise ValueError(f"Refused to fetch {url[:200]!r}")
            return URLFetcherResponse(url, content, {"Content-Type": "font/ttf"})

    return OwnFontsFetcher(allowed_protocols=("file",))

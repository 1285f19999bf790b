"""Console pages for a repair's documents: the print view, and the PDF to download, of a work
order's job card, receipt and quote and of a unit's warranty certificate."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view
from aftercare.lib.languages import is_language
from aftercare.repairs.documents import (
    WORK_ORDER_DOCUMENTS,
    DocumentKind,
    document_html,
    document_language,
    document_pdf,
    latest_quote,
    pdf_filename,
)
from aftercare.repairs.selectors import work_order_get
from aftercare.warranty.selectors import unit_get


def _language(request: HttpRequest, default: str) -> str:
    """The customer's language, unless staff ask for another one (?language=en)."""
    asked = request.GET.get("language", "")
    return asked if is_language(asked) else default


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def html_response(content: str) -> HttpResponse:
    response = HttpResponse(content)
    # The print view stands alone: only its own font is loaded, nothing else runs.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
@console_view()
def work_order_document_view(
    request: HttpRequest, membership: Membership, work_order_id: int, kind: str, pdf: bool = False
) -> HttpResponse:
    """A work order's job card, receipt or quote: the print view, or its PDF (?format=pdf)."""
    if kind not in WORK_ORDER_DOCUMENTS:
        raise Http404
    work_order = work_order_get(organization=membership.organization, work_order_id=work_order_id)
    quote = latest_quote(work_order=work_order) if kind == DocumentKind.QUOTE else None
    if kind == DocumentKind.QUOTE and quote is None:
        raise Http404
    language = _language(request, document_language(work_order=work_order))
    if pdf or request.GET.get("format") == "pdf":
        content = document_pdf(kind=kind, work_order=work_order, quote=quote, language=language)
        return pdf_response(content, pdf_filename(kind=kind, work_order=work_order, quote=quote))
    pdf_url = reverse("repairs:document_pdf", kwargs={"work_order_id": work_order.pk, "kind": kind})
    return html_response(
        document_html(
            kind=kind,
            work_order=work_order,
            quote=quote,
            language=language,
            pdf_url=f"{pdf_url}?language={language}",
        )
    )


@require_GET
@console_view()
def unit_certificate_view(
    request: HttpRequest, membership: Membership, unit_id: int, pdf: bool = False
) -> HttpResponse:
    """A unit's warranty certificate: the print view, or its PDF (?format=pdf)."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    language = _language(request, document_language(unit=unit))
    kind = DocumentKind.CERTIFICATE
    if pdf or request.GET.get("format") == "pdf":
        content = document_pdf(kind=kind, unit=unit, language=language)
        return pdf_response(content, pdf_filename(kind=kind, unit=unit))
    pdf_url = reverse("repairs:certificate_pdf", kwargs={"unit_id": unit.pk})
    return html_response(
        document_html(
            kind=kind, unit=unit, language=language, pdf_url=f"{pdf_url}?language={language}"
        )
    )

import datetime
import re
import zlib

import jdatetime
import pytest
from django.test import Client
from django.utils import timezone

from aftercare.lib.testing import client_for
from aftercare.lib.text import persian_digits
from aftercare.repairs.documents import (
    DocumentKind,
    _fetcher,
    _font_file,
    _pdf_fonts,
    document_html,
    document_language,
    document_pdf,
)
from aftercare.repairs.models import Quote, WorkOrder
from aftercare.repairs.services import quote_approve, repair_settings_update, visit_schedule
from aftercare.repairs.tests.document_factories import Shop
from aftercare.warranty.models import Unit
from aftercare.warranty.services.contracts import contract_extend
from aftercare.warranty.services.units import unit_register

Stage = WorkOrder.Stage
TODAY = timezone.localdate()
IN_WARRANTY = TODAY - datetime.timedelta(days=30)
OUT_OF_WARRANTY = datetime.date(2022, 5, 4)


def jalali(day: datetime.date) -> str:
    return persian_digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))


def pdf_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (WeasyPrint compresses its objects)."""
    names = set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            body = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        names.update(
            name.split(b"+")[-1].decode() for name in re.findall(rb"/FontName\s*/(\S+?)/", body)
        )
    return names


@pytest.fixture
def shop(org, alice_admin):
    return Shop(org, alice_admin)


@pytest.fixture
def warranty_repair(shop, customer, tina_technician):
    """A washer a month old, repaired under warranty: the pump fitted, ready."""
    unit = shop.unit(customer, serial="AR-2024-0001", purchase_date=IN_WARRANTY)
    work_order = shop.open(customer, unit, technician=tina_technician)
    line = shop.diagnose(work_order)
    return shop.finish(work_order, line)


@pytest.fixture
def paid_repair(shop, customer, tina_technician):
    """A washer out of warranty: quoted, approved by the customer, repaired, ready."""
    unit = shop.unit(customer, serial="AR-2022-0042", purchase_date=OUT_OF_WARRANTY)
    work_order = shop.open(customer, unit, technician=tina_technician)
    quote = shop.quote(work_order)
    quote_approve(quote=quote, customer=customer)
    line = work_order.parts.get()
    return shop.finish(work_order, line)


# What the documents say


def test_job_card_in_english(warranty_repair, org, customer):
    work_order = warranty_repair
    html = document_html(kind="job-card", work_order=work_order, language="en")
    assert '<html lang="en" dir="ltr">' in html
    assert 'data-testid="document-title">Job card<' in html
    assert 'data-testid="document-organization">Demo Electronics<' in html
    assert f'data-testid="document-number">{work_order.reference}<' in html
    assert f'data-testid="document-date">{work_order.created_at.date():%Y-%m-%d}<' in html
    assert 'data-testid="document-customer">Maryam Ahmadi<' in html
    assert f'data-testid="document-request">{work_order.ticket.reference}<' in html
    assert f'data-testid="document-work-order">{work_order.reference}<' in html
    assert "· Service centre</td>" in html
    assert 'data-testid="document-technician">Tina<' in html
    assert 'data-testid="document-model">Arya WM-900<' in html
    assert 'data-testid="document-serial">AR-2024-0001<' in html
    assert f'data-testid="document-purchase-date">{IN_WARRANTY:%Y-%m-%d}<' in html
    assert 'data-testid="document-billing">Warranty<' in html
    until = IN_WARRANTY.replace(year=IN_WARRANTY.year + 2) - datetime.timedelta(days=1)
    assert f'data-testid="document-coverage">In warranty until {until:%Y-%m-%d}<' in html
    assert 'data-testid="document-claim">Pending<' in html
    assert "A coin blocks the drain pump." in html
    stages = re.findall(r'<li data-stage="(\w+)">', html)
    assert stages == ["received", "diagnosing", "in_repair", "ready"]
    # The job card lists the parts asked for, at their price, and the labour.
    assert '<td dir="auto">Drain pump</td>' in html
    assert '<td class="num">2,500,000 IRR</td>' in html
    assert '<td dir="auto">Replaced the drain pump</td><td dir="auto">Alice</td>' in html
    assert '<td class="num">1 h 30 min</td>' in html
    assert '<td class="num">1,800,000 IRR</td>' in html
    assert 'data-testid="document-pdf"' not in html  # no link unless one is given


def test_job_card_in_persian_is_right_to_left_with_jalali_dates(warranty_repair):
    work_order = warranty_repair
    html = document_html(kind="job-card", work_order=work_order, language="fa")
    assert '<html lang="fa" dir="rtl">' in html
    assert f'data-testid="document-purchase-date">{jalali(IN_WARRANTY)}<' in html
    date = timezone.localtime(work_order.created_at).date()
    assert f'data-testid="document-date">{jalali(date)}<' in html
    until = IN_WARRANTY.replace(year=IN_WARRANTY.year + 2) - datetime.timedelta(days=1)
    assert jalali(until) in html
    # The part's Persian name, amounts and quantities in Persian digits.
    assert '<td dir="auto">پمپ تخلیه</td>' in html
    assert '<td class="num">۲٬۵۰۰٬۰۰۰ ریال</td>' in html
    assert '<td class="num">۱</td>' in html
    # The reference numbers stay as they are typed: left to right, ASCII.
    assert f'<span dir="ltr" data-testid="document-number">{work_order.reference}</span>' in html
    dates = re.findall(r'data-testid="document-(?:date|purchase-date)">([^<]*)<', html)
    assert all(not re.search(r"[0-9]", value) for value in dates)


def test_job_card_lists_the_visits(shop, customer, tina_technician, alice_admin):
    unit = shop.unit(customer, serial="AR-2024-0001", purchase_date=IN_WARRANTY)
    work_order = shop.open(customer, unit, technician=None)
    start = timezone.make_aware(datetime.datetime(2026, 12, 20, 9, 0))
    visit_schedule(
        work_order=work_order,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=3),
        address="12 Valiasr St.",
        actor=alice_admin,
    )
    html = document_html(kind="job-card", work_order=work_order, language="en")
    assert (
        '<tr><td>2026-12-20 09:00 – 2026-12-20 12:00</td><td dir="auto">Tina</td>'
        "<td>Scheduled</td></tr>"
    ) in html
    assert "Tina Tech" not in html


def test_document_language_is_the_requests_then_the_customers(warranty_repair, org, customer):
    work_order = warranty_repair
    ticket = work_order.ticket
    assert ticket.language == "fa"  # taken from Maryam's when the request was opened
    ticket.language = "tr"
    assert document_language(work_order=work_order) == "tr"
    ticket.language = ""
    assert document_language(work_order=work_order) == "fa"
    ticket.customer.preferred_language = ""
    work_order.organization.default_language = "kk"
    assert document_language(work_order=work_order) == "kk"
    assert document_language(unit=work_order.unit) == "fa"


def test_receipt_of_a_paid_repair_adds_tax_exactly(paid_repair):
    html = document_html(kind="receipt", work_order=paid_repair, language="en")
    assert 'data-testid="document-title">Repair receipt<' in html
    assert 'data-testid="document-billing">Paid by the customer<' in html
    assert 'data-testid="document-coverage">Not covered: expired on 2024-05-03<' in html
    assert 'data-testid="document-subtotal">4,300,000 IRR<' in html
    assert 'data-testid="document-covered"' not in html
    assert "Tax (9%)" in html
    assert 'data-testid="document-tax">387,000 IRR<' in html
    assert 'data-testid="document-total">4,687,000 IRR<' in html
    # Only what was used is on the receipt.
    assert "<th>Status</th>" not in html

    fa = document_html(kind="receipt", work_order=paid_repair, language="fa")
    assert 'data-testid="document-subtotal">۴٬۳۰۰٬۰۰۰ ریال<' in fa
    assert "(۹%)" in fa
    assert 'data-testid="document-tax">۳۸۷٬۰۰۰ ریال<' in fa
    assert 'data-testid="document-total">۴٬۶۸۷٬۰۰۰ ریال<' in fa


def test_receipt_of_a_warranty_repair_is_covered(warranty_repair):
    html = document_html(kind="receipt", work_order=warranty_repair, language="en")
    assert 'data-testid="document-subtotal">4,300,000 IRR<' in html
    assert "Covered by the warranty" in html
    assert 'data-testid="document-covered">-4,300,000 IRR<' in html
    assert 'data-testid="document-tax">0 IRR<' in html
    assert 'data-testid="document-total">0 IRR<' in html


def test_quote_document_shows_the_quote_as_sent(shop, customer, tina_technician):
    unit = shop.unit(customer, serial="AR-2022-0042", purchase_date=OUT_OF_WARRANTY)
    work_order = shop.open(customer, unit, technician=tina_technician, language="en")
    quote = shop.quote(work_order)
    html = document_html(kind="quote", quote=quote, language="en")
    assert 'data-testid="document-title">Quote<' in html
    assert f'data-testid="document-number">{work_order.reference}/Q1<' in html
    lines = re.findall(
        r'<tr><td dir="auto">([^<]*)</td><td>(\w+)</td><td class="num">([^<]*)</td>'
        r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td></tr>',
        html,
    )
    assert lines == [
        ("Drain pump", "Part", "1", "2,500,000 IRR", "2,500,000 IRR"),
        ("Replaced the drain pump", "Labour", "1.5", "1,200,000 IRR", "1,800,000 IRR"),
    ]
    assert 'data-testid="document-subtotal">4,300,000 IRR<' in html
    assert 'data-testid="document-tax">387,000 IRR<' in html
    assert 'data-testid="document-total">4,687,000 IRR<' in html
    valid_until = quote.valid_until
    assert f"This quote holds until {valid_until:%Y-%m-%d}." in html
    assert 'data-testid="document-quote-note">Parts in stock.<' in html
    assert "Waiting for the customer" in html

    fa = document_html(kind="quote", quote=quote, language="fa")
    assert '<html lang="fa" dir="rtl">' in fa
    assert '<tr><td dir="auto">پمپ تخلیه</td>' in fa
    assert '<td class="num">۱٫۵</td>' in fa
    assert 'data-testid="document-total">۴٬۶۸۷٬۰۰۰ ریال<' in fa
    assert jalali(valid_until) in fa


def test_a_quote_in_lira_is_written_the_turkish_and_the_kazakh_way(shop, customer, tina_technician):
    repair_settings_update(
        organization=shop.organization,
        currency="TRY",
        tax_rate="20",
        labour_rate="850.50",
        travel_fee="0",
        quote_valid_days=14,
    )
    unit = shop.unit(customer, serial="AR-2022-0043", purchase_date=OUT_OF_WARRANTY)
    work_order = shop.open(customer, unit, technician=tina_technician, language="tr")
    quote = shop.quote(work_order)
    # 2,500,000.00 + 1.5 h at 850.50 = 2,501,275.75; 20% tax 500,255.15; total 3,001,530.90.
    tr = document_html(kind="quote", quote=quote, language="tr")
    assert '<td class="num">1,5</td><td class="num">850,50 TRY</td>' in tr
    assert 'data-testid="document-subtotal">2.501.275,75 TRY<' in tr
    assert 'data-testid="document-tax">500.255,15 TRY<' in tr
    assert 'data-testid="document-total">3.001.530,90 TRY<' in tr
    kk = document_html(kind="quote", quote=quote, language="kk")
    assert 'data-testid="document-total">3\xa0001\xa0530,90 TRY<' in kk
    fa = document_html(kind="quote", quote=quote, language="fa")
    assert 'data-testid="document-total">۳٬۰۰۱٬۵۳۰٫۹۰ TRY<' in fa


def test_warranty_certificate(shop, customer, alice_admin):
    # Two years from 1 Farvardin 1404 (2025-03-21), then a year extended.
    unit = shop.unit(customer, serial="AR-2025-0007", purchase_date=datetime.date(2025, 3, 21))
    contract_extend(unit=unit, months=12, price="3000000", reference="EXT-9", actor=alice_admin)
    html = document_html(kind="certificate", unit=unit, language="en")
    assert 'data-testid="document-title">Warranty certificate<' in html
    assert f'data-testid="document-number">WC-{unit.pk:06d}<' in html
    assert 'data-testid="document-customer">Maryam Ahmadi<' in html
    assert 'data-testid="document-model">Arya WM-900<' in html
    assert 'data-testid="document-serial">AR-2025-0007<' in html
    assert 'data-testid="document-purchase-date">2025-03-21<' in html
    assert "From 2025-03-21 to 2027-03-20 inclusive." in html
    assert "Covers: parts, labour" in html
    assert (
        "<td>Extended warranty</td><td>2027-03-21</td><td>2028-03-20</td>"
        '\n      <td>parts, labour</td>\n      <td dir="ltr">EXT-9</td>'
    ) in html

    fa = document_html(kind="certificate", unit=unit, language="fa")
    assert '<html lang="fa" dir="rtl">' in fa
    assert "از ۱۴۰۴/۰۱/۰۱ تا ۱۴۰۵/۱۲/۲۹، با احتساب هر دو روز." in fa
    assert "<td>۱۴۰۶/۰۱/۰۱</td><td>۱۴۰۷/۰۱/۰۱</td>" in fa
    assert 'data-testid="document-purchase-date">۱۴۰۴/۰۱/۰۱<' in fa


def test_certificate_of_a_unit_bought_elsewhere_says_it_has_no_warranty(shop, customer):
    unit = unit_register(
        organization=shop.organization,
        product_model=shop.washer,
        serial_number="GREY-1",
        customer=customer,
        source=Unit.Source.CONSOLE,
        purchase_date=datetime.date(2025, 3, 21),
        is_sold_by_us=False,
    )
    html = document_html(kind="certificate", unit=unit, language="en")
    assert "This unit has no standard warranty from us" in html
    assert 'data-testid="document-contracts"' not in html


def test_documents_read_a_fixed_number_of_queries(
    shop, customer, tina_technician, django_assert_max_num_queries
):
    unit = shop.unit(customer, serial="AR-2022-0042", purchase_date=OUT_OF_WARRANTY)
    work_order = shop.open(customer, unit, technician=tina_technician)
    shop.diagnose(work_order)
    for _ in range(4):
        shop.diagnose(work_order)  # more parts and labour: the same queries
    with django_assert_max_num_queries(12):
        html = document_html(kind="job-card", work_order=work_order, language="en")
    assert html.count('<td dir="auto">Drain pump</td>') == 5


# PDF


@pytest.mark.parametrize("language", ["fa", "en"])
def test_pdf_embeds_the_shipped_font(warranty_repair, language):
    pdf = document_pdf(kind="receipt", work_order=warranty_repair, language=language)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 8000
    fonts = pdf_fonts(pdf)
    assert fonts, "no font embedded"
    assert all(name.startswith("Vazirmatn") for name in fonts), fonts


def test_pdf_of_every_document(paid_repair, customer):
    quote = Quote.objects.get(work_order=paid_repair)
    for kind, values in (
        (DocumentKind.JOB_CARD, {"work_order": paid_repair}),
        (DocumentKind.RECEIPT, {"work_order": paid_repair}),
        (DocumentKind.QUOTE, {"quote": quote}),
        (DocumentKind.CERTIFICATE, {"unit": paid_repair.unit}),
    ):
        pdf = document_pdf(kind=kind, language="fa", **values)
        assert pdf.startswith(b"%PDF-"), kind
        assert "Vazirmatn" in " ".join(pdf_fonts(pdf)), kind


def test_pdf_fonts_are_cut_from_the_shipped_font():
    font = _font_file()
    assert font.name == "Vazirmatn-Variable.woff2"
    assert font.is_file()
    fonts = _pdf_fonts()
    assert sorted(fonts) == [f"{font.as_uri()}#wght=400", f"{font.as_uri()}#wght=700"]
    assert [weight for weight, _content in fonts.values()] == [400, 700]
    assert all(content[:4] == b"\x00\x01\x00\x00" for _weight, content in fonts.values())


def test_pdf_fetcher_hands_out_the_fonts_and_nothing_else():
    font = _font_file()
    url = f"{font.as_uri()}#wght=400"
    fetcher = _fetcher({url: b"font"})
    assert fetcher.fetch(url).read() == b"font"
    for refused in (
        font.as_uri(),
        "file:///etc/passwd",
        font.parent.joinpath("OFL.txt").as_uri(),
        "http://127.0.0.1:9/font.woff2",
        "https://fonts.example.com/vazirmatn.woff2",
        "data:font/woff2;base64,AAAA",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


# Console pages


def test_print_view_for_staff(warranty_repair, agent_client):
    work_order = warranty_repair
    response = agent_client.get(f"/repairs/{work_order.pk}/documents/job-card/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html  # Maryam's language
    assert 'src: url("/static/vendor/vazirmatn/Vazirmatn-Variable.woff2") format("woff2");' in html
    assert "@page {\n  size: A4;" in html
    assert "@media print" in html
    assert (
        f'<a href="/repairs/{work_order.pk}/documents/job-card.pdf?language=fa" '
        'data-testid="document-pdf">' in html
    )
    english = agent_client.get(f"/repairs/{work_order.pk}/documents/receipt/?language=en")
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    # A language we do not speak is ignored.
    other = agent_client.get(f"/repairs/{work_order.pk}/documents/receipt/?language=xx")
    assert '<html lang="fa" dir="rtl">' in other.content.decode()


@pytest.mark.parametrize("suffix", [".pdf", "/?format=pdf"])
def test_pdf_download_for_staff(warranty_repair, tina_technician, suffix):
    work_order = warranty_repair
    client = client_for(tina_technician)
    response = client.get(f"/repairs/{work_order.pk}/documents/receipt{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{work_order.reference}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_quote_pages(paid_repair, agent_client):
    work_order = paid_repair
    response = agent_client.get(f"/repairs/{work_order.pk}/documents/quote.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="quote-{work_order.reference}-Q1.pdf"'
    )
    html = agent_client.get(f"/repairs/{work_order.pk}/documents/quote/").content.decode()
    # In the customer's language (Persian): "Approved".
    assert "تأییدشده" in html


def test_no_quote_no_quote_document(warranty_repair, agent_client):
    response = agent_client.get(f"/repairs/{warranty_repair.pk}/documents/quote/")
    assert response.status_code == 404


def test_unknown_document_is_404(warranty_repair, agent_client):
    assert agent_client.get(f"/repairs/{warranty_repair.pk}/documents/invoice/").status_code == 404
    response = agent_client.get(f"/repairs/{warranty_repair.pk}/documents/certificate/")
    assert response.status_code == 404


def test_certificate_pages(warranty_repair, agent_client):
    unit = warranty_repair.unit
    response = agent_client.get(f"/repairs/units/{unit.pk}/certificate/?language=en")
    assert response.status_code == 200
    assert 'data-testid="document-serial">AR-2024-0001<' in response.content.decode()
    pdf = agent_client.get(f"/repairs/units/{unit.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="warranty-certificate-AR-2024-0001.pdf"'
    )


def test_another_organizations_documents_are_404(warranty_repair, outsider_client):
    work_order = warranty_repair
    for url in (
        f"/repairs/{work_order.pk}/documents/job-card/",
        f"/repairs/{work_order.pk}/documents/receipt.pdf",
        f"/repairs/units/{work_order.unit_id}/certificate/",
        f"/repairs/units/{work_order.unit_id}/certificate.pdf",
    ):
        assert outsider_client.get(url).status_code == 404, url


def test_documents_need_staff(warranty_repair, customer):
    anonymous = Client().get(f"/repairs/{warranty_repair.pk}/documents/job-card/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

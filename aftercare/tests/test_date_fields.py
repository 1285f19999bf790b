"""Every date field of the console and the portal is the same field in each language (issue 13):
our date picker on a text input, ISO YYYY-MM-DD in the Gregorian languages and Jalali YYYY/MM/DD
in Persian, today as its placeholder; it reads what the picker writes, in Latin, Persian or
Arabic-Indic digits, and answers anything else with an error on the field saying the shape."""

import datetime
import re
from pathlib import Path

import jdatetime
import pytest
from django.utils import timezone, translation

from aftercare.console.forms import date_example, date_format_error, date_input_value
from aftercare.lib.text import persian_digits

ROOT = Path(__file__).resolve().parents[1]
DAY = datetime.date(2026, 3, 21)  # 1405/01/01
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _forms() -> dict[str, tuple]:
    """Each form with date fields: how to make it, and its date fields."""
    from aftercare.inventory.forms import LedgerFilterForm
    from aftercare.portal.forms import RequestForm
    from aftercare.portal.units import UnitRegisterForm
    from aftercare.repairs.forms import VisitForm
    from aftercare.sla.forms import HolidayForm, OverrideForm
    from aftercare.tickets.forms import ProductForm, TicketCreateForm
    from aftercare.warranty.forms import GoodwillContractForm, UnitForm, UnitTransferForm

    return {
        "ledger": (lambda **kw: LedgerFilterForm(locations=[], **kw), ["since", "until"]),
        "holiday": (HolidayForm, ["start_date", "end_date"]),
        "override": (OverrideForm, ["date"]),
        "visit": (lambda **kw: VisitForm(technicians=[], **kw), ["day"]),
        "ticket product": (lambda **kw: ProductForm(products=[], **kw), ["purchase_date"]),
        "new ticket": (
            lambda **kw: TicketCreateForm(categories=[], teams=[], members=[], products=[], **kw),
            ["purchase_date"],
        ),
        "unit": (
            lambda **kw: UnitForm(products=[], editing=False, **kw),
            ["purchase_date", "delivery_date", "installation_date"],
        ),
        "unit transfer": (UnitTransferForm, ["transferred_on"]),
        "goodwill": (GoodwillContractForm, ["starts_on", "ends_on"]),
        "portal request": (lambda **kw: RequestForm(products=[], **kw), ["purchase_date"]),
        "portal unit": (lambda **kw: UnitRegisterForm(products=[], **kw), ["purchase_date"]),
    }


FORMS = [
    "ledger",
    "holiday",
    "override",
    "visit",
    "ticket product",
    "new ticket",
    "unit",
    "unit transfer",
    "goodwill",
    "portal request",
    "portal unit",
]
LANGUAGES = ["en", "tr", "kk", "fa"]


@pytest.fixture
def speaking(request):
    """The language of the test, with the organization's time zone of the demo."""
    with translation.override(request.param), timezone.override("Asia/Tehran"):
        yield request.param


@pytest.mark.parametrize("speaking", LANGUAGES, indirect=True)
@pytest.mark.parametrize("name", FORMS)
def test_each_date_field_has_the_picker_and_todays_placeholder(db, speaking, name):
    make, fields = _forms()[name]
    form = make()
    today = timezone.localdate()
    for field in fields:
        attrs = form.fields[field].widget.attrs
        html = str(form[field])
        assert 'type="text"' in html and 'type="date"' not in html, (name, field)
        assert attrs["dir"] == "ltr"
        if speaking == "fa":
            jalali = jdatetime.date.fromgregorian(date=today)
            assert attrs["placeholder"] == jalali.strftime("%Y/%m/%d")
            assert "data-jalali-picker" in attrs and "data-date-picker" not in attrs
        else:
            assert attrs["placeholder"] == today.isoformat()
            assert attrs["data-date-picker"] == "gregorian"
            assert attrs["data-first-day"] == "1"  # Monday, as the language's formats say
            assert attrs["data-label-open"]
        assert "1403" not in html


@pytest.mark.parametrize("speaking", LANGUAGES, indirect=True)
@pytest.mark.parametrize("name", FORMS)
def test_each_date_field_reads_what_the_picker_writes_in_any_digits(db, speaking, name):
    make, fields = _forms()[name]
    written = date_input_value(DAY)
    assert written == ("1405/01/01" if speaking == "fa" else "2026-03-21")
    for value in (
        written,
        persian_digits(written),
        written.translate(ARABIC_INDIC),
        f"\u200f{persian_digits(written)}\u200f",  # copied from a right-to-left page
        f" {written.replace('/', '-')} ",
    ):
        form = make(data={field: value for field in fields})
        form.is_valid()
        for field in fields:
            assert field not in form.errors, (name, field, value, form.errors.get(field))
            assert form.cleaned_data[field] == DAY, (name, field, value)


@pytest.mark.parametrize("speaking", LANGUAGES, indirect=True)
@pytest.mark.parametrize("name", FORMS)
def test_a_date_field_names_the_shape_for_bad_input(db, speaking, name):
    make, fields = _forms()[name]
    for value in ("21/03/2026", "21.03.2026", "2026-02-30", "1405/13/01", "2026-03-21x", "x"):
        form = make(data={field: value for field in fields})
        assert not form.is_valid()
        for field in fields:
            assert form.errors[field] == [date_format_error()], (name, field, value)


@pytest.mark.parametrize("speaking", ["en", "tr", "kk"], indirect=True)
def test_a_jalali_year_in_a_gregorian_field_is_refused(db, speaking):
    make, _fields = _forms()["portal request"]
    form = make(data={"purchase_date": "1403/05/20"})
    form.is_valid()
    assert form.errors["purchase_date"] == [date_format_error()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_audit_logs_date_filters_are_the_same_field(org, admin_client, language):
    """The audit log's filter form lives with its page: asked through the page."""
    admin_client.cookies["aftercare_language"] = language
    with translation.override(language):
        written = date_input_value(DAY)
        picker = "data-jalali-picker" if language == "fa" else 'data-date-picker="gregorian"'
    page = admin_client.get("/accounts/settings/audit/").content.decode()
    assert re.search(rf'<input type="text" name="since"[^>]* {picker}', page)
    response = admin_client.get(
        "/accounts/settings/audit/",
        {"since": persian_digits(written), "until": written.translate(ARABIC_INDIC)},
    )
    assert response.status_code == 200
    assert 'data-testid="error-since"' not in response.content.decode()
    response = admin_client.get("/accounts/settings/audit/", {"since": "21.03.2026"})
    assert response.status_code == 422
    assert 'data-testid="error-since"' in response.content.decode()
    assert 'data-testid="error-until"' not in response.content.decode()


def test_the_shape_is_shown_with_todays_date(db):
    with timezone.override("Asia/Tehran"):
        today = timezone.localdate()
        jalali = jdatetime.date.fromgregorian(date=today).strftime("%Y/%m/%d")
        with translation.override("en"):
            assert date_example() == today.isoformat()
            assert date_format_error() == (
                f"Enter the date as YYYY-MM-DD, e.g. {today.isoformat()}."
            )
        with translation.override("fa"):
            assert date_example() == jalali
            assert jalali in date_format_error()
            # The shape in Persian words: year/month/day.
            assert "سال/ماه/روز" in date_format_error()


def test_no_page_uses_the_browsers_own_date_input():
    """The browser's date input shows its locale's order (mm/dd/yyyy in en-US) and no Jalali
    dates: every date field is ours."""
    found = []
    pattern = re.compile(
        r"""type=["']date["']|["']type["']\s*:\s*["']date["']|forms\.DateInput|forms\.DateField\("""
    )
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html") or "tests" in path.parts or "e2e" in path.parts:
            continue
        if "migrations" in path.parts or "vendor" in path.parts:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []

"""Importing units from a sales system's CSV or XLSX export."""

import csv
import datetime
import io
import time

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from aftercare.customers.models import Customer
from aftercare.customers.tests.factories import make_customer
from aftercare.lib.errors import ApplicationError
from aftercare.warranty.imports import COLUMNS, units_import
from aftercare.warranty.models import Unit
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
# Every column the import reads but the buyer's name (a test adds it).
HEADER = [column for column in COLUMNS if column != "customer_name"]


def _csv(rows: list[list], *, header=HEADER, name="units.csv", bom=False) -> SimpleUploadedFile:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _good(n: int, sku: str = "WM-1") -> list:
    bought = TODAY - datetime.timedelta(days=100 + n % 300)
    return [
        f"SN-{n:06d}",
        sku,
        bought.isoformat(),
        "Tehran store",
        f"INV-{n}",
        (bought + 2 * DAY).isoformat(),
        "",
        "",
        "",
    ]


def _errors(report) -> list[tuple[int, str]]:
    return [(error.line, error.field) for error in report.errors]


def test_ten_thousand_rows_with_fifty_bad_ones(org, alice_admin):
    """Done-when 5: 10000 units with 50 bad rows: each reported with its line and field; the dry
    run imports nothing; the real run imports the 9950 others in well under 30 s."""
    make_product_model(organization=org, sku="WM-1")
    make_product_model(organization=org, sku="WM-2")
    # Five serials registered before, with other details than the file's rows give them.
    for n in range(5):
        make_unit(organization=org, serial=f"OLD-{n}", purchase_date=TODAY - 400 * DAY)
    rows = [_good(n, sku="WM-1" if n % 2 else "WM-2") for n in range(10_000)]
    expected: list[tuple[int, str]] = []
    # Ten kinds of mistake, five of each, spread over the file (line = index + 2).
    bad_kinds = [
        ("purchase_date", lambda row, n: row.__setitem__(2, "2024-13-45")),
        ("product_sku", lambda row, n: row.__setitem__(1, "NO-SUCH-SKU")),
        ("serial_number", lambda row, n: row.__setitem__(0, "SN-000000")),  # duplicate of line 2
        ("serial_number", lambda row, n: row.__setitem__(0, "  ")),
        ("delivery_date", lambda row, n: row.__setitem__(5, (TODAY + 3 * DAY).isoformat())),
        (
            "installation_date",
            lambda row, n: row.__setitem__(6, (TODAY - 500 * DAY).isoformat()),
        ),
        ("customer_email", lambda row, n: row.__setitem__(7, "not-an-email")),
        ("serial_number", lambda row, n: row.__setitem__(0, f"old-{n // 10}")),  # registered
        ("product_sku", lambda row, n: row.__setitem__(1, "")),
        ("seller", lambda row, n: row.__setitem__(3, "x" * 201)),
    ]
    for number in range(50):
        index = 37 + number * 199
        field, spoil = bad_kinds[number % len(bad_kinds)]
        spoil(rows[index], number)
        expected.append((index + 2, field))
    upload = _csv(rows)

    with CaptureQueriesContext(connection) as queries:
        dry = units_import(organization=org, upload=upload, dry_run=True, actor=alice_admin)
    assert len(queries) <= 30
    assert (dry.rows, dry.new, dry.imported, len(dry.errors)) == (10_000, 9950, 0, 50)
    assert _errors(dry) == expected
    assert Unit.objects.count() == 5  # nothing imported
    duplicate = dry.errors[2]
    assert duplicate.message == "This serial number is also on line 2."

    started = time.monotonic()
    real = units_import(organization=org, upload=upload, dry_run=False, actor=alice_admin)
    elapsed = time.monotonic() - started
    assert (real.rows, real.new, real.imported, len(real.errors)) == (10_000, 9950, 9950, 50)
    assert _errors(real) == expected
    assert Unit.objects.count() == 5 + 9950
    assert Unit.objects.filter(source=Unit.Source.IMPORT).count() == 9950
    assert elapsed < 30, f"the import took {elapsed:.1f} s"
    unit = Unit.objects.get(serial_key="SN000001")
    assert unit.product_model.sku == "WM-1"
    assert unit.purchase_date == TODAY - 101 * DAY
    assert unit.delivery_date == TODAY - 99 * DAY
    assert (unit.seller, unit.invoice_reference, unit.customer) == ("Tehran store", "INV-1", None)
    assert unit.registered_at is None

    # The same file again: every good row is already there as it is.
    again = units_import(organization=org, upload=upload, dry_run=False, actor=alice_admin)
    assert (again.imported, again.unchanged, len(again.errors)) == (0, 9950, 50)
    assert Unit.objects.count() == 5 + 9950


def test_persian_digits_jalali_dates_and_owners_by_contact(org, customer):
    make_product_model(organization=org, sku="WM-1")
    phone_owner = make_customer(organization=org, name="Reza")
    phone_owner.contact_points.create(
        organization=org, kind="phone", value="+989121111111", is_primary=True
    )
    bought = jdatetime.date.fromgregorian(date=TODAY - 30 * DAY)
    jalali = bought.strftime("%Y/%m/%d").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    rows = [
        ["سریال-۱۲۳", "WM-1", jalali, "", "", "", "", "MARYAM@example.com", ""],
        ["SN-2", "wm-1", "", "", "", "", "", "", "0912 111 1111"],
        ["SN-3", "WM-1", "", "", "", "", "", "nobody@example.com", ""],
        ["SN-4", "WM-1", "", "", "", "", "", "maryam@example.com", "+98 912 111 1111"],
    ]
    report = units_import(organization=org, upload=_csv(rows, bom=True), dry_run=False)
    assert _errors(report) == [(5, "customer_phone")]
    assert report.imported == 3
    first = Unit.objects.get(serial_key="سریال123")
    assert first.serial_number == "سریال-123"
    assert first.purchase_date == TODAY - 30 * DAY
    assert first.customer == customer
    assert first.registered_at is not None
    assert Unit.objects.get(serial_key="SN2").customer == phone_owner
    assert Unit.objects.get(serial_key="SN3").customer is None
    assert Customer.objects.filter(organization=org).count() == 2  # nobody was created


def test_a_name_column_creates_customers_found_by_no_contact(org):
    make_product_model(organization=org, sku="WM-1")
    header = [*HEADER, "customer_name"]
    rows = [
        ["SN-1", "WM-1", "", "", "", "", "", "new@example.com", "", "Nima"],
        ["SN-2", "WM-1", "", "", "", "", "", "new@example.com", "", "Nima"],
        ["SN-3", "WM-1", "", "", "", "", "", "", "", "No contact"],
    ]
    dry = units_import(organization=org, upload=_csv(rows, header=header), dry_run=True)
    assert (dry.new, dry.errors) == (3, [])
    assert not Customer.objects.exists()
    report = units_import(organization=org, upload=_csv(rows, header=header), dry_run=False)
    assert report.imported == 3
    nima = Customer.objects.get()
    assert nima.name == "Nima"
    assert [unit.serial_key for unit in nima.units.order_by("serial_key")] == ["SN1", "SN2"]
    assert Unit.objects.get(serial_key="SN3").customer is None


def test_a_changed_row_of_a_registered_serial_is_bad_and_an_identical_one_unchanged(org):
    make_product_model(organization=org, sku="WM-1")
    make_product_model(organization=org, sku="WM-2")
    units_import(organization=org, upload=_csv([_good(1), _good(2)]), dry_run=False)
    changed = _good(2, sku="WM-2")
    report = units_import(organization=org, upload=_csv([_good(1), changed]), dry_run=False)
    assert (report.unchanged, report.imported) == (1, 0)
    assert _errors(report) == [(3, "serial_number")]
    assert Unit.objects.get(serial_key="SN000002").product_model.sku == "WM-1"


def test_an_xlsx_export_imports_like_a_csv(org):
    make_product_model(organization=org, sku="1001")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Product SKU", "Serial Number", "Purchase Date", "Customer Phone", "Extra"])
    sheet.append([1001, 778899, datetime.datetime.combine(TODAY - 9 * DAY, datetime.time()), "", 1])
    sheet.append([1001, "X-2", "not a date", None, None])
    sheet.append([None, None, None, None, None])
    sheet.append([1001, "X-3", TODAY + 5 * DAY, None, None])
    sheet.append([1001, "X-4", None, 9121234567, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("units.xlsx", buffer.getvalue())
    report = units_import(organization=org, upload=upload, dry_run=False)
    assert _errors(report) == [(3, "purchase_date"), (5, "purchase_date")]
    assert (report.rows, report.imported) == (4, 2)
    unit = Unit.objects.get(serial_key="778899")
    assert unit.purchase_date == TODAY - 9 * DAY
    assert unit.product_model.sku == "1001"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.csv", b"", "The file is empty."),
        ("units.csv", b"serial_number,seller\nA,B\n", "The file has no product_sku column."),
        ("units.csv", "serial_number,product_sku\n".encode("utf-16"), "not UTF-8"),
        ("units.xlsx", b"PK\x03\x04 broken", "not a valid XLSX"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_file_field(org, name, content, message):
    with pytest.raises(ApplicationError) as caught:
        units_import(organization=org, upload=SimpleUploadedFile(name, content), dry_run=True)
    assert caught.value.field == "file"
    assert message in caught.value.message


def test_semicolon_separated_csv_is_read(org):
    make_product_model(organization=org, sku="WM-1")
    upload = SimpleUploadedFile("units.csv", b"serial_number;product_sku\nS-1;WM-1\n")
    report = units_import(organization=org, upload=upload, dry_run=False)
    assert report.imported == 1
    assert Unit.objects.get().serial_key == "S1"


def test_another_organizations_models_are_unknown(org, other_org):
    make_product_model(organization=other_org, sku="WM-9")
    report = units_import(organization=org, upload=_csv([_good(1, sku="WM-9")]), dry_run=False)
    assert _errors(report) == [(2, "product_sku")]
    assert not Unit.objects.exists()

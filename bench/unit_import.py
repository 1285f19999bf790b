"""`unit_import`: a sales system's CSV export of UNIT_IMPORT_ROWS units (BENCH_UNIT_IMPORT_ROWS,
10000) with BAD_ROWS (50) bad rows, imported into the warranty bench's organization (which holds
BENCH_UNITS units already) through the real `aftercare.warranty.imports.units_import`, in this
process once the server has stopped: a dry run, then the real run, each timed.

The file is written before anything is timed, as an Iranian dealer network's export looks: a
header naming every column the import reads; serials of the twelve models, some with dashes or
typed in Persian digits; purchase dates in ISO form, or Jalali (YYYY/MM/DD, some in Persian
digits); delivery for half of the units, installation for air conditioners; a quarter of the
rows naming a customer the organization knows by email, a tenth by phone, and 3 % a new buyer
(name and email: the import creates the customer). The bad rows are five of each of ten
mistakes, at random lines, each expected to be reported at its line and column:
a blank serial; a serial repeated from an earlier good row of the file; a serial already
registered with other details; an unknown SKU; a purchase date that is no date; a purchase date
in the future; a delivery before the purchase; an installation before the delivery; an email
that is no email; a seller's name over 200 characters.

Checked afterwards: the dry run reports every bad row at its line and column and the other rows
as new, and writes nothing; the real run reports the same bad rows, imports the others (the
organization's units grow by exactly that many, every imported serial found by its key) and
creates the new buyers. A mismatch, or a real run of UNIT_IMPORT_LIMIT_SECONDS (30) or more,
is a problem (make bench exits non-zero).
"""

import datetime
import random
from dataclasses import dataclass, field

from bench.common import RESULT_KEYS, say
from bench.database import _timed_call

UNIT_IMPORT_SCENARIO = "unit_import"

UNIT_IMPORT_ROWS = 10_000

BAD_ROWS = 50

UNIT_IMPORT_LIMIT_SECONDS = 30.0

# unit_import rows carry these besides RESULT_KEYS.
UNIT_IMPORT_KEYS = (
    "units",
    "rows",
    "bad_rows",
    "dry_run_seconds",
    "seconds",
    "imported",
    "per_s",
    "new_customers",
    "dry_run_statements",
    "statements",
)

# The ten mistakes of the bad rows, each with the column the import must name.
BLANK_SERIAL = "blank_serial"
REPEATED_SERIAL = "repeated_serial"
REGISTERED_SERIAL = "registered_serial"
UNKNOWN_SKU = "unknown_sku"
NOT_A_DATE = "not_a_date"
FUTURE_PURCHASE = "future_purchase"
DELIVERED_BEFORE_PURCHASE = "delivered_before_purchase"
INSTALLED_BEFORE_DELIVERY = "installed_before_delivery"
BAD_EMAIL = "bad_email"
LONG_SELLER = "long_seller"
MISTAKES = {
    BLANK_SERIAL: "serial_number",
    REPEATED_SERIAL: "serial_number",
    REGISTERED_SERIAL: "serial_number",
    UNKNOWN_SKU: "product_sku",
    NOT_A_DATE: "purchase_date",
    FUTURE_PURCHASE: "purchase_date",
    DELIVERED_BEFORE_PURCHASE: "delivery_date",
    INSTALLED_BEFORE_DELIVERY: "installation_date",
    BAD_EMAIL: "customer_email",
    LONG_SELLER: "seller",
}

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

SELLERS = (
    "فروشگاه لوازم خانگی پارسیان",
    "فروشگاه اینترنتی آرامش",
    "نمایندگی مرکزی تهران",
    "نمایندگی اصفهان",
    "HomePlus Appliances",
)


@dataclass
class ImportFile:
    """A written export: its bytes, the (line, column) of each bad row, the serial keys of the
    good rows, and how many new buyers it names."""

    content: bytes
    bad: dict[int, str] = field(default_factory=dict)  # line -> column
    good_keys: list[str] = field(default_factory=list)
    new_customers: int = 0


def _jalali(day: datetime.date, *, persian_digits: bool) -> str:
    """A date as Iranian sales systems write it: YYYY/MM/DD in the Persian calendar."""
    import jdatetime

    text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return text.translate(_PERSIAN_DIGITS) if persian_digits else text


def import_file_write(
    *, organization, rows: int = UNIT_IMPORT_ROWS, bad_rows: int = BAD_ROWS, seed: int = 17
) -> ImportFile:
    """A CSV export of `rows` units for `organization`, `bad_rows` of them bad (a multiple of
    the ten mistakes, at most a tenth of the rows)."""
    import csv
    import io

    from django.utils import timezone

    from aftercare.catalog.models import ProductModel
    from aftercare.customers.models import ContactPoint
    from aftercare.demo import content as demo
    from aftercare.warranty.imports import COLUMNS
    from aftercare.warranty.models import Unit
    from aftercare.warranty.serials import serial_key

    if bad_rows % len(MISTAKES) or bad_rows * 10 > rows:
        raise ValueError(f"{bad_rows} bad rows: a multiple of {len(MISTAKES)}, a tenth at most")
    rng = random.Random(seed)
    today = timezone.localdate()
    models = list(
        ProductModel.objects.filter(organization=organization)
        .order_by("sku")
        .values_list("sku", "category")
    )
    # The demo's label prefixes; week 98 is on no seeded label: every serial of the file is new.
    prefixes = {product.sku: product.serial_prefix for product in demo.PRODUCTS}
    points = ContactPoint.objects.filter(organization=organization).order_by("id")
    emails = list(
        points.filter(kind=ContactPoint.Kind.EMAIL).values_list("value", flat=True)[:5000]
    )
    phones = list(
        points.filter(kind=ContactPoint.Kind.PHONE).values_list("value", flat=True)[:5000]
    )
    registered = list(
        Unit.objects.filter(organization=organization)
        .order_by("id")
        .values_list("serial_number", "product_model__sku", "purchase_date")[:bad_rows]
    )
    mistakes = [kind for kind in MISTAKES for _ in range(bad_rows // len(MISTAKES))]
    rng.shuffle(mistakes)
    # Lines 2..rows+1; a repeated serial needs a good row before it: never the first row.
    bad_indexes = sorted(rng.sample(range(1, rows), bad_rows))
    planned = dict(zip(bad_indexes, mistakes, strict=True))

    written = ImportFile(content=b"")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    good_serials: list[str] = []
    for index in range(rows):
        line = index + 2
        sku, category = models[rng.randrange(len(models))]
        plain = f"{prefixes.get(sku, 'BX00')}2698{index:06d}"
        serial = plain
        if rng.random() < 0.2:
            serial = f"{plain[:4]}-{plain[4:8]}-{plain[8:]}"
        if rng.random() < 0.15:
            serial = serial.translate(_PERSIAN_DIGITS)
        purchase = today - datetime.timedelta(days=rng.randrange(1, 700))
        delivery = installation = None
        if rng.random() < 0.5 or category == "Air conditioners":
            delivery = purchase + datetime.timedelta(days=rng.randrange(0, 8))
        if category == "Air conditioners" and rng.random() < 0.8:
            installation = (delivery or purchase) + datetime.timedelta(days=rng.randrange(1, 15))
        installation = min(installation, today) if installation else None
        delivery = min(delivery, today) if delivery else None
        roll = rng.random()
        email = phone = name = ""
        if roll < 0.25:
            email = emails[rng.randrange(len(emails))]
        elif roll < 0.35:
            phone = phones[rng.randrange(len(phones))]
        elif roll < 0.38:
            email, name = f"buyer{index}@import.example", f"Buyer {index}"
        cells = {
            "serial_number": serial,
            "product_sku": sku if rng.random() < 0.95 else sku.lower(),
            "purchase_date": _date_cell(purchase, rng),
            "seller": SELLERS[rng.randrange(len(SELLERS))],
            "invoice_reference": f"INV-{purchase.year}-{index + 1:06d}",
            "delivery_date": _date_cell(delivery, rng) if delivery else "",
            "installation_date": _date_cell(installation, rng) if installation else "",
            "customer_email": email,
            "customer_phone": phone,
            "customer_name": name,
        }
        mistake = planned.get(index)
        if mistake is None:
            good_serials.append(serial)
            written.good_keys.append(serial_key(serial))
            written.new_customers += bool(name)
        else:
            _spoil(
                cells, mistake, rng=rng, today=today, earlier=good_serials, registered=registered
            )
            written.bad[line] = MISTAKES[mistake]
        writer.writerow([cells[column] for column in COLUMNS])
    written.content = out.getvalue().encode()
    return written


def _date_cell(day: datetime.date, rng: random.Random) -> str:
    """A date in one of the forms exports use: ISO, Jalali (a third of those in Persian digits)
    or YYYY/MM/DD."""
    roll = rng.random()
    if roll < 0.7:
        return day.isoformat()
    if roll < 0.9:
        return _jalali(day, persian_digits=rng.random() < 0.33)
    return day.strftime("%Y/%m/%d")


def _spoil(
    cells: dict[str, str],
    mistake: str,
    *,
    rng: random.Random,
    today: datetime.date,
    earlier: list[str],
    registered: list[tuple],
) -> None:
    """Make one row bad in the way `mistake` says, and in no other way."""
    if mistake == BLANK_SERIAL:
        cells["serial_number"] = ""
    elif mistake == REPEATED_SERIAL:
        cells["serial_number"] = earlier[rng.randrange(len(earlier))]
    elif mistake == REGISTERED_SERIAL:
        serial, sku, purchase = registered.pop()
        cells["serial_number"] = serial
        # Registered with other details: a purchase date a year off.
        cells["purchase_date"] = (purchase - datetime.timedelta(days=365)).isoformat()
        cells["delivery_date"] = cells["installation_date"] = ""
        cells["product_sku"] = sku
    elif mistake == UNKNOWN_SKU:
        cells["product_sku"] = "NO-SUCH-MODEL"
    elif mistake == NOT_A_DATE:
        cells["purchase_date"] = rng.choice(["2025-13-45", "yesterday", "31/12/2025"])
    elif mistake == FUTURE_PURCHASE:
        cells["purchase_date"] = (today + datetime.timedelta(days=30)).isoformat()
        cells["delivery_date"] = cells["installation_date"] = ""
    elif mistake == DELIVERED_BEFORE_PURCHASE:
        purchase = today - datetime.timedelta(days=100)
        cells["purchase_date"] = purchase.isoformat()
        cells["delivery_date"] = (purchase - datetime.timedelta(days=3)).isoformat()
        cells["installation_date"] = ""
    elif mistake == INSTALLED_BEFORE_DELIVERY:
        purchase = today - datetime.timedelta(days=100)
        cells["purchase_date"] = purchase.isoformat()
        cells["delivery_date"] = (purchase + datetime.timedelta(days=5)).isoformat()
        cells["installation_date"] = (purchase + datetime.timedelta(days=2)).isoformat()
    elif mistake == BAD_EMAIL:
        cells["customer_email"] = "maryam.ahmadi@"
        cells["customer_phone"] = cells["customer_name"] = ""
    elif mistake == LONG_SELLER:
        cells["seller"] = "فروشگاه " * 30
    else:
        raise ValueError(mistake)


def unit_import(
    *,
    organization,
    actor,
    units: int,
    rows: int = UNIT_IMPORT_ROWS,
    bad_rows: int = BAD_ROWS,
) -> tuple[dict, str | None]:
    """Write the export, time the dry run and the real run through `units_import`, and check
    both reports and what was written; the unit_import row and what went wrong, if anything."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftercare.customers.models import Customer
    from aftercare.warranty.imports import units_import
    from aftercare.warranty.models import Unit

    row = dict.fromkeys(RESULT_KEYS + UNIT_IMPORT_KEYS)
    row.update(scenario=UNIT_IMPORT_SCENARIO, units=units, rows=rows, bad_rows=bad_rows)
    written = import_file_write(organization=organization, rows=rows, bad_rows=bad_rows)
    say(
        f"{UNIT_IMPORT_SCENARIO}: {rows} rows ({bad_rows} bad) written, "
        f"{len(written.content) / 1024:.0f} KB; dry run"
    )
    organization_units = Unit.objects.filter(organization=organization)
    customers = Customer.objects.filter(organization=organization)
    units_before, customers_before = organization_units.count(), customers.count()
    problems: list[str] = []

    def upload():
        return SimpleUploadedFile("units.csv", written.content, content_type="text/csv")

    dry, dry_seconds, dry_statements = _timed_call(
        lambda: units_import(organization=organization, upload=upload(), dry_run=True, actor=actor)
    )
    problems += _report_problems("dry run", dry, written, imported=0)
    if organization_units.count() != units_before or customers.count() != customers_before:
        problems.append("the dry run wrote units or customers")
    say(f"{UNIT_IMPORT_SCENARIO}: dry run {dry_seconds:.2f} s; real run")
    real, seconds, statements = _timed_call(
        lambda: units_import(organization=organization, upload=upload(), dry_run=False, actor=actor)
    )
    good = rows - bad_rows
    problems += _report_problems("real run", real, written, imported=good)
    added = organization_units.count() - units_before
    if added != good:
        problems.append(f"the real run added {added} units, not {good}")
    found = sum(
        organization_units.filter(serial_key__in=written.good_keys[start : start + 500]).count()
        for start in range(0, len(written.good_keys), 500)
    )
    if found != good:
        problems.append(f"{found} of the {good} imported serials are found by their key")
    new_customers = customers.count() - customers_before
    if new_customers != written.new_customers:
        problems.append(
            f"the real run created {new_customers} customers, not {written.new_customers}"
        )
    if seconds >= UNIT_IMPORT_LIMIT_SECONDS:
        problems.append(
            f"the real run took {seconds:.1f} s; the limit is {UNIT_IMPORT_LIMIT_SECONDS:.0f} s"
        )
    row.update(
        dry_run_seconds=round(dry_seconds, 3),
        seconds=round(seconds, 3),
        p50_ms=round(seconds * 1000, 2),
        imported=real.imported,
        per_s=round(real.imported / seconds, 1) if seconds else None,
        new_customers=new_customers,
        dry_run_statements=dry_statements,
        statements=statements,
        queries_per_request=statements,
    )
    say(
        f"{UNIT_IMPORT_SCENARIO}: dry run {dry_seconds:.2f} s ({dry_statements} statements), "
        f"real run {seconds:.2f} s ({statements} statements), {real.imported} units imported, "
        f"{new_customers} customers created, {len(real.errors)} bad rows reported"
    )
    return row, "; ".join(problems) or None


def _report_problems(run: str, report, written: ImportFile, *, imported: int) -> list[str]:
    """What differs between an import's report and what the file holds."""
    problems = []
    reported = {(error.line, error.field) for error in report.errors}
    expected = set(written.bad.items())
    if reported != expected or len(report.errors) != len(expected):
        missing = sorted(expected - reported)[:5]
        extra = sorted(reported - expected)[:5]
        problems.append(
            f"{run}: {len(report.errors)} bad rows reported, {len(expected)} expected "
            f"(missing {missing}, unexpected {extra})"
        )
    good = len(written.good_keys)
    counts = (report.rows, report.new, report.unchanged, report.imported)
    if counts != (good + len(expected), good, 0, imported):
        problems.append(
            f"{run}: {report.rows} rows, {report.new} new, {report.unchanged} unchanged, "
            f"{report.imported} imported; expected {good + len(expected)}, {good}, 0, {imported}"
        )
    return problems

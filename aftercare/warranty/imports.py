"""Units imported from a sales system's export: a CSV or XLSX file, one unit a row.

Columns (a header row names them, in any order; others are ignored): serial_number and
product_sku (required), purchase_date, seller, invoice_reference, delivery_date,
installation_date, customer_email, customer_phone, and customer_name. The owner is the customer
with that email or phone; with a customer_name column, a customer found by neither is created.

Every row is checked first, against the organization's models and units read in a few queries
for the whole file (never one per row); each bad row is reported once, with its line (the header
is line 1), the column at fault and why. A dry run stops there. The real run then writes the
good rows in batches, one transaction and a few bulk inserts each. A serial already registered
is a bad row, unless the row says exactly what is registered: then it counts as unchanged, so
importing the same file twice imports nothing the second time.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import jdatetime
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import ContactPoint, Customer
from aftercare.customers.selectors import customers_by_contact
from aftercare.customers.services import contact_value_normalize, customer_create
from aftercare.lib.errors import ApplicationError
from aftercare.lib.text import normalize_digits
from aftercare.warranty.indexing import units_index
from aftercare.warranty.models import Unit
from aftercare.warranty.services.units import (
    INVOICE_MAX,
    SELLER_MAX,
    unit_dates_check,
    unit_serial_clean,
)

COLUMNS = (
    "serial_number",
    "product_sku",
    "purchase_date",
    "seller",
    "invoice_reference",
    "delivery_date",
    "installation_date",
    "customer_email",
    "customer_phone",
    "customer_name",
)
REQUIRED_COLUMNS = ("serial_number", "product_sku")
DATE_COLUMNS = ("purchase_date", "delivery_date", "installation_date")
IMPORT_MAX_ROWS = 100_000
BATCH_ROWS = 2000
_INSERT_BATCH = 500
_LOOKUP_CHUNK = 500
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_COMPARED = (
    "product_model_id",
    "purchase_date",
    "seller",
    "invoice_reference",
    "delivery_date",
    "installation_date",
)


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row: its line (the header is line 1), column and a message."""

    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        """The JSON shape of the report's errors."""
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportReport:
    """The outcome of an import: rows read, new units (imported, or to import on a dry run),
    rows already registered as they are, and every bad row."""

    dry_run: bool
    rows: int = 0
    new: int = 0
    unchanged: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The report as JSON-safe values."""
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "new": self.new,
            "unchanged": self.unchanged,
            "imported": self.imported,
            "failed": len(self.errors),
            "errors": [error.as_dict() for error in self.errors],
        }


@dataclass
class _Row:
    line: int
    serial: str
    key: str
    product_model: ProductModel
    values: dict
    email: str
    phone: str
    name: str
    customer: Customer | None = None


class _RowProblem(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# --- Reading the file ---


def _read_rows(upload) -> Iterator[tuple[int, list]]:
    """(line, cells) of every row of a CSV or XLSX upload, the header first (line 1)."""
    size = getattr(upload, "size", None) or 0
    if size > settings.UNIT_IMPORT_MAX_BYTES:
        raise ApplicationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.UNIT_IMPORT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    content = upload.read(settings.UNIT_IMPORT_MAX_BYTES + 1)
    if not content:
        raise ApplicationError(_("The file is empty."), field="file")
    if len(content) > settings.UNIT_IMPORT_MAX_BYTES:
        raise ApplicationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.UNIT_IMPORT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    return _csv_rows(content)


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            _("The file is not UTF-8 text. Save it as CSV UTF-8 or XLSX."), field="file"
        ) from None
    first = text.split("\n", 1)[0]
    # Spreadsheets in some languages save CSV with semicolons or tabs between the columns.
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise ApplicationError(_("The file is not a valid CSV file."), field="file") from None


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ApplicationError(_("The file is not a valid XLSX workbook."), field="file") from None
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(cells)
    finally:
        workbook.close()


def _text(value) -> str:
    """A cell as text: spreadsheets give numbers (a serial, a phone) as int or float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).replace("\x00", "").strip()


def _header(cells: list) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _text(cell).lstrip("\ufeff").strip().lower().replace(" ", "_")
        if name in COLUMNS:
            if name in columns:
                raise ApplicationError(
                    _("The column %(name)s appears twice.") % {"name": name}, field="file"
                )
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ApplicationError(
            _("The file has no %(name)s column.") % {"name": missing[0]}, field="file"
        )
    return columns


# --- Checking one row (no queries) ---


def _date(value) -> datetime.date | None:
    """A date cell: a spreadsheet date, YYYY-MM-DD, or YYYY/MM/DD (Jalali when the year is
    before 1700, as Iranian sales systems write it), in any digits."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(normalize_digits(_text(value)))
    problem = _RowProblem(
        "", _("Enter the date as YYYY-MM-DD (or YYYY/MM/DD in the Persian calendar).")
    )
    if match is None:
        raise problem
    year, month, day = (int(part) for part in match.groups())
    try:
        if 1279 <= year < 1700:
            return jdatetime.date(year, month, day).togregorian()
        if year < 1900:
            raise problem
        return datetime.date(year, month, day)
    except ValueError:
        raise problem from None


def _cell(cells: list, columns: dict[str, int], name: str):
    index = columns.get(name)
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _row_check(
    *,
    line: int,
    cells: list,
    columns: dict[str, int],
    organization: Organization,
    models: dict[str, ProductModel],
    models_folded: dict[str, ProductModel],
    today: datetime.date,
) -> _Row:
    """The row's values, or the first thing wrong with it as a `_RowProblem`."""
    try:
        serial, key = unit_serial_clean(_text(_cell(cells, columns, "serial_number")))
    except ApplicationError as error:
        raise _RowProblem("serial_number", error.message) from None
    sku = _text(_cell(cells, columns, "product_sku"))
    if not sku:
        raise _RowProblem("product_sku", _("Enter the product's SKU."))
    product_model = models.get(sku) or models_folded.get(sku.casefold())
    if product_model is None:
        raise _RowProblem("product_sku", _("No product model has this SKU."))
    values: dict = {"product_model_id": product_model.pk}
    for name in DATE_COLUMNS:
        try:
            values[name] = _date(_cell(cells, columns, name))
        except _RowProblem as problem:
            raise _RowProblem(name, problem.message) from None
    try:
        unit_dates_check(today=today, **{name: values[name] for name in DATE_COLUMNS})
    except ApplicationError as error:
        raise _RowProblem(error.field or "", error.message) from None
    for name, limit in (("seller", SELLER_MAX), ("invoice_reference", INVOICE_MAX)):
        value = _text(_cell(cells, columns, name))
        if len(value) > limit:
            message = _("Too long: %(max)s characters at most.") % {"max": limit}
            raise _RowProblem(name, message)
        values[name] = value
    email = _text(_cell(cells, columns, "customer_email"))
    phone = _text(_cell(cells, columns, "customer_phone"))
    contacts = {}
    for name, kind, value in (
        ("customer_email", ContactPoint.Kind.EMAIL, email),
        ("customer_phone", ContactPoint.Kind.PHONE, phone),
    ):
        if value:
            try:
                value = contact_value_normalize(organization=organization, kind=kind, value=value)
            except ApplicationError as error:
                raise _RowProblem(name, error.message) from None
        contacts[name] = value
    name = _text(_cell(cells, columns, "customer_name"))
    if len(name) > 200:
        raise _RowProblem(
            "customer_name", _("Too long: %(max)s characters at most.") % {"max": 200}
        )
    return _Row(
        line=line,
        serial=serial,
        key=key,
        product_model=product_model,
        values=values,
        email=contacts["customer_email"],
        phone=contacts["customer_phone"],
        name=name,
    )


# --- The whole file ---


def _existing_units(organization: Organization, keys: list[str]) -> dict[str, dict]:
    """What the organization has registered under these serial keys, a few queries."""
    found: dict[str, dict] = {}
    for start in range(0, len(keys), _LOOKUP_CHUNK):
        rows = Unit.objects.filter(
            organization=organization, serial_key__in=keys[start : start + _LOOKUP_CHUNK]
        ).values("serial_key", "customer_id", *_COMPARED)
        for row in rows:
            found[row["serial_key"]] = row
    return found


def units_import(
    *, organization: Organization, upload, dry_run: bool, actor: User | None = None
) -> ImportReport:
    """Check every row of a sales export and, unless `dry_run`, import the good ones."""
    report = ImportReport(dry_run=dry_run)
    rows_iter = _read_rows(upload)
    header = next(rows_iter, None)
    if header is None:
        raise ApplicationError(_("The file is empty."), field="file")
    columns = _header(header[1])
    creates_customers = "customer_name" in columns
    models = {
        product.sku: product for product in ProductModel.objects.filter(organization=organization)
    }
    folded: dict[str, list[ProductModel]] = {}
    for product in models.values():
        folded.setdefault(product.sku.casefold(), []).append(product)
    models_folded = {sku: found[0] for sku, found in folded.items() if len(found) == 1}
    today = timezone.localdate()

    checked: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, cells in rows_iter:
        if not any(_text(cell) for cell in cells):
            continue
        report.rows += 1
        if report.rows > IMPORT_MAX_ROWS:
            raise ApplicationError(
                _("The file has more than %(max)s rows; split it.") % {"max": IMPORT_MAX_ROWS},
                field="file",
            )
        try:
            row = _row_check(
                line=line,
                cells=cells,
                columns=columns,
                organization=organization,
                models=models,
                models_folded=models_folded,
                today=today,
            )
            if row.key in first_line:
                raise _RowProblem(
                    "serial_number",
                    _("This serial number is also on line %(line)s.")
                    % {"line": first_line[row.key]},
                )
            first_line[row.key] = line
        except _RowProblem as problem:
            report.errors.append(RowError(line, problem.field, problem.message))
            continue
        checked.append(row)

    existing = _existing_units(organization, [row.key for row in checked])
    emails = customers_by_contact(
        organization=organization,
        kinds=[ContactPoint.Kind.EMAIL],
        values=[row.email for row in checked if row.email],
    )
    phones = customers_by_contact(
        organization=organization,
        kinds=[ContactPoint.Kind.PHONE, ContactPoint.Kind.WHATSAPP],
        values=[row.phone for row in checked if row.phone],
    )
    new_rows: list[_Row] = []
    for row in checked:
        by_email = emails.get(row.email) if row.email else None
        by_phone = phones.get(row.phone) if row.phone else None
        if by_email and by_phone and by_email.pk != by_phone.pk:
            message = _("This phone number belongs to another customer than the email.")
            report.errors.append(RowError(row.line, "customer_phone", message))
            continue
        row.customer = by_email or by_phone
        registered = existing.get(row.key)
        if registered is not None:
            if _same_unit(row, registered):
                report.unchanged += 1
            else:
                message = _("This serial number is already registered with other details.")
                report.errors.append(RowError(row.line, "serial_number", message))
            continue
        new_rows.append(row)
    report.errors.sort(key=lambda error: error.line)
    report.new = len(new_rows)
    if dry_run or not new_rows:
        return report

    created_customers: dict[str, Customer] = {}
    for start in range(0, len(new_rows), BATCH_ROWS):
        batch = new_rows[start : start + BATCH_ROWS]
        report.imported += _write_batch(
            organization=organization,
            batch=batch,
            report=report,
            actor=actor,
            creates_customers=creates_customers,
            created_customers=created_customers,
        )
    report.errors.sort(key=lambda error: error.line)
    return report


def _same_unit(row: _Row, registered: dict) -> bool:
    """Whether a row says what is registered (its owner too, when the row names one)."""
    if any(registered[name] != row.values[name] for name in _COMPARED):
        return False
    return row.customer is None or registered["customer_id"] == row.customer.pk


def _write_batch(
    *,
    organization: Organization,
    batch: list[_Row],
    report: ImportReport,
    actor: User | None,
    creates_customers: bool,
    created_customers: dict[str, Customer],
) -> int:
    """Insert one batch in one transaction; serials registered meanwhile by someone else become
    bad rows and the rest is inserted again."""
    for _attempt in range(2):
        made: dict[str, Customer] = {}
        errors: list[RowError] = []
        try:
            with transaction.atomic():
                units = _batch_units(
                    organization=organization,
                    batch=batch,
                    actor=actor,
                    creates_customers=creates_customers,
                    known=created_customers,
                    made=made,
                    errors=errors,
                )
                Unit.objects.bulk_create(units, batch_size=_INSERT_BATCH)
                units_index([unit.pk for unit in units], new=True)
        except IntegrityError:
            taken = _existing_units(organization, [row.key for row in batch])
            if not any(row.key in taken for row in batch):
                raise
            message = _("This serial number was registered while the file was imported.")
            report.errors += [
                RowError(row.line, "serial_number", message) for row in batch if row.key in taken
            ]
            batch = [row for row in batch if row.key not in taken]
            continue
        created_customers.update(made)
        report.errors += errors
        return len(units)
    return 0


def _batch_units(
    *,
    organization: Organization,
    batch: list[_Row],
    actor: User | None,
    creates_customers: bool,
    known: dict[str, Customer],
    made: dict[str, Customer],
    errors: list[RowError],
) -> list[Unit]:
    """The batch's units, creating the customers named in it (with a customer_name column)."""
    now = timezone.now()
    units = []
    for row in batch:
        customer = row.customer
        contact = row.email or row.phone
        if customer is None and creates_customers and row.name and contact:
            customer = made.get(contact) or known.get(contact)
            if customer is None:
                try:
                    customer = customer_create(
                        organization=organization,
                        name=row.name,
                        emails=[row.email] if row.email else [],
                        phones=[row.phone] if row.phone else [],
                    )
                except ApplicationError as error:
                    field_name = {"email": "customer_email", "phone": "customer_phone"}.get(
                        error.field or "", "customer_name"
                    )
                    errors.append(RowError(row.line, field_name, error.message))
                    continue
                for value in (row.email, row.phone):
                    if value:
                        made[value] = customer
        units.append(
            Unit(
                organization=organization,
                product_model=row.product_model,
                serial_number=row.serial,
                serial_key=row.key,
                customer=customer,
                is_sold_by_us=True,
                source=Unit.Source.IMPORT,
                registered_at=now if customer is not None else None,
                registered_by=actor if customer is not None else None,
                created_at=now,
                updated_at=now,
                **{name: row.values[name] for name in _COMPARED if name != "product_model_id"},
            )
        )
    return units

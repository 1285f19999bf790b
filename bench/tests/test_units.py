"""The warranty scenarios' data: units seeded as the services would write them, the check
list, and unit_import's file of 50 bad rows through the real import."""

import datetime
import urllib.parse
from collections import Counter

import pytest
from django.utils import timezone

from aftercare.catalog.models import ProductModel, WarrantyPolicy
from aftercare.customers.models import Customer
from aftercare.warranty.coverage import coverage_check, last_day, standard_warranty
from aftercare.warranty.imports import units_import
from aftercare.warranty.models import Contract, Unit, UnitTransfer
from aftercare.warranty.serials import serial_key
from aftercare.warranty.services.units import unit_register
from bench.common import RESULT_KEYS
from bench.http_load import SCENARIOS, Context, InProcessMeter
from bench.report import _report
from bench.seed_units import UNKNOWN_SHARE, add_months, bench_seed_units, check_mix
from bench.unit_import import MISTAKES, UNIT_IMPORT_KEYS, import_file_write, unit_import


@pytest.fixture
def units_data(db):
    """The warranty bench's organization, small: 3000 units and 300 serials to check."""
    return bench_seed_units(units=3000, checks=300)


def test_units_are_seeded_as_the_services_write_them(units_data):
    organization = units_data.organization
    units = list(
        Unit.objects.filter(organization=organization)
        .select_related("product_model__warranty_policy", "organization")
        .prefetch_related("contracts")
    )
    assert (organization.slug, units_data.units, len(units)) == ("warranty-bench", 3000, 3000)
    assert Customer.objects.filter(organization=organization).count() == units_data.customers == 60
    assert WarrantyPolicy.objects.filter(organization=organization).count() == 4
    models = ProductModel.objects.filter(organization=organization)
    assert models.count() == 12 and not models.filter(warranty_policy=None).exists()
    # Keys as the real folding makes them; serials stored in ASCII, a fifth with dashes.
    assert all(unit.serial_key == serial_key(unit.serial_number) for unit in units)
    assert all(unit.serial_number.isascii() for unit in units)
    assert 0.15 < sum("-" in unit.serial_number for unit in units) / 3000 < 0.25
    today = timezone.localdate()
    oldest = today - datetime.timedelta(days=6 * 365 + 1)
    assert all(oldest <= unit.purchase_date <= today for unit in units)
    # Imported from sales without an owner (so not registered yet); registered ones have one.
    imported = [unit for unit in units if unit.source == Unit.Source.IMPORT]
    assert 0.75 < len(imported) / 3000 < 0.9
    assert all(unit.customer_id is None and unit.registered_at is None for unit in imported)
    owned = [unit for unit in units if unit.source != Unit.Source.IMPORT]
    assert all(unit.customer_id and unit.registered_at for unit in owned)
    assert 0 < sum(not unit.is_sold_by_us for unit in units) < 0.03 * 3000
    conditioners = [unit for unit in units if unit.product_model.category == "Air conditioners"]
    assert all(
        unit.installation_date is None
        or unit.installation_date >= (unit.delivery_date or unit.purchase_date)
        for unit in conditioners
    )
    # Extended contracts start the day after the standard warranty's last day, for 24 months.
    contracts = Contract.objects.filter(organization=organization).select_related(
        "unit__product_model__warranty_policy"
    )
    assert contracts.count() == units_data.contracts and 150 < units_data.contracts < 330
    for contract in contracts:
        _start, end = standard_warranty(unit=contract.unit)
        assert contract.kind == Contract.Kind.EXTENDED and contract.voided_at is None
        assert contract.starts_on == end + datetime.timedelta(days=1)
        assert contract.ends_on == last_day(contract.starts_on, 24)
    transfers = UnitTransfer.objects.filter(organization=organization).select_related("unit")
    assert transfers.count() == units_data.transfers
    for transfer in transfers:
        assert transfer.unit.transferred_on == transfer.transferred_on
        assert transfer.unit.customer_id == transfer.to_customer_id != transfer.from_customer_id
    # A real spread: covered by each cover, expired, registered too late, bought elsewhere.
    answers = Counter()
    for unit in units:
        coverage = coverage_check(unit=unit, on=today)
        answers[coverage.by if coverage.covered else coverage.reason] += 1
    assert 0.3 < (answers["standard"] + answers["extended"]) / 3000 < 0.6
    assert answers["extended"] and answers["registered_too_late"] and answers["not_sold_by_us"]
    assert 0.3 < answers["expired"] / 3000 < 0.65

    # The services carry on after the bulk load: ids and sequences are past the rows.
    unit = unit_register(
        organization=organization,
        product_model=models.first(),
        serial_number="AW71-2612-999999",
        source=Unit.Source.CONSOLE,
        purchase_date=today,
    )
    assert unit.pk > max(item.pk for item in units) and unit.serial_key == "AW712612999999"


def test_the_check_list_mixes_known_and_unknown_serials_as_customers_type_them(units_data):
    checks = [urllib.parse.unquote(value) for value in units_data.checks]
    assert len(checks) == 300 and units_data.unknown_checks == round(300 * UNKNOWN_SHARE)
    keys = {serial_key(value) for value in checks}
    known = set(
        Unit.objects.filter(organization=units_data.organization, serial_key__in=keys).values_list(
            "serial_key", flat=True
        )
    )
    assert sum(serial_key(value) not in known for value in checks) == units_data.unknown_checks
    # The sample, first: a known serial in Persian digits with dashes, covered by an extended
    # warranty after its standard one ended.
    sample = checks[0]
    assert sample[4] == "-" and any("۰" <= char <= "۹" for char in sample)
    unit = Unit.objects.get(organization=units_data.organization, serial_key=serial_key(sample))
    assert coverage_check(unit=unit, on=timezone.localdate()).by == "extended"
    assert sum(any("۰" <= c <= "۹" for c in value) for value in checks) > 40
    assert sum(any("٠" <= c <= "٩" for c in value) for value in checks) > 10
    assert sum(value != value.strip() for value in checks) > 3
    assert sum(value.islower() for value in checks) > 10

    mix = check_mix(units_data)

    assert sum(mix.values()) == 300 and mix["unknown"] == units_data.unknown_checks
    assert mix["standard"] > 50 and mix["expired"] > 50 and mix["extended"] >= 1


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2025, 11, 15), 24) == datetime.date(2027, 11, 15)
    assert add_months(datetime.date(2025, 8, 31), 18) == datetime.date(2027, 2, 28)


def test_the_import_file_reports_each_bad_row_at_its_line_and_column(units_data):
    written = import_file_write(organization=units_data.organization, rows=500, bad_rows=50)
    units_before = Unit.objects.count()

    report = units_import(
        organization=units_data.organization,
        upload=_upload(written.content),
        dry_run=True,
        actor=units_data.staff,
    )

    assert {(error.line, error.field) for error in report.errors} == set(written.bad.items())
    assert len(report.errors) == 50 and (report.rows, report.new, report.imported) == (500, 450, 0)
    assert Counter(written.bad.values()) == Counter(
        {field: 5 * list(MISTAKES.values()).count(field) for field in set(MISTAKES.values())}
    )
    assert Unit.objects.count() == units_before


def test_unit_import_times_the_dry_and_the_real_run_and_checks_them(units_data, capsys):
    customers = Customer.objects.filter(organization=units_data.organization)
    customers_before = customers.count()

    row, problem = unit_import(
        organization=units_data.organization, actor=units_data.staff, units=3000, rows=600
    )

    assert problem is None
    assert set(RESULT_KEYS + UNIT_IMPORT_KEYS) == set(row)
    assert (row["scenario"], row["units"], row["rows"], row["bad_rows"]) == (
        "unit_import",
        3000,
        600,
        50,
    )
    assert row["imported"] == 550
    assert Unit.objects.filter(organization=units_data.organization).count() == 3550
    assert row["new_customers"] == customers.count() - customers_before > 0
    assert row["seconds"] > 0 and row["dry_run_seconds"] > 0 and row["per_s"] > 0
    assert 0 < row["dry_run_statements"] < row["statements"]
    imported = Unit.objects.filter(
        organization=units_data.organization, source=Unit.Source.IMPORT, serial_key__contains="2698"
    )
    assert imported.count() == 550
    assert all(unit.serial_number.isascii() for unit in imported)

    _report([row], [])

    lines = capsys.readouterr().out.splitlines()
    header = next(index for index, line in enumerate(lines) if "units before" in line)
    cells = lines[header + 1].split()
    assert cells[:4] == ["unit_import", "3,000", "600", "50"] and cells[6] == "550"


def test_unit_import_reports_what_does_not_match(units_data, monkeypatch):
    from bench import unit_import as module

    real = module.import_file_write

    def wrong(**kwargs):
        written = real(**kwargs)
        line = next(line for line, column in written.bad.items() if column != "seller")
        written.bad[line] = "seller"  # the file says another column than the import will
        return written

    monkeypatch.setattr(module, "import_file_write", wrong)

    _row, problem = unit_import(
        organization=units_data.organization, actor=units_data.staff, units=3000, rows=500
    )

    assert problem.startswith("dry run: 50 bad rows reported, 50 expected (missing [(")
    assert "real run: 50 bad rows reported" in problem


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("units.csv", content, content_type="text/csv")


def test_the_warranty_check_sample_shows_the_model_and_its_cover_never_the_owner(
    units_data, client, settings
):
    settings.WARRANTY_CHECK_MAX_PER_IP = 10**9
    context = _context(units_data)
    scenario = next(item for item in SCENARIOS if item.name == "warranty_check")
    sample = scenario.sample(context)
    unit = Unit.objects.select_related("product_model", "customer").get(
        organization=units_data.organization,
        serial_key=serial_key(urllib.parse.unquote(units_data.checks[0])),
    )

    response = client.get(sample.path)

    assert response.status_code == 200
    page = response.content.decode()
    assert str(unit.product_model) in page and unit.serial_number in page
    assert 'data-testid="check-covered"' in page
    assert unit.customer is None or unit.customer.name not in page
    unknown = next(
        value
        for value in units_data.checks
        if not Unit.objects.filter(serial_key=serial_key(urllib.parse.unquote(value))).exists()
    )
    assert client.get(sample.path.replace(units_data.checks[0], unknown)).status_code == 404

    meter = InProcessMeter([scenario], context, agent=None)
    meter.round()
    cost = meter.costs()["warranty_check"]

    # The organization, then the unit with its model, policy and contracts in one query.
    assert cost.queries == 2 and cost.median_ms > 0


def _context(units_data) -> Context:
    return Context(
        base_url="",
        token="",
        session_cookie="",
        ticket_ids=(1, 1),
        customer_ids=(1, 1),
        warranty_slug=units_data.organization.slug,
        warranty_checks=units_data.checks,
    )

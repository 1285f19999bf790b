"""Bulk seeding of registered units for the warranty scenarios: an organization of its own
("Warranty bench"), so that the ticket scenarios meet the same tables whether these run or not.

Its twelve product models (the demo's catalog) each name one of four warranty policies: 24
months from purchase (washing machines), 36 months from delivery (refrigerators), 18 months
from installation with registration within 30 days and on-site travel (air conditioners), 12
months from purchase, not passing to a new owner (TVs). `units` units (BENCH_UNITS) are inserted
with executemany (COPY on PostgreSQL) in one transaction, in the order they were sold over six
years, more of them recent (an install base that grows): serial numbers rise with the week of
manufacture within each model, as on real labels, so the unique (organization, serial_key) index
is written at a dozen points. Each unit, as the services would write it:
- the serial as typed (a fifth of them with dashes, "AW71-2407-001234"), ASCII digits, and its
  key as `aftercare.warranty.serials.serial_key` folds it;
- sold by us, but for 1.5 % bought elsewhere (registered for paid service);
- purchase date and seller; delivery a few days later (always for refrigerators, half of the
  rest); air conditioners installed a few days after delivery, but 8 % not yet;
- imported from sales with no owner, so not registered yet (`import`, as `units_import`
  writes a row without a customer), or registered with an owner among the organization's
  customers (one for every 50 units) in the portal or by staff: 5 % of units, 40 % of air
  conditioners (installers register them), within 30 days of installation, a tenth later;
- 8 % with an extended warranty bought with it: 24 months starting the day after the standard
  warranty ends (as `contract_extend` starts one), and 1 % of owned units passed to another
  owner (a UnitTransfer row and `transferred_on`).

The check list for `warranty_check` is drawn from what was seeded: known serials (their coverage
is whatever the real coverage check says; the scenario counts the mix) and serials nobody
registered, typed as customers type them: Persian or Arabic-Indic digits, dashes added or
dropped, lower case, spaces around.
"""

import contextlib
import datetime
import random
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.services import membership_create, user_create
from aftercare.catalog.models import ProductModel, WarrantyPolicy
from aftercare.demo import content as demo
from aftercare.demo.seed import demo_catalog_create
from aftercare.warranty.models import Contract, Unit, UnitTransfer
from bench.seed_common import (
    _customers,
    _insert_rows,
    _next_id,
    _organization_create,
    _reset_sequences,
)

UNITS_ORGANIZATION_SLUG = "warranty-bench"

# Six years of sales; the density of sales grows with time (UNIT_RECENCY < 1 puts more late).
UNIT_HISTORY_DAYS = 6 * 365 + 1

UNIT_RECENCY = 0.75

# Rows a batch of executemany carries: the rows of one batch are built, inserted and dropped.
UNIT_BATCH = 50_000

# SQLite's page cache while the units are written, in KB.
SQLITE_SEED_CACHE_KB = 512 * 1024

# The policies, by product category: (name, months, starts from, registration days,
# transferable, covers travel).
POLICIES = {
    "Washing machines": ("Washing machines 24 months", 24, "purchase", None, True, False),
    "Refrigerators": ("Refrigerators 36 months", 36, "delivery", None, True, False),
    "Air conditioners": ("Air conditioners 18 months", 18, "installation", 30, True, True),
    "TVs": ("TVs 12 months", 12, "purchase", None, False, False),
}

EXTENDED_MONTHS = 24

# The share of the check list that no unit has.
UNKNOWN_SHARE = 0.15

# Customers of the organization: one for every UNITS_PER_CUSTOMER units (at least 10).
UNITS_PER_CUSTOMER = 50

# The share of units registered by an owner (in the portal or by staff): of the models whose
# policy asks for registration (installers register air conditioners), and of the others.
OWNED_REGISTERING = 0.4

OWNED = 0.05

UNIT_FIELDS = (
    "id",
    "organization_id",
    "product_model_id",
    "serial_number",
    "serial_key",
    "customer_id",
    "is_sold_by_us",
    "purchase_date",
    "seller",
    "invoice_reference",
    "delivery_date",
    "installation_date",
    "proof_of_purchase",
    "source",
    "registered_at",
    "registered_by_id",
    "transferred_on",
    "created_at",
    "updated_at",
)

CONTRACT_FIELDS = (
    "organization_id",
    "unit_id",
    "kind",
    "starts_on",
    "ends_on",
    "covers_parts",
    "covers_labour",
    "covers_travel",
    "price",
    "reference",
    "note",
    "voided_at",
    "created_by_id",
    "created_at",
)

TRANSFER_FIELDS = (
    "organization_id",
    "unit_id",
    "from_customer_id",
    "to_customer_id",
    "transferred_on",
    "note",
    "actor_id",
    "created_at",
)

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class UnitBenchData:
    """What the warranty scenarios need to know about the seeded organization."""

    organization: Organization
    staff: User  # an agent of the organization
    units: int
    customers: int
    contracts: int
    transfers: int
    # Query values for ?serial= (percent-encoded), in a fixed random order: known and unknown
    # serials as customers type them.
    checks: tuple[str, ...]
    # How many of `checks` name no unit.
    unknown_checks: int


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def fold_serial(value: str) -> str:
    """The key of a seeded serial (ASCII letters, digits and dashes only): what
    `aftercare.warranty.serials.serial_key` makes of it, without its general work."""
    return value.replace("-", "").upper()


def typed_serial(serial: str, rng: random.Random) -> str:
    """A serial as a customer types it into the check: Persian or Arabic-Indic digits, dashes
    added or dropped, lower case, spaces around, or as printed."""
    roll = rng.random()
    if roll < 0.25:
        serial = serial.translate(_PERSIAN_DIGITS)
    elif roll < 0.35:
        serial = serial.translate(_ARABIC_DIGITS)
    roll = rng.random()
    if roll < 0.2:
        plain = serial.replace("-", "")
        serial = f"{plain[:4]}-{plain[4:8]}-{plain[8:]}"
    elif roll < 0.3:
        serial = serial.replace("-", "")
    if rng.random() < 0.1:
        serial = serial.lower()
    if rng.random() < 0.05:
        serial = f" {serial} "
    return serial


def bench_seed_units(
    *,
    units: int,
    checks: int = 2000,
    now: datetime.datetime | None = None,
    seed: int = 13,
    progress: Callable[[str], None] | None = None,
) -> UnitBenchData:
    """Seed "Warranty bench" with `units` registered units (see the module's docstring) and
    draw `checks` serials to look up."""
    rng = random.Random(seed)
    now = now or timezone.now()
    say = progress or (lambda message: None)
    customer_count = max(10, units // UNITS_PER_CUSTOMER)
    with transaction.atomic():
        organization = _organization_create(name="Warranty bench", slug=UNITS_ORGANIZATION_SLUG)
        staff = user_create(email="warranty-agent@bench.example", full_name="Warranty Bench Agent")
        membership_create(organization=organization, user=staff, role=Membership.Role.AGENT)
        _categories, products = demo_catalog_create(
            organization=organization, products=demo.PRODUCTS
        )
        policies = {
            category: WarrantyPolicy.objects.create(
                organization=organization,
                name=name,
                months=months,
                starts_from=starts_from,
                registration_days=registration_days,
                is_transferable=transferable,
                covers_travel=travel,
            )
            for category, (name, months, starts_from, registration_days, transferable, travel) in (
                POLICIES.items()
            )
        }
        for product, model in products:
            ProductModel.objects.filter(pk=model.pk).update(
                warranty_policy=policies[product.category]
            )
        customer_rows = _customers(
            organization=organization, count=customer_count, rng=rng, now=now
        )
    say(f"warranty bench: catalog, 4 policies and {len(customer_rows)} customers ready")

    writer = _UnitWriter(
        organization_id=organization.pk,
        staff_id=staff.pk,
        models=[(product, model.pk, policies[product.category]) for product, model in products],
        customers=[customer.pk for customer, _language, _first in customer_rows],
        rng=rng,
        today=timezone.localdate(now),
        total=units,
        first_id=_next_id(Unit),
    )
    with transaction.atomic(), _large_page_cache():
        for start in range(0, units, UNIT_BATCH):
            writer.write(start=start, stop=min(units, start + UNIT_BATCH))
            say(f"warranty bench: {min(units, start + UNIT_BATCH)} / {units} units")
        _reset_sequences([Unit, Contract, UnitTransfer])
    check_list, unknown = writer.check_list(checks)
    return UnitBenchData(
        organization=organization,
        staff=staff,
        units=units,
        customers=len(customer_rows),
        contracts=writer.contracts,
        transfers=writer.transfers,
        checks=check_list,
        unknown_checks=unknown,
    )


class _UnitWriter:
    """Builds and inserts the unit rows of one organization batch by batch, with their
    contracts and transfers, remembering a few serials for the check list."""

    def __init__(
        self,
        *,
        organization_id: int,
        staff_id: int,
        models: list[tuple[demo.Product, int, WarrantyPolicy]],
        customers: list[int],
        rng: random.Random,
        today: datetime.date,
        total: int,
        first_id: int,
    ) -> None:
        self.organization_id = organization_id
        self.staff_id = staff_id
        self.models = models
        self.customers = customers
        self.rng = rng
        self.today = today
        self.total = total
        self.next_id = first_id
        self.sequence = dict.fromkeys(range(len(models)), 0)
        self.sellers = [seller for names in demo.SELLERS.values() for seller in names]
        self.contracts = 0
        self.transfers = 0
        # Serials as stored, a fixed share of them, for the check list.
        self.remembered: list[str] = []
        # The check's sample: a unit whose standard warranty ended and an extended one runs.
        self.sample: str | None = None
        self.remember_every = max(1, total // 20_000)
        self.date_value, self.stamp_value = _adapters()
        self.price = Contract._meta.get_field("price").get_db_prep_save(
            Decimal("4500000.00"), connection
        )

    def write(self, *, start: int, stop: int) -> None:
        """Insert units start..stop-1 (in the order they were sold) and what goes with them."""
        random, today = self.rng.random, self.today

        def below(count: int) -> int:
            """A whole number from 0 to count - 1 (randrange costs three times as much)."""
            return int(random() * count)

        date_value, stamp_value = self.date_value, self.stamp_value
        oldest = today - datetime.timedelta(days=UNIT_HISTORY_DAYS)
        units: list[tuple] = []
        contracts: list[tuple] = []
        transfers: list[tuple] = []
        organization_id = self.organization_id
        model_count = len(self.models)
        for index in range(start, stop):
            unit_id = self.next_id
            self.next_id += 1
            share = ((index + random()) / self.total) ** UNIT_RECENCY
            purchase = oldest + datetime.timedelta(days=int(share * UNIT_HISTORY_DAYS))
            purchase = min(purchase, today)
            model_index = below(model_count)
            product, model_id, policy = self.models[model_index]
            self.sequence[model_index] += 1
            made = purchase - datetime.timedelta(days=10 + below(80))
            week = min(made.isocalendar().week, 52)
            plain = f"{product.serial_prefix}{made.year % 100:02d}{week:02d}"
            plain += f"{self.sequence[model_index]:06d}"
            serial = plain
            if random() < 0.2:
                serial = f"{plain[:4]}-{plain[4:8]}-{plain[8:]}"
            if index % self.remember_every == 0:
                self.remembered.append(serial)
            delivery = installation = None
            if product.category == "Refrigerators" or random() < 0.5:
                delivery = purchase + datetime.timedelta(days=below(8))
            if product.category == "Air conditioners" and random() < 0.92:
                installation = (delivery or purchase) + datetime.timedelta(days=1 + below(14))
            is_sold_by_us = random() >= 0.015
            owned = OWNED_REGISTERING if policy.registration_days is not None else OWNED
            roll = random()
            customer_id = registered_by_id = None
            source = Unit.Source.IMPORT
            # Imported from sales: no owner yet, so not registered (as `units_import` writes).
            registered = purchase
            if not is_sold_by_us or roll < owned:
                customer_id = self.customers[below(len(self.customers))]
                source = Unit.Source.PORTAL if roll < owned * 0.6 else Unit.Source.CONSOLE
                if source == Unit.Source.CONSOLE:
                    registered_by_id = self.staff_id
                registered = installation or delivery or purchase
                if policy.registration_days is not None and installation is not None:
                    late = random() < 0.1
                    days = 31 + below(89) if late else below(policy.registration_days)
                    registered = installation + datetime.timedelta(days=days)
                else:
                    registered += datetime.timedelta(days=below(20))
                registered = min(registered, today)
            moment = datetime.datetime.combine(
                registered,
                datetime.time(5 + below(14), below(60), below(60)),
                tzinfo=datetime.UTC,
            )
            stamp = stamp_value(moment)
            registered_at = stamp if customer_id is not None else None
            transferred_on = None
            if customer_id is not None and random() < 0.01:
                transferred_on = min(registered + datetime.timedelta(days=30 + below(670)), today)
                new_owner = self.customers[below(len(self.customers))]
                transfers.append(
                    (
                        organization_id,
                        unit_id,
                        customer_id,
                        new_owner,
                        date_value(transferred_on),
                        "",
                        self.staff_id,
                        stamp,
                    )
                )
                customer_id = new_owner
            units.append(
                (
                    unit_id,
                    organization_id,
                    model_id,
                    serial,
                    fold_serial(serial),
                    customer_id,
                    is_sold_by_us,
                    date_value(purchase),
                    self.sellers[below(len(self.sellers))],
                    f"INV-{purchase.year}-{index + 1:07d}" if source == Unit.Source.IMPORT else "",
                    date_value(delivery) if delivery else None,
                    date_value(installation) if installation else None,
                    "",
                    source,
                    registered_at,
                    registered_by_id,
                    date_value(transferred_on) if transferred_on else None,
                    stamp,
                    stamp,
                )
            )
            if is_sold_by_us and random() < 0.08:
                start_day = {
                    "purchase": purchase,
                    "delivery": delivery or purchase,
                    "installation": installation,
                }[policy.starts_from]
                if start_day is not None:
                    standard_end = add_months(start_day, policy.months) - datetime.timedelta(1)
                    starts_on = standard_end + datetime.timedelta(days=1)
                    ends_on = add_months(starts_on, EXTENDED_MONTHS) - datetime.timedelta(1)
                    if self.sample is None and starts_on <= today <= ends_on:
                        self.sample = serial
                    contracts.append(
                        (
                            organization_id,
                            unit_id,
                            Contract.Kind.EXTENDED,
                            date_value(starts_on),
                            date_value(ends_on),
                            True,
                            True,
                            policy.covers_travel,
                            self.price,
                            f"EXT-{unit_id}",
                            "",
                            None,
                            None,
                            stamp,
                        )
                    )
        _insert_rows(Unit, UNIT_FIELDS, units)
        _insert_rows(Contract, CONTRACT_FIELDS, contracts)
        _insert_rows(UnitTransfer, TRANSFER_FIELDS, transfers)
        self.contracts += len(contracts)
        self.transfers += len(transfers)

    def check_list(self, count: int) -> tuple[tuple[str, ...], int]:
        """`count` query values for the check, percent-encoded: remembered serials and, for
        UNKNOWN_SHARE of them, serials of the same shape that no unit has."""
        rng = random.Random(self.rng.random())
        unknown = round(count * UNKNOWN_SHARE)
        known = [rng.choice(self.remembered) for _ in range(count - 1 - unknown)]
        # Week 99 is on no label: the same shape as the seeded serials, and never registered.
        strangers = []
        for _ in range(unknown):
            prefix = self.models[rng.randrange(len(self.models))][0].serial_prefix
            strangers.append(f"{prefix}2499{rng.randrange(10**6):06d}")
        serials = known + strangers
        rng.shuffle(serials)
        # First, the sample: typed in Persian digits with dashes, as a customer copies a label.
        sample = fold_serial(self.sample or self.remembered[0])
        typed = [f"{sample[:4]}-{sample[4:8]}-{sample[8:]}".translate(_PERSIAN_DIGITS)]
        typed += [typed_serial(serial, rng) for serial in serials]
        return tuple(urllib.parse.quote(serial, safe="") for serial in typed), unknown


@contextlib.contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, a page cache that holds the unit table's indexes while they are written
    (2 MB by default: a million rows spent 27 s in SQL with it, 22 with this one)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_SEED_CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _adapters() -> tuple[Callable, Callable]:
    """Functions that turn a date and an aware datetime into what the database driver takes,
    as the fields' get_db_prep_save would (the dates of a batch repeat: cached)."""
    ops = connection.ops
    dates: dict[datetime.date, object] = {}

    def date_value(day: datetime.date):
        value = dates.get(day)
        if value is None:
            value = dates[day] = ops.adapt_datefield_value(day)
        return value

    if connection.vendor == "sqlite":
        # What adapt_datetimefield_value makes of a UTC datetime, at a fifth of its cost.
        return date_value, lambda moment: str(moment.replace(tzinfo=None))
    return date_value, ops.adapt_datetimefield_value


def check_mix(data: UnitBenchData) -> dict[str, int]:
    """What the real coverage check answers today for the check list, counted: "standard",
    "extended" or "goodwill" when covered, the reason when not, "unknown" for no such unit."""
    from aftercare.warranty.coverage import coverage_check
    from aftercare.warranty.serials import serial_key

    keys = [serial_key(urllib.parse.unquote(value)) for value in data.checks]
    distinct = sorted(set(keys))
    units: dict[str, Unit] = {}
    for start in range(0, len(distinct), 500):
        found = (
            Unit.objects.filter(
                organization=data.organization, serial_key__in=distinct[start : start + 500]
            )
            .select_related("product_model__warranty_policy", "organization")
            .prefetch_related("contracts")
        )
        units.update((unit.serial_key, unit) for unit in found)
    today = data.organization.today()
    counts: Counter[str] = Counter()
    for key in keys:
        unit = units.get(key)
        if unit is None:
            counts["unknown"] += 1
            continue
        coverage = coverage_check(unit=unit, on=today)
        counts[coverage.by if coverage.covered else coverage.reason] += 1
    return dict(sorted(counts.items()))

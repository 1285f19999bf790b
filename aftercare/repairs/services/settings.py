"""An organization's repair settings: money (currency, tax, labour and travel rates, how long
a quote holds) and the counter work order numbers come from."""

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.repairs.models import RepairSettings
from aftercare.repairs.money import cents

_CURRENCY = re.compile(r"^[A-Z]{3}$")
RATE_MAX = Decimal("999999999999.99")


def repair_settings_get(*, organization: Organization) -> RepairSettings:
    """The organization's repair settings (the defaults, unsaved, until it changes them)."""
    found = RepairSettings.objects.filter(organization=organization).first()
    if found is not None:
        return found
    zero = Decimal("0.00")
    return RepairSettings(
        organization=organization, tax_rate=zero, labour_rate=zero, travel_fee=zero
    )


def _settings_row(organization: Organization) -> None:
    """Make sure the organization's settings row exists (its counter lives there)."""
    if RepairSettings.objects.filter(organization=organization).exists():
        return
    try:
        with transaction.atomic():
            RepairSettings.objects.create(organization=organization)
    except IntegrityError:
        pass  # another request made it first


def work_order_number_next(*, organization: Organization) -> int:
    """The organization's next work order number, counted in the caller's transaction: one
    statement that increments and reads (RETURNING: SQLite 3.35+, PostgreSQL)."""
    _settings_row(organization)
    table = connection.ops.quote_name(RepairSettings._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET work_order_sequence = work_order_sequence + 1 "  # noqa: S608
            "WHERE organization_id = %s RETURNING work_order_sequence",
            [organization.pk],
        )
        return cursor.fetchone()[0]


def _amount(value, *, field: str, maximum: Decimal = RATE_MAX) -> Decimal:
    """A typed amount: a number from 0, two decimals at most."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(_("Enter an amount, e.g. 1250.50."), field=field) from None
    if not amount.is_finite() or amount < 0 or amount > maximum:
        raise ApplicationError(
            _("Enter an amount from 0 to %(max)s.") % {"max": maximum}, field=field
        )
    if amount != cents(amount):
        raise ApplicationError(_("Two decimals at most."), field=field)
    return cents(amount)


@transaction.atomic
def repair_settings_update(
    *,
    organization: Organization,
    currency: str,
    tax_rate,
    labour_rate,
    travel_fee,
    quote_valid_days: int,
) -> RepairSettings:
    """Change the organization's currency (ISO 4217, e.g. IRR), tax rate (%), labour rate per
    hour, on-site travel fee and how many days a quote holds. Quotes already sent keep theirs."""
    currency = (currency or "").strip().upper()
    if not _CURRENCY.match(currency):
        raise ApplicationError(
            _("Enter the currency's three-letter code, e.g. IRR."), field="currency"
        )
    tax = _amount(tax_rate, field="tax_rate", maximum=Decimal(100))
    labour = _amount(labour_rate, field="labour_rate")
    travel = _amount(travel_fee, field="travel_fee")
    valid = isinstance(quote_valid_days, int) and not isinstance(quote_valid_days, bool)
    if not valid or not 1 <= quote_valid_days <= 365:
        raise ApplicationError(_("Enter from 1 to 365 days."), field="quote_valid_days")
    _settings_row(organization)
    settings = RepairSettings.objects.select_for_update().get(organization=organization)
    settings.currency = currency
    settings.tax_rate = tax
    settings.labour_rate = labour
    settings.travel_fee = travel
    settings.quote_valid_days = quote_valid_days
    settings.save(
        update_fields=["currency", "tax_rate", "labour_rate", "travel_fee", "quote_valid_days"]
    )
    return settings

"""Every write to warranty contracts: extended warranties sold, goodwill granted, voiding."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.catalog.services import clean_price
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text
from aftercare.warranty.coverage import last_day, standard_warranty
from aftercare.warranty.models import Contract, Unit

# Ten years: longer than any warranty is sold for, and short of a typing mistake.
EXTENSION_MONTHS_MAX = 120
GOODWILL_DAYS_MAX = 3660


def _clean_months(months) -> int:
    valid = isinstance(months, int) and not isinstance(months, bool)
    if not valid or not 1 <= months <= EXTENSION_MONTHS_MAX:
        raise ApplicationError(
            _("Enter a length from 1 to %(max)s months.") % {"max": EXTENSION_MONTHS_MAX},
            field="months",
        )
    return months


def _clean_day(value, *, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ApplicationError(_("Enter the date as YYYY-MM-DD, e.g. 2024-08-10."), field=field)
    return value


def extension_start(*, unit: Unit, on: datetime.date) -> datetime.date:
    """The first day of an extended warranty sold on day `on`: the day after the standard
    warranty, or the last extended contract not void, ends; or `on` itself if that is later."""
    starts = [on]
    standard = standard_warranty(unit=unit)
    if standard is not None:
        starts.append(standard[1] + datetime.timedelta(days=1))
    last_extended = Contract.objects.filter(
        unit=unit, kind=Contract.Kind.EXTENDED, voided_at__isnull=True
    ).aggregate(last=Max("ends_on"))["last"]
    if last_extended is not None:
        starts.append(last_extended + datetime.timedelta(days=1))
    return max(starts)


@transaction.atomic
def contract_extend(
    *,
    unit: Unit,
    months: int,
    price: Decimal,
    reference: str = "",
    note: str = "",
    actor: User | None = None,
    covers_parts: bool = True,
    covers_labour: bool = True,
    covers_travel: bool = False,
) -> Contract:
    """Sell an extended warranty of `months` calendar months for `price`; it follows the
    standard warranty and any extended contract before it without a gap or an overlap (or
    starts on the day of the sale, if they ended before)."""
    months = _clean_months(months)
    price = clean_price(price, positive=True)
    reference = clean_text(reference, field="reference", required=False, max_length=100)
    note = clean_text(note, field="note", required=False, max_length=500)
    # One sale at a time per unit, so two sales cannot both follow the same contract.
    unit = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("product_model__warranty_policy", "organization")
        .get(pk=unit.pk)
    )
    starts_on = extension_start(unit=unit, on=unit.organization.today())
    return Contract.objects.create(
        organization_id=unit.organization_id,
        unit=unit,
        kind=Contract.Kind.EXTENDED,
        starts_on=starts_on,
        ends_on=last_day(starts_on, months),
        covers_parts=bool(covers_parts),
        covers_labour=bool(covers_labour),
        covers_travel=bool(covers_travel),
        price=price,
        reference=reference,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def contract_goodwill(
    *,
    unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    note: str,
    actor: User | None,
    covers_parts: bool = True,
    covers_labour: bool = True,
    covers_travel: bool = False,
) -> Contract:
    """Grant goodwill: cover from `starts_on` to `ends_on` (both included) for any fault, at
    no price; `note` says why."""
    starts_on = _clean_day(starts_on, field="starts_on")
    ends_on = _clean_day(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise ApplicationError(_("The end is before the start."), field="ends_on")
    if (ends_on - starts_on).days >= GOODWILL_DAYS_MAX:
        raise ApplicationError(_("Goodwill can last ten years at most."), field="ends_on")
    note = clean_text(note, field="note", required=True, max_length=500)
    return Contract.objects.create(
        organization_id=unit.organization_id,
        unit=unit,
        kind=Contract.Kind.GOODWILL,
        starts_on=starts_on,
        ends_on=ends_on,
        covers_parts=bool(covers_parts),
        covers_labour=bool(covers_labour),
        covers_travel=bool(covers_travel),
        note=note,
        created_by=actor,
    )


@transaction.atomic
def contract_void(*, contract: Contract, actor: User | None) -> Contract:
    """Cancel a contract: it is kept (it was sold or granted) and covers nothing from now."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.voided_at is not None:
        raise ApplicationError(_("This contract is already void."), code="already_void")
    contract.voided_at = timezone.now()
    contract.save(update_fields=["voided_at"])
    return contract

"""Reads about registered units, scoped to one organization or one customer."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.warranty.models import Contract, Unit, UnitTransfer, WarrantyClaim
from aftercare.warranty.serials import serial_key

UNIT_OWNERS = ("any", "owned", "unowned")
# What every unit page and coverage check reads with the unit.
_UNIT_RELATIONS = ("organization", "product_model__warranty_policy", "customer")
# What a coverage check reads with the unit (aftercare/warranty/coverage.py).
COVERAGE_RELATIONS = ("organization", "product_model__warranty_policy")


def _units(organization: Organization) -> QuerySet:
    return Unit.objects.filter(organization=organization).select_related(*_UNIT_RELATIONS)


def unit_get(*, organization: Organization, unit_id: int) -> Unit:
    """A unit of this organization with its model, policy and owner, or 404."""
    unit = _units(organization).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def unit_for_input(*, organization: Organization, unit_id: int, field: str = "unit_id") -> Unit:
    """A unit named in input; one of another organization is a field error."""
    unit = _units(organization).filter(pk=unit_id).first()
    if unit is None:
        raise ApplicationError(_("No such unit."), field=field)
    return unit


def unit_get_by_serial(*, organization: Organization, serial: str) -> Unit | None:
    """The organization's unit with this serial, however it is typed (digits, case, dashes)."""
    key = serial_key(serial)
    if not key:
        return None
    return _units(organization).filter(serial_key=key).first()


def unit_page(
    *,
    organization: Organization,
    search: str = "",
    customer_id: int | None = None,
    product_model_id: int | None = None,
    owner: str = "any",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of units, newest first; `search` is the start of a serial, typed any way."""
    if owner not in UNIT_OWNERS:
        raise ApplicationError(_("Unknown owner filter."), field="owner")
    queryset = _units(organization)
    key = serial_key(search)
    if key:
        queryset = queryset.filter(serial_key__startswith=key)
    if customer_id is not None:
        queryset = queryset.filter(customer_id=customer_id)
    if product_model_id is not None:
        queryset = queryset.filter(product_model_id=product_model_id)
    if owner != "any":
        queryset = queryset.filter(customer__isnull=owner == "unowned")
    return keyset_paginate(queryset, ordering=["-created_at", "-id"], cursor=cursor, limit=limit)


def _live_contracts() -> Prefetch:
    return Prefetch(
        "contracts",
        queryset=Contract.objects.filter(voided_at__isnull=True).order_by("starts_on", "id"),
    )


def units_for_customer(*, customer: Customer, limit: int = 200) -> list[Unit]:
    """A customer's units, newest first, with their model, policy and contracts (for coverage);
    two queries however many."""
    return list(
        Unit.objects.filter(organization_id=customer.organization_id, customer=customer)
        .select_related(*COVERAGE_RELATIONS)
        .prefetch_related(_live_contracts())
        .order_by("-created_at", "-id")[:limit]
    )


def unit_get_for_customer(*, customer: Customer, unit_id: int) -> Unit:
    """One of the customer's own units with its live contracts, or 404 (another customer's
    unit too)."""
    unit = (
        Unit.objects.filter(organization_id=customer.organization_id, customer=customer, pk=unit_id)
        .select_related(*COVERAGE_RELATIONS)
        .prefetch_related(_live_contracts())
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def unit_contracts(*, unit: Unit) -> list[Contract]:
    """Every contract of a unit, void ones too, by start."""
    return list(Contract.objects.filter(unit=unit).order_by("starts_on", "id"))


def unit_transfers(*, unit: Unit) -> list[UnitTransfer]:
    """A unit's changes of owner, oldest first, with both owners."""
    return list(
        UnitTransfer.objects.filter(unit=unit)
        .select_related("from_customer", "to_customer", "actor")
        .order_by("created_at", "id")
    )


def unit_claims(*, unit: Unit) -> list[WarrantyClaim]:
    """A unit's warranty claims, newest first."""
    return list(
        WarrantyClaim.objects.filter(unit=unit)
        .select_related("fault_code", "contract", "decided_by")
        .order_by("-created_at", "-id")
    )


def units_for_coverage() -> QuerySet:
    """Units with what a coverage check reads: model, policy, organization and live contracts
    (for an app above that prefetches the units of its own rows)."""
    return Unit.objects.select_related(*COVERAGE_RELATIONS).prefetch_related(_live_contracts())


def unit_choices_for_customer(*, customer: Customer, keep: Unit | None = None) -> list[Unit]:
    """The customer's units to pick from (one query), and `keep` (already picked) if it is not
    theirs."""
    units = list(
        Unit.objects.filter(organization_id=customer.organization_id, customer=customer)
        .select_related("product_model")
        .order_by("-created_at", "-id")[:200]
    )
    if keep is not None and all(unit.pk != keep.pk for unit in units):
        units.append(keep)
    return units

"""Reads about warranty contracts and claims, scoped to one organization (the reads about
units themselves are in `selectors`)."""

import datetime
import functools
from dataclasses import dataclass

from django.db import connection
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel, WarrantyPolicy
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.queries import Columns
from aftercare.warranty.coverage import standard_warranty
from aftercare.warranty.models import Contract, Unit, WarrantyClaim
from aftercare.warranty.serials import serial_key

CLAIM_STATUSES = tuple(WarrantyClaim.Status.values)

# A coverage check reads the unit with its model, the model's policy and the unit's live
# contracts: on the public warranty check, in one hand-written query (see `unit_for_coverage`).
_UNIT = Columns(Unit, "u")
_MODEL = Columns(ProductModel, "m")
_POLICY = Columns(WarrantyPolicy, "p")
_CONTRACT = Columns(Contract, "c")


@functools.cache
def _coverage_sql() -> str:
    """The unit by organization and folded serial, joined to its model, policy and live
    contracts: one row per contract, or one row with NULLs when it has none."""
    quote = connection.ops.quote_name
    tables = {
        name: quote(model._meta.db_table)
        for name, model in (
            ("u", Unit),
            ("m", ProductModel),
            ("p", WarrantyPolicy),
            ("c", Contract),
        )
    }
    # Only identifiers from the models' metadata are formatted in; values are parameters.
    return (
        f"SELECT {_UNIT.select(connection)}, {_MODEL.select(connection)}, "  # noqa: S608
        f"{_POLICY.select(connection)}, {_CONTRACT.select(connection)} "
        f"FROM {tables['u']} u "
        f"INNER JOIN {tables['m']} m ON m.id = u.product_model_id "
        f"LEFT OUTER JOIN {tables['p']} p ON p.id = m.warranty_policy_id "
        f"LEFT OUTER JOIN {tables['c']} c ON c.unit_id = u.id AND c.voided_at IS NULL "
        "WHERE u.organization_id = %s AND u.serial_key = %s "
        "ORDER BY c.starts_on, c.id"
    )


def unit_for_coverage(*, organization: Organization, serial: str) -> Unit | None:
    """The organization's unit with this serial, however it is typed, with its model, policy
    and live contracts (prefetched, by start) for a coverage check; None if there is none.

    One hand-written query: it serves the public warranty check, where compiling the same read
    through the ORM (three joins, then the contracts) took most of the page's time.
    """
    key = serial_key(serial)
    if not key:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_coverage_sql(), [organization.pk, key])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    unit = _UNIT.instance(connection, first, 0)
    product_model = _MODEL.instance(connection, first, _UNIT.width)
    policy = _POLICY.instance(connection, first, _UNIT.width + _MODEL.width)
    offset = _UNIT.width + _MODEL.width + _POLICY.width
    contracts = [
        contract
        for contract in (_CONTRACT.instance(connection, row, offset) for row in rows)
        if contract is not None
    ]
    Unit.organization.field.set_cached_value(unit, organization)
    Unit.product_model.field.set_cached_value(unit, product_model)
    ProductModel.warranty_policy.field.set_cached_value(product_model, policy)
    for contract in contracts:
        Contract.unit.field.set_cached_value(contract, unit)
    prefetched = unit.contracts.all()
    prefetched._result_cache = contracts
    prefetched._prefetch_done = True
    unit._prefetched_objects_cache = {"contracts": prefetched}
    return unit


def contract_get(*, organization: Organization, contract_id: int) -> Contract:
    """A contract of this organization, or 404."""
    contract = Contract.objects.filter(organization=organization, pk=contract_id).first()
    if contract is None:
        raise Http404
    return contract


def contract_list_for_unit(*, unit: Unit) -> list[Contract]:
    """Every contract of a unit, void ones too, by start."""
    return list(Contract.objects.filter(unit=unit).order_by("starts_on", "id"))


def claim_get(*, organization: Organization, claim_id: int) -> WarrantyClaim:
    """A warranty claim of this organization, or 404."""
    claim = WarrantyClaim.objects.filter(organization=organization, pk=claim_id).first()
    if claim is None:
        raise Http404
    return claim


def claim_page(
    *,
    organization: Organization,
    status: str | None = None,
    unit_id: int | None = None,
    ticket_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of warranty claims, newest first; by status, unit or request if given."""
    if status is not None and status not in CLAIM_STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = WarrantyClaim.objects.filter(organization=organization)
    if status is not None:
        queryset = queryset.filter(status=status)
    if unit_id is not None:
        queryset = queryset.filter(unit_id=unit_id)
    if ticket_id is not None:
        queryset = queryset.filter(ticket_id=ticket_id)
    return keyset_paginate(queryset, ordering=["-created_at", "-id"], cursor=cursor, limit=limit)


def contract_get_for_unit(*, unit: Unit, contract_id: int) -> Contract:
    """A contract of this unit, or 404 (another unit's, or another organization's)."""
    contract = Contract.objects.filter(unit=unit, pk=contract_id).first()
    if contract is None:
        raise Http404
    return contract


def claim_get_for_unit(*, unit: Unit, claim_id: int) -> WarrantyClaim:
    """A warranty claim on this unit with its fault, contract and decider, or 404."""
    claim = (
        WarrantyClaim.objects.filter(unit=unit, pk=claim_id)
        .select_related("fault_code", "contract", "decided_by")
        .first()
    )
    if claim is None:
        raise Http404
    return claim


@dataclass(frozen=True)
class StandardCover:
    """The standard warranty shown beside the contracts: the model's policy, from its first to
    its last day (it is not a row: it is computed from the policy and the unit's dates)."""

    policy_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool


def standard_cover(*, unit: Unit) -> StandardCover | None:
    """The unit's standard warranty, or None if it has none (bought elsewhere, no policy, or no
    start date yet); the unit is read with its model's policy."""
    dates = standard_warranty(unit=unit)
    if dates is None:
        return None
    policy = unit.product_model.warranty_policy
    return StandardCover(
        policy_name=policy.name,
        starts_on=dates[0],
        ends_on=dates[1],
        covers_parts=policy.covers_parts,
        covers_labour=policy.covers_labour,
        covers_travel=policy.covers_travel,
    )

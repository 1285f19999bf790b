"""Reads about warranty contracts and claims, scoped to one organization (the reads about
units themselves are in `selectors`)."""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.warranty.coverage import standard_warranty
from aftercare.warranty.models import Contract, Unit, WarrantyClaim
from aftercare.warranty.serials import serial_key

CLAIM_STATUSES = tuple(WarrantyClaim.Status.values)
# What a coverage check reads with the unit: its model and policy, and the organization (its
# time zone dates the registration).
COVERAGE_RELATIONS = ("product_model__warranty_policy", "organization")


def unit_for_coverage(*, organization: Organization, serial: str) -> Unit | None:
    """The organization's unit with this serial, however it is typed, loaded for a coverage
    check in one query; None if there is none."""
    key = serial_key(serial)
    if not key:
        return None
    return (
        Unit.objects.filter(organization=organization, serial_key=key)
        .select_related(*COVERAGE_RELATIONS)
        .first()
    )


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

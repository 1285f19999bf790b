"""Reads about warranty policies, scoped to one organization."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import WarrantyPolicy
from aftercare.catalog.selectors.products import STATUSES
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate


def warranty_policy_get(*, organization: Organization, warranty_policy_id: int) -> WarrantyPolicy:
    """A warranty policy of this organization with its exclusions, or 404."""
    policy = (
        WarrantyPolicy.objects.filter(organization=organization, pk=warranty_policy_id)
        .prefetch_related("excluded_faults")
        .first()
    )
    if policy is None:
        raise Http404
    return policy


def warranty_policy_for_input(
    *, organization: Organization, warranty_policy_id: int, field: str = "warranty_policy_id"
) -> WarrantyPolicy:
    """A warranty policy named in input; one of another organization is a field error."""
    policy = WarrantyPolicy.objects.filter(organization=organization, pk=warranty_policy_id).first()
    if policy is None:
        raise ApplicationError(_("No such warranty policy."), field=field)
    return policy


def warranty_policy_choices(
    *, organization: Organization, keep_id: int | None = None
) -> list[WarrantyPolicy]:
    """Active policies to pick from by name, and policy `keep_id` (already picked) even if
    inactive."""
    condition = Q(is_active=True)
    if keep_id is not None:
        condition |= Q(pk=keep_id)
    return list(WarrantyPolicy.objects.filter(condition, organization=organization))


def warranty_policy_page(
    *,
    organization: Organization,
    search: str = "",
    status: str = "all",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of warranty policies by name, with their exclusions; search part of the name."""
    if status not in STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = WarrantyPolicy.objects.filter(organization=organization)
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    term = search.strip()
    if term:
        queryset = queryset.filter(name__icontains=term)
    queryset = queryset.prefetch_related("excluded_faults")
    return keyset_paginate(queryset, ordering=["name", "id"], cursor=cursor, limit=limit)

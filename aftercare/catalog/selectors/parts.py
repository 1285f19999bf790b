"""Reads about spare parts, scoped to one organization."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import SparePart
from aftercare.catalog.selectors.products import STATUSES
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import language_codes
from aftercare.lib.pagination import Page, keyset_paginate


def part_name_languages() -> tuple[str, ...]:
    """The languages a part's name is written in besides its default name (the site's
    default language)."""
    return tuple(code for code in language_codes() if code != settings.LANGUAGE_CODE)


def spare_part_get(*, organization: Organization, spare_part_id: int) -> SparePart:
    """A spare part of this organization with its compatible models, or 404."""
    part = (
        SparePart.objects.filter(organization=organization, pk=spare_part_id)
        .prefetch_related("compatible_models")
        .first()
    )
    if part is None:
        raise Http404
    return part


def spare_part_for_input(
    *, organization: Organization, spare_part_id: int, field: str = "spare_part_id"
) -> SparePart:
    """A spare part named in input; one of another organization is a field error."""
    part = SparePart.objects.filter(organization=organization, pk=spare_part_id).first()
    if part is None:
        raise ApplicationError(_("No such spare part."), field=field)
    return part


def spare_part_page(
    *,
    organization: Organization,
    search: str = "",
    status: str = "all",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of spare parts by SKU, with their compatible models; search part of the name
    in any language, or the exact SKU."""
    if status not in STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = SparePart.objects.filter(organization=organization)
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    term = search.strip()
    if term:
        condition = Q(name__icontains=term) | Q(sku__iexact=term)
        for language in part_name_languages():
            condition |= Q(**{f"names__{language}__icontains": term})
        queryset = queryset.filter(condition)
    queryset = queryset.prefetch_related("compatible_models")
    return keyset_paginate(queryset, ordering=["sku", "id"], cursor=cursor, limit=limit)

"""Reads about spare parts, scoped to one organization."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.indexing import SPARE_PART
from aftercare.catalog.models import SparePart
from aftercare.catalog.selectors.products import STATUSES
from aftercare.catalog.selectors.searching import listed_page, searched_page
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import language_codes
from aftercare.lib.pagination import Page


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
    """One page of spare parts by SKU, with their compatible models; with `search`, those the
    search index finds by their name in any language or their SKU, the SKU typed whole first."""
    if status not in STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = SparePart.objects.filter(organization=organization)
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    queryset = queryset.prefetch_related("compatible_models")
    if search.strip():
        return searched_page(
            queryset,
            organization=organization,
            kind=SPARE_PART,
            search=search,
            states=[] if status == "all" else [status],
            cursor=cursor,
            limit=limit,
        )
    return listed_page(queryset, ordering=["sku", "id"], cursor=cursor, limit=limit)

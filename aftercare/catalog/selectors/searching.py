"""What the catalog's lists share: a page of the list in its own order, or, with a search, a
page of what the search index finds, best match first."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, decode_cursor, keyset_paginate
from aftercare.search.selectors import query_parse, search_page


def searched_page(
    queryset: QuerySet,
    *,
    organization: Organization,
    kind: str,
    search: str,
    states: list[str],
    cursor: str | None,
    limit: int,
) -> Page:
    """The rows of `queryset` (the list's filters, of one organization) that the index finds
    for `search`, ranked: an SKU or code typed whole first, then the name, then the rest.
    `states` narrows the index to active or inactive rows (empty: any); the queryset's own
    filters still decide, should the index lag behind. The cursor is the index's."""
    hits = search_page(
        organization_id=organization.pk,
        query=query_parse(search, region=organization.country, field="search"),
        kinds=[kind],
        states=states,
        cursor=cursor,
        limit=limit,
    )
    found = {row.pk: row for row in queryset.filter(pk__in=[hit.object_id for hit in hits.items])}
    return Page(
        items=[found[hit.object_id] for hit in hits.items if hit.object_id in found],
        next_cursor=hits.next_cursor,
    )


def listed_page(queryset: QuerySet, *, ordering: list[str], cursor: str | None, limit: int) -> Page:
    """`keyset_paginate` over an ordering whose first key is text (an SKU, a code, a brand):
    a search's cursor (a tier, a number, first) is refused as the field error it is rather
    than read as a place in the list."""
    if cursor and not isinstance(decode_cursor(cursor, size=len(ordering))[0], str):
        raise ApplicationError(_("The cursor is not valid."), field="cursor")
    return keyset_paginate(queryset, ordering=ordering, cursor=cursor, limit=limit)

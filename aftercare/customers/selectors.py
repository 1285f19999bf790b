"""Reads about customers, always scoped to one organization."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.customers.indexing import KIND
from aftercare.customers.models import ContactPoint, Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.phone import normalize_phone
from aftercare.search.selectors import query_parse, search_page


def _with_contacts(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "contact_points", queryset=ContactPoint.objects.order_by("kind", "-is_primary", "id")
        )
    )


def customer_get(*, organization: Organization, customer_id: int) -> Customer:
    """A customer of this organization, or 404."""
    customer = _with_contacts(
        Customer.objects.filter(organization=organization, pk=customer_id)
    ).first()
    if customer is None:
        raise Http404
    return customer


def customer_list(
    *,
    organization: Organization,
    search: str = "",
    email: str = "",
    phone: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Customers, newest activity first; with `search`, what the search index finds by name,
    company or any contact point (a phone in any format, an email whole), best match first.
    `email` and `phone` keep only the customer owning that contact point."""
    queryset = Customer.objects.filter(organization=organization)
    if email:
        queryset = queryset.filter(
            contact_points__kind=ContactPoint.Kind.EMAIL,
            contact_points__value=email.strip().lower(),
        )
    if phone:
        try:
            value = normalize_phone(phone, region=organization.country, field="phone")
        except ApplicationError:
            return Page(items=[], next_cursor=None)
        queryset = queryset.filter(
            contact_points__kind__in=[ContactPoint.Kind.PHONE, ContactPoint.Kind.WHATSAPP],
            contact_points__value=value,
        ).distinct()
    if search.strip():
        hits = search_page(
            organization_id=organization.pk,
            query=query_parse(search, region=organization.country, field="search"),
            kinds=[KIND],
            cursor=cursor,
            limit=limit,
        )
        found = {
            c.pk: c
            for c in _with_contacts(queryset.filter(pk__in=[h.object_id for h in hits.items]))
        }
        return Page(
            items=[found[h.object_id] for h in hits.items if h.object_id in found],
            next_cursor=hits.next_cursor,
        )
    return keyset_paginate(
        _with_contacts(queryset), ordering=["-updated_at", "-id"], cursor=cursor, limit=limit
    )


def customer_search(
    *, organization: Organization, query: str, cursor: str | None, limit: int
) -> Page:
    """Customers by name or contact point; a phone number matches in any format it is typed."""
    return customer_list(organization=organization, search=query, cursor=cursor, limit=limit)


def customer_find_by_contact(
    *, organization: Organization, kind: str, value: str
) -> Customer | None:
    """The customer owning a contact point (already normalised), if any."""
    point = (
        ContactPoint.objects.select_related("customer")
        .filter(organization=organization, kind=kind, value=value)
        .first()
    )
    return point.customer if point else None


def customer_for_portal_user(*, organization: Organization, user: User) -> Customer | None:
    """The customer record a portal account acts as in this organization."""
    if not user.is_authenticated:
        return None
    return Customer.objects.filter(organization=organization, user=user).first()


def customer_for_input(
    *, organization: Organization, customer_id: int, field: str = "customer_id"
) -> Customer:
    """A customer named in input; one of another organization is a field error."""
    customer = Customer.objects.filter(organization=organization, pk=customer_id).first()
    if customer is None:
        raise ApplicationError(_("No such customer."), field=field)
    return customer


def customers_by_contact(
    *, organization: Organization, kinds: list[str], values: list[str]
) -> dict[str, Customer]:
    """The customers owning any of these contact points (already normalised), by value: a few
    queries for thousands of values (an import's whole file)."""
    found: dict[str, Customer] = {}
    wanted = sorted(set(values))
    for start in range(0, len(wanted), 500):
        points = ContactPoint.objects.select_related("customer").filter(
            organization=organization, kind__in=kinds, value__in=wanted[start : start + 500]
        )
        for point in points.order_by("kind", "id"):
            found.setdefault(point.value, point.customer)
    return found

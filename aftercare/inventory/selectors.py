"""Reads about stock, scoped to one organization: locations, levels, the ledger and
reservations. Lists are keyset-paged."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.catalog.models import SparePart
from aftercare.inventory.models import Reservation, StockLevel, StockLocation, StockMove
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.queries import unique_or_none

LOCATION_STATUSES = ("active", "inactive", "all")


def stock_location_list(*, organization: Organization, active_only: bool = True) -> list:
    """The organization's locations by name (for choices: an organization has a handful)."""
    queryset = StockLocation.objects.filter(organization=organization)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return list(queryset.order_by("name", "id"))


def stock_location_page(
    *,
    organization: Organization,
    kind: str = "",
    status: str = "active",
    search: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of locations by name, with their technician and keeper."""
    if kind and kind not in StockLocation.Kind.values:
        raise ApplicationError(_("Unknown kind of location."), field="kind")
    if status not in LOCATION_STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = StockLocation.objects.filter(organization=organization).select_related(
        "holder", "keeper"
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    term = search.strip()
    if term:
        queryset = queryset.filter(name__icontains=term)
    return keyset_paginate(queryset, ordering=["name", "id"], cursor=cursor, limit=limit)


def stock_location_get(*, organization: Organization, location_id: int) -> StockLocation:
    """A location of this organization with its technician and keeper, or 404."""
    location = unique_or_none(
        StockLocation.objects.select_related("holder", "keeper").filter(
            organization=organization, pk=location_id
        )
    )
    if location is None:
        raise Http404
    return location


def stock_location_for_input(
    *, organization: Organization, location_id: int, field: str = "location_id"
) -> StockLocation:
    """A location named in input; one of another organization is a field error."""
    location = unique_or_none(
        StockLocation.objects.filter(organization=organization, pk=location_id)
    )
    if location is None:
        raise ApplicationError(_("No such stock location."), field=field)
    return location


def stock_location_of_holder(*, organization: Organization, user: User) -> StockLocation | None:
    """The active van a technician holds, if any (the first by name)."""
    return (
        StockLocation.objects.filter(
            organization=organization,
            holder=user,
            kind=StockLocation.Kind.VAN,
            is_active=True,
        )
        .order_by("name", "id")
        .first()
    )


def spare_part_get(*, organization: Organization, part_id: int) -> SparePart:
    """A spare part of this organization, or 404."""
    part = unique_or_none(SparePart.objects.filter(organization=organization, pk=part_id))
    if part is None:
        raise Http404
    return part


def spare_part_for_input(
    *, organization: Organization, part_id: int, field: str = "part_id"
) -> SparePart:
    """A spare part named by id in input; one of another organization is a field error."""
    part = unique_or_none(SparePart.objects.filter(organization=organization, pk=part_id))
    if part is None:
        raise ApplicationError(_("No such spare part."), field=field)
    return part


def spare_part_for_sku(*, organization: Organization, sku: str, field: str = "part") -> SparePart:
    """A spare part named by its SKU as typed (case aside); none is a field error."""
    sku = (sku or "").replace("\x00", "").strip()
    part = (
        unique_or_none(SparePart.objects.filter(organization=organization, sku=sku))
        if sku
        else None
    )
    if part is None and sku:
        part = SparePart.objects.filter(organization=organization, sku__iexact=sku).first()
    if part is None:
        raise ApplicationError(_("No spare part has this SKU."), field=field)
    return part


def stock_level_page(
    *,
    organization: Organization,
    location_id: int | None = None,
    part_id: int | None = None,
    low_only: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of levels with their part and location: a location's by SKU, a part's by
    location name, the low ones longest low first, otherwise by id."""
    queryset = StockLevel.objects.filter(organization=organization).select_related(
        "part", "location"
    )
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    if part_id is not None:
        queryset = queryset.filter(part_id=part_id)
    if low_only:
        queryset = queryset.filter(low_since__isnull=False)
        ordering = ["low_since", "id"]
    elif location_id is not None and part_id is None:
        ordering = ["part__sku", "id"]
    elif part_id is not None and location_id is None:
        ordering = ["location__name", "id"]
    else:
        ordering = ["id"]
    return keyset_paginate(queryset, ordering=ordering, cursor=cursor, limit=limit)


def stock_level_get(*, organization: Organization, level_id: int) -> StockLevel:
    """A level of this organization with its part and location, or 404."""
    level = unique_or_none(
        StockLevel.objects.select_related("part", "location").filter(
            organization=organization, pk=level_id
        )
    )
    if level is None:
        raise Http404
    return level


def stock_level_find(*, location: StockLocation, part: SparePart) -> StockLevel | None:
    """The location's level of the part, if it ever held or planned any."""
    return unique_or_none(StockLevel.objects.filter(location=location, part=part))


def _day_start(day: datetime.date, organization: Organization) -> datetime.datetime:
    """Midnight starting `day` in the organization's time zone."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=organization.zone)


def stock_move_page(
    *,
    organization: Organization,
    location_id: int | None = None,
    part_id: int | None = None,
    kind: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of the ledger, newest first; `since` and `until` are days (both included) in
    the organization's time zone."""
    if kind and kind not in StockMove.Kind.values:
        raise ApplicationError(_("Unknown kind of move."), field="kind")
    if since and until and until < since:
        raise ApplicationError(_("The last day comes before the first."), field="until")
    queryset = StockMove.objects.filter(organization=organization).select_related(
        "location", "part", "actor"
    )
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    if part_id is not None:
        queryset = queryset.filter(part_id=part_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    try:
        if since:
            queryset = queryset.filter(created_at__gte=_day_start(since, organization))
        if until:
            end = _day_start(until + datetime.timedelta(days=1), organization)
            queryset = queryset.filter(created_at__lt=end)
    except OverflowError:
        raise ApplicationError(_("Enter a real day."), field="until") from None
    return keyset_paginate(queryset, ordering=["-created_at", "-id"], cursor=cursor, limit=limit)


def stock_move_get(*, organization: Organization, move_id: int) -> StockMove:
    """One line of the ledger, or 404."""
    move = unique_or_none(
        StockMove.objects.select_related("location", "part", "actor").filter(
            organization=organization, pk=move_id
        )
    )
    if move is None:
        raise Http404
    return move


def reservation_page(
    *,
    organization: Organization,
    location_id: int | None = None,
    part_id: int | None = None,
    status: str = "",
    work_order_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of reservations, newest first, with their location and part."""
    if status and status not in Reservation.Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = Reservation.objects.filter(organization=organization).select_related(
        "location", "part"
    )
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    if part_id is not None:
        queryset = queryset.filter(part_id=part_id)
    if status:
        queryset = queryset.filter(status=status)
    if work_order_id is not None:
        queryset = queryset.filter(work_order_id=work_order_id)
    return keyset_paginate(queryset, ordering=["-id"], cursor=cursor, limit=limit)


def reservation_get(*, organization: Organization, reservation_id: int) -> Reservation:
    """One reservation of this organization, or 404."""
    reservation = unique_or_none(
        Reservation.objects.select_related("location", "part").filter(
            organization=organization, pk=reservation_id
        )
    )
    if reservation is None:
        raise Http404
    return reservation


def reservation_list_for_work_order(
    *, organization: Organization, work_order_id: int, active_only: bool = True
) -> list[Reservation]:
    """A work order's reservations, oldest first."""
    queryset = Reservation.objects.filter(organization=organization, work_order_id=work_order_id)
    if active_only:
        queryset = queryset.filter(status=Reservation.Status.ACTIVE)
    return list(queryset.select_related("location", "part").order_by("id"))

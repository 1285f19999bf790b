"""Reads about work orders, quotes and visits, scoped to one organization or one customer."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, User
from aftercare.catalog.models import SparePart
from aftercare.customers.models import Customer
from aftercare.inventory.models import StockLocation
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.queries import unique_or_none
from aftercare.repairs.models import LabourEntry, PartLine, Quote, Visit, WorkOrder
from aftercare.repairs.stages import OPEN_STAGES
from aftercare.tickets.models import Ticket

# What a work order's pages and answers show with it.
_RELATIONS = (
    "organization",
    "ticket__customer",
    "unit__product_model",
    "technician",
    "stock_location",
    "reported_fault",
    "root_cause",
    "claim",
)


def _work_orders(organization: Organization) -> QuerySet:
    return WorkOrder.objects.filter(organization=organization).select_related(*_RELATIONS)


def _with_work(queryset: QuerySet) -> QuerySet:
    """A work order's parts, labour, quotes (newest first, with their lines) and visits."""
    return queryset.prefetch_related(
        Prefetch(
            "parts",
            queryset=PartLine.objects.select_related("part", "location").order_by("pk"),
        ),
        Prefetch(
            "labour", queryset=LabourEntry.objects.select_related("technician").order_by("pk")
        ),
        Prefetch("quotes", queryset=Quote.objects.order_by("-created_at", "-id")),
        "quotes__lines",
        Prefetch(
            "visits", queryset=Visit.objects.select_related("technician").order_by("window_start")
        ),
    )


def _open_quote(work_order: WorkOrder) -> WorkOrder:
    """Mark the quote waiting for the customer (from the prefetched quotes) as `open_quote`."""
    work_order.open_quote = next(
        (quote for quote in work_order.quotes.all() if quote.status == Quote.Status.SENT), None
    )
    return work_order


def work_order_get(*, organization: Organization, work_order_id: int) -> WorkOrder:
    """A work order of this organization, or 404."""
    work_order = unique_or_none(_work_orders(organization).filter(pk=work_order_id))
    if work_order is None:
        raise Http404
    return work_order


def work_order_detail(*, organization: Organization, work_order_id: int) -> WorkOrder:
    """A work order of this organization with all its work (parts, labour, quotes and their
    lines, visits; `open_quote` the one waiting for the customer), or 404."""
    work_order = unique_or_none(_with_work(_work_orders(organization)).filter(pk=work_order_id))
    if work_order is None:
        raise Http404
    return _open_quote(work_order)


def work_orders_for_ticket(*, ticket: Ticket) -> list[WorkOrder]:
    """A request's work orders, oldest first, each with its parts (and their spare parts),
    labour, quotes (newest first, with lines), visits and `open_quote` (the quote waiting for
    the customer, or None): for the portal and the documents. Six queries however many."""
    work_orders = _with_work(
        WorkOrder.objects.filter(organization_id=ticket.organization_id, ticket=ticket)
        .select_related("unit__product_model", "technician", "reported_fault", "root_cause")
        .select_related("claim")
        .order_by("created_at", "id")
    )
    return [_open_quote(work_order) for work_order in work_orders]


def work_orders_for_panel(*, ticket: Ticket) -> list[WorkOrder]:
    """A request's work orders, oldest first, with their technician: one query."""
    return list(
        WorkOrder.objects.filter(organization_id=ticket.organization_id, ticket=ticket)
        .select_related("technician")
        .order_by("created_at", "id")
    )


def quote_get_for_customer(*, customer: Customer, quote_id: int) -> Quote:
    """A quote on one of this customer's own requests, with its lines and work order, or 404."""
    quote = (
        Quote.objects.filter(
            organization_id=customer.organization_id,
            pk=quote_id,
            work_order__ticket__customer=customer,
        )
        .select_related("work_order__ticket", "work_order__unit__product_model")
        .prefetch_related("lines")
        .first()
    )
    if quote is None:
        raise Http404
    return quote


def part_line_get(*, work_order: WorkOrder, part_line_id: int) -> PartLine:
    """One part line of this work order, or 404."""
    line = (
        PartLine.objects.filter(work_order=work_order, pk=part_line_id)
        .select_related("part", "location")
        .first()
    )
    if line is None:
        raise Http404
    line.work_order = work_order
    return line


def visit_get(*, work_order: WorkOrder, visit_id: int) -> Visit:
    """One visit of this work order, or 404."""
    visit = (
        Visit.objects.filter(work_order=work_order, pk=visit_id)
        .select_related("technician")
        .first()
    )
    if visit is None:
        raise Http404
    visit.work_order = work_order
    return visit


def work_order_page(
    *,
    organization: Organization,
    stage: str = "",
    technician_id: int | None = None,
    ticket_id: int | None = None,
    is_open: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of work orders, newest first, by stage, technician, request or openness."""
    queryset = _work_orders(organization)
    if stage:
        if stage not in WorkOrder.Stage.values:
            raise ApplicationError(_("Unknown stage."), field="stage")
        queryset = queryset.filter(stage=stage)
    if technician_id is not None:
        queryset = queryset.filter(technician_id=technician_id)
    if ticket_id is not None:
        queryset = queryset.filter(ticket_id=ticket_id)
    if is_open is not None:
        queryset = queryset.filter(is_open=is_open)
    return keyset_paginate(queryset, ordering=["-created_at", "-id"], cursor=cursor, limit=limit)


# --- The dispatch board and the technician's day ---

BOARD_LIMIT = 300
# Kinds of work done at the customer's place: they need a visit.
VISITED_KINDS = (WorkOrder.Kind.ON_SITE, WorkOrder.Kind.INSTALLATION, WorkOrder.Kind.MAINTENANCE)


@dataclass(frozen=True)
class Board:
    """Open work orders by stage (in the stages' order), those nobody works, and those done at
    the customer's place with no visit to come."""

    columns: list[tuple[str, str, list[WorkOrder]]]
    unassigned: list[WorkOrder]
    needs_visit: list[WorkOrder]
    is_cut: bool


def dispatch_board(*, organization: Organization, technician_id: int | None = None) -> Board:
    """The supervisor's board: open work orders (the BOARD_LIMIT most recently moved), by
    stage, optionally one technician's. One query."""
    coming = Visit.objects.filter(
        work_order=OuterRef("pk"),
        status__in=[Visit.Status.SCHEDULED, Visit.Status.ON_THE_WAY],
    )
    queryset = (
        WorkOrder.objects.filter(organization=organization, is_open=True)
        .select_related("ticket__customer", "technician", "unit__product_model")
        .annotate(has_visit=Exists(coming))
        .order_by("-stage_changed_at", "-id")
    )
    if technician_id is not None:
        queryset = queryset.filter(technician_id=technician_id)
    rows = list(queryset[: BOARD_LIMIT + 1])
    is_cut = len(rows) > BOARD_LIMIT
    rows = rows[:BOARD_LIMIT]
    by_stage: dict[str, list[WorkOrder]] = {}
    for row in rows:
        by_stage.setdefault(row.stage, []).append(row)
    columns = [
        (value, str(label), by_stage.get(value, []))
        for value, label in WorkOrder.Stage.choices
        if value in OPEN_STAGES
    ]
    return Board(
        columns=columns,
        unassigned=[row for row in rows if row.technician_id is None],
        needs_visit=[row for row in rows if row.kind in VISITED_KINDS and not row.has_visit],
        is_cut=is_cut,
    )


@dataclass(frozen=True)
class TechnicianDay:
    """A technician's day: their visits of the day, in time order, and the open work orders
    they work."""

    day: datetime.date
    visits: list[Visit]
    work_orders: list[WorkOrder]


def _phone(ticket: Ticket) -> str:
    if ticket.contact_phone:
        return ticket.contact_phone
    phones = [point for point in ticket.customer.contact_points.all() if point.kind == "phone"]
    phones.sort(key=lambda point: (not point.is_primary, point.pk))
    return phones[0].value if phones else ""


def technician_day(
    *, organization: Organization, technician: User, day: datetime.date | None = None
) -> TechnicianDay:
    """The technician's visits of `day` (today where the organization is, by default) with
    each customer's phone, and the open work orders given to them. Four queries."""
    zone = organization.zone
    day = day or organization.today()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    visits = list(
        Visit.objects.filter(
            organization=organization,
            technician=technician,
            window_start__lt=end,
            window_end__gt=start,
        )
        .select_related("work_order__ticket__customer", "work_order__unit__product_model")
        .prefetch_related("work_order__ticket__customer__contact_points")
        .order_by("window_start", "id")
    )
    for visit in visits:
        visit.phone = _phone(visit.work_order.ticket)
    work_orders = list(
        WorkOrder.objects.filter(organization=organization, technician=technician, is_open=True)
        .select_related("ticket__customer", "unit__product_model")
        .order_by("-stage_changed_at", "-id")[:BOARD_LIMIT]
    )
    return TechnicianDay(day=day, visits=visits, work_orders=work_orders)


# --- What forms choose from ---


def technician_list(*, organization: Organization) -> list[User]:
    """The organization's active technicians, by name."""
    return [
        membership.user
        for membership in Membership.objects.select_related("user")
        .filter(organization=organization, is_active=True, role=Membership.Role.TECHNICIAN)
        .order_by("user__full_name", "user__email")
    ]


def technician_for_input(
    *, organization: Organization, user_id: int, field: str = "technician_id"
) -> User:
    """A technician of this organization named in input; anyone else is a field error."""
    membership = (
        Membership.objects.select_related("user")
        .filter(
            organization=organization,
            user_id=user_id,
            is_active=True,
            role=Membership.Role.TECHNICIAN,
        )
        .first()
    )
    if membership is None:
        raise ApplicationError(_("No such technician in this organization."), field=field)
    return membership.user


def stock_location_list(*, organization: Organization) -> list[StockLocation]:
    """The organization's active stock locations, by name."""
    return list(
        StockLocation.objects.filter(organization=organization, is_active=True).order_by("name")
    )


def stock_location_for_input(
    *, organization: Organization, location_id: int, field: str = "location_id"
) -> StockLocation:
    """A stock location of this organization named in input; else a field error."""
    location = StockLocation.objects.filter(organization=organization, pk=location_id).first()
    if location is None:
        raise ApplicationError(_("No such stock location."), field=field)
    return location


def spare_parts_for(*, work_order: WorkOrder, limit: int = 500) -> list[SparePart]:
    """Active spare parts that fit the work order's unit (those listing no model fit any)."""
    queryset = SparePart.objects.filter(organization_id=work_order.organization_id, is_active=True)
    if work_order.unit_id is not None:
        fits = Q(compatible_models=work_order.unit.product_model_id) | Q(
            compatible_models__isnull=True
        )
        ids = SparePart.objects.filter(fits, organization_id=work_order.organization_id)
        queryset = queryset.filter(pk__in=ids.values("pk"))
    return list(queryset.order_by("sku")[:limit])


def ticket_for_input(*, organization: Organization, ticket_id: int, field: str = "ticket_id"):
    """A request of this organization named in input (with its customer and unit); else a
    field error."""
    ticket = (
        Ticket.objects.filter(organization=organization, pk=ticket_id)
        .select_related("organization", "customer", "unit")
        .first()
    )
    if ticket is None:
        raise ApplicationError(_("No such request."), field=field)
    return ticket

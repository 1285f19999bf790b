"""Reads about service requests, always scoped to one organization or one customer."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.customers.models import ContactPoint, Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.phone import normalize_phone
from aftercare.lib.queries import unique_or_none
from aftercare.lib.text import normalize_digits
from aftercare.lib.validation import objects_for_input
from aftercare.lib.vocabulary import Kind, Priority, Status
from aftercare.notifications.models import Notice
from aftercare.search.selectors import query_parse, search_object_ids
from aftercare.sla.models import SlaState
from aftercare.tickets.indexing import KIND
from aftercare.tickets.models import Attachment, Category, Tag, Ticket, TicketEvent, TicketMessage
from aftercare.warranty.coverage import Coverage, coverage_check
from aftercare.warranty.selectors import units_for_coverage

# A queue narrowed by a search shows the requests among this many best matches.
SEARCH_MATCHES = 1000

SORTS: dict[str, list[str]] = {
    "-updated": ["-updated_at", "-id"],
    "updated": ["updated_at", "id"],
    "-created": ["-created_at", "-id"],
    "created": ["created_at", "id"],
    "-priority": ["-priority", "-updated_at", "-id"],
    # Soonest SLA due first; only requests whose SLA clock is running have a due time.
    "sla_due": ["sla_due_at", "id"],
}
QUEUES = ("mine", "unassigned", "open", "team", "at_risk", "all")
DEFAULT_QUEUE = "open"
AT_RISK_STATES = ("warning", "breached")
# The queue's SLA filter, by its name in the query: the SLA states it keeps.
SLA_FILTERS: dict[str, list[str]] = {
    "at_risk": list(AT_RISK_STATES),
    **{state: [state] for state in SlaState.values},
}
# What the queue's query names (its address, and a saved view's filters), besides a search.
QUEUE_QUERY = ("queue", "status", "kind", "priority", "team", "assignee", "sla", "sort")
# Ids the database can hold.
ID_MAX = 2**63 - 1


_API_RELATIONS = ("customer", "assignee", "team", "category", "product_model", "sla_policy")


def _list_queryset(organization: Organization) -> QuerySet:
    return Ticket.objects.filter(organization=organization).select_related(
        "organization", *_API_RELATIONS
    )


# What the queue draws of each request (aftercare/tickets/rows.py), and the keyset sort keys. The
# customer's, team's and assignee's names come as columns, not as objects to build.
_ROW_FIELDS = (
    "id",
    "organization_id",
    "number",
    "subject",
    "customer_id",
    "status",
    "is_open",
    "priority",
    "kind",
    "team_id",
    "assignee_id",
    "sla_state",
    "sla_due_at",
    "created_at",
    "updated_at",
)
# What the API writes of each request (aftercare/tickets/api_schemas.py `ticket_out`): every column
# but the SLA clock, and of each related object only what the answer names.
_API_SKIPPED = {"organization", "public_token", "created_by", "sla_clock"}
_API_FIELDS = (
    *(field.name for field in Ticket._meta.concrete_fields if field.name not in _API_SKIPPED),
    "customer__name",
    "product_model__name",
    "product_model__sku",
    "category__name",
    "team__name",
    "assignee__full_name",
    "assignee__email",
    "sla_policy__name",
)
_ROW_NAMES = {
    "customer_name": F("customer__name"),
    "team_name": F("team__name"),
    "assignee_full_name": F("assignee__full_name"),
    "assignee_email": F("assignee__email"),
}


def with_tag_names(tickets: list[Ticket]) -> list[Ticket]:
    """Fill each request's `tag_names` with one query for all of them."""
    names: dict[int, list[str]] = {ticket.pk: [] for ticket in tickets}
    if names:
        pairs = Ticket.tags.through.objects.filter(ticket_id__in=names).values_list(
            "ticket_id", "tag__name"
        )
        for ticket_id, name in pairs:
            names[ticket_id].append(name)
    for ticket in tickets:
        # Sorted here, not by the database, whose collation may differ from the services'.
        ticket.tag_names = sorted(names[ticket.pk])
    return tickets


def parse_reference(value: str, *, field: str = "number") -> int:
    """The number in 'AS-000123', '#123' or '123' (Persian digits allowed)."""
    text = normalize_digits((value or "").strip()).lstrip("#")
    if "-" in text:
        text = text.rsplit("-", 1)[-1]
    if not text.isdigit():
        raise ApplicationError(_("Enter a request number such as AS-000123."), field=field)
    return int(text)


def queue_sort(*, queue: str, sort: str) -> str:
    """The order a queue is read in: the requests at risk soonest due first, unless another
    order than the default is chosen."""
    if queue == "at_risk" and sort == "-updated":
        return "sla_due"
    return sort


def ticket_filter(
    queryset: QuerySet,
    *,
    queue: str = "all",
    user: User | None = None,
    status: list[str] | None = None,
    kind: str = "",
    team_id: int | None = None,
    assignee_id: int | None = None,
    unassigned: bool = False,
    priority: int | None = None,
    sla_state: list[str] | None = None,
    customer_id: int | None = None,
    updated_since: datetime.datetime | None = None,
    sort: str = "-updated",
) -> QuerySet:
    """The requests of `queryset` (one organization's) that a queue and its filters show, for
    the queue, the API's list and saved views alike; unordered. A queue read in SLA due order
    (`queue_sort`) shows only the requests whose SLA clock runs. An unknown value is an error
    on its field."""
    if sort not in SORTS:
        raise ApplicationError(_("Unknown sort order."), field="sort")
    if queue not in QUEUES:
        raise ApplicationError(_("Unknown queue."), field="queue")
    if queue == "mine":
        queryset = queryset.filter(assignee=user, is_open=True)
    elif queue == "unassigned":
        queryset = queryset.filter(assignee__isnull=True, is_open=True)
    elif queue in ("open", "team"):
        queryset = queryset.filter(is_open=True)
    elif queue == "at_risk":
        queryset = queryset.filter(is_open=True, sla_state__in=AT_RISK_STATES)
    if queue_sort(queue=queue, sort=sort) == "sla_due":
        queryset = queryset.filter(sla_due_at__isnull=False)
    if sla_state:
        if any(value not in SlaState.values for value in sla_state):
            raise ApplicationError(_("Unknown SLA state."), field="sla_state")
        queryset = queryset.filter(sla_state__in=sla_state)
    if status:
        unknown = [value for value in status if value not in Status.values]
        if unknown:
            raise ApplicationError(_("Unknown status."), field="status")
        queryset = queryset.filter(status__in=status)
    if kind:
        if kind not in Kind.values:
            raise ApplicationError(_("Unknown kind of request."), field="kind")
        queryset = queryset.filter(kind=kind)
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    if assignee_id is not None:
        queryset = queryset.filter(assignee_id=assignee_id)
    if unassigned:
        queryset = queryset.filter(assignee__isnull=True)
    if priority is not None:
        queryset = queryset.filter(priority=priority)
    if customer_id is not None:
        queryset = queryset.filter(customer_id=customer_id)
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=updated_since)
    return queryset


def _query_number(text: dict[str, str], key: str) -> int | None:
    value = text[key]
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > ID_MAX:
        raise ApplicationError(_("Not a valid value for this filter."), field=key)
    return int(value)


def queue_query_arguments(query: Mapping) -> dict:
    """`ticket_filter`'s arguments for the queue's query as its address writes it (the keys of
    QUEUE_QUERY, each a string, empty for any), which a saved view keeps as well; a value that
    is none of its key's is an error naming the key."""
    text = {key: "" if query.get(key) is None else str(query.get(key)) for key in QUEUE_QUERY}
    queue = text["queue"] or DEFAULT_QUEUE
    if queue not in QUEUES:
        raise ApplicationError(_("Unknown queue."), field="queue")
    if text["status"] and text["status"] not in Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    if text["kind"] and text["kind"] not in Kind.values:
        raise ApplicationError(_("Unknown kind of request."), field="kind")
    priority = _query_number(text, "priority")
    if priority is not None and priority not in Priority.values:
        raise ApplicationError(_("Unknown priority."), field="priority")
    if text["sla"] and text["sla"] not in SLA_FILTERS:
        raise ApplicationError(_("Unknown SLA state."), field="sla")
    sort = text["sort"] or "-updated"
    if sort not in SORTS:
        raise ApplicationError(_("Unknown sort order."), field="sort")
    unassigned = text["assignee"] == "none"
    return {
        "queue": queue,
        "status": [text["status"]] if text["status"] else None,
        "kind": text["kind"],
        "priority": priority,
        "team_id": _query_number(text, "team"),
        "assignee_id": None if unassigned else _query_number(text, "assignee"),
        "unassigned": unassigned,
        "sla_state": SLA_FILTERS[text["sla"]] if text["sla"] else None,
        "sort": sort,
    }


def ticket_list(
    *,
    organization: Organization,
    queue: str = "all",
    user: User | None = None,
    status: list[str] | None = None,
    kind: str = "",
    team_id: int | None = None,
    assignee_id: int | None = None,
    unassigned: bool = False,
    priority: int | None = None,
    sla_state: list[str] | None = None,
    customer_id: int | None = None,
    updated_since: datetime.datetime | None = None,
    search: str = "",
    sort: str = "-updated",
    cursor: str | None = None,
    limit: int = 50,
    shape: str = "full",
) -> Page:
    """One page of requests for a queue and filters (`ticket_filter`), in a stable keyset order,
    with their tag names. The shape says what is loaded: "full" every field and relation, "rows"
    only what a queue row shows (aftercare/tickets/rows.py), "api" what the API writes
    (`ticket_out`)."""
    queryset = _list_queryset(organization)
    if shape == "rows":
        queryset = queryset.select_related(None).only(*_ROW_FIELDS).annotate(**_ROW_NAMES)
    elif shape == "api":
        queryset = queryset.select_related(None).select_related(*_API_RELATIONS).only(*_API_FIELDS)
    elif shape != "full":
        raise ValueError(f"Unknown shape {shape!r}.")
    queryset = ticket_filter(
        queryset,
        queue=queue,
        user=user,
        status=status,
        kind=kind,
        team_id=team_id,
        assignee_id=assignee_id,
        unassigned=unassigned,
        priority=priority,
        sla_state=sla_state,
        customer_id=customer_id,
        updated_since=updated_since,
        sort=sort,
    )
    sort = queue_sort(queue=queue, sort=sort)
    if search.strip():
        # What the search index finds (number, subject, messages, serials, contact points,
        # customer), at most SEARCH_MATCHES, best first; the queue's own order then sorts them.
        query = query_parse(search, region=organization.country, field="search")
        queryset = queryset.filter(
            pk__in=search_object_ids(
                organization_id=organization.pk, query=query, kind=KIND, limit=SEARCH_MATCHES
            )
        )
    page = keyset_paginate(queryset, ordering=SORTS[sort], cursor=cursor, limit=limit)
    with_tag_names(page.items)
    if shape != "rows":
        # What the coverage of each request's unit reads: no query when none has a unit.
        prefetch_related_objects(page.items, Prefetch("unit", queryset=units_for_coverage()))
    if shape != "full":
        for ticket in page.items:
            ticket.organization = organization  # the same for all: not joined
    return page


# A request's unit with what its coverage reads (its contracts only when the standard warranty
# does not cover it).
_UNIT_RELATIONS = ("unit__organization", "unit__product_model__warranty_policy")


def _ticket_page_get(organization: Organization, **lookup) -> Ticket:
    """One request of this organization as its page reads it, or 404."""
    ticket = unique_or_none(
        _list_queryset(organization).select_related("created_by", *_UNIT_RELATIONS).filter(**lookup)
    )
    if ticket is None:
        raise Http404
    return with_tag_names([ticket])[0]


def ticket_get(*, organization: Organization, ticket_id: int) -> Ticket:
    """A request of this organization by id, or 404."""
    return _ticket_page_get(organization, pk=ticket_id)


def tickets_get(*, organization: Organization, ticket_ids: list[int]) -> list[Ticket]:
    """These requests of the organization, by id, loaded as a page of `ticket_list` is: a few
    queries for any number."""
    tickets = list(_list_queryset(organization).filter(pk__in=list(ticket_ids)).order_by("id"))
    with_tag_names(tickets)
    prefetch_related_objects(tickets, Prefetch("unit", queryset=units_for_coverage()))
    return tickets


def ticket_get_by_number(*, organization: Organization, number: int) -> Ticket:
    """A request of this organization by its human number, or 404."""
    return _ticket_page_get(organization, number=number)


def ticket_coverage(ticket: Ticket) -> Coverage | None:
    """Whether the request's unit was covered on the day the request was opened (in the
    organization's time zone); None without a registered unit."""
    if ticket.unit_id is None:
        return None
    return coverage_check(unit=ticket.unit, on=timezone.localdate(ticket.created_at))


@dataclass(frozen=True)
class TimelineEntry:
    """A message or an event, in the order they happened."""

    kind: str  # "message", "event" or "notice"
    item: TicketMessage | TicketEvent | Notice
    created_at: datetime.datetime


@dataclass(frozen=True)
class Timeline:
    """A request's timeline, and the files attached to the request itself (not to a message).
    Each message of the timeline carries its own files as `files`."""

    entries: list[TimelineEntry]
    files: list[Attachment]


_HIDDEN_EVENTS = {TicketEvent.Kind.MESSAGE_ADDED, TicketEvent.Kind.ATTACHMENT_ADDED}


def ticket_timeline(*, ticket: Ticket, public_only: bool) -> Timeline:
    """The request's timeline and files, with those of duplicates merged into it; the customer
    sees replies, their messages, status changes and public files; staff also see every notice
    sent about it, and whether it went. Each message carries its files (`files`) and, if it
    came from a merged duplicate, that request's reference (`merged_from`, else ""). Three
    queries (four for staff), however long the timeline."""
    # The request's own, and those of the duplicates merged into it (a subquery, not a query).
    merged = Ticket.objects.filter(Q(pk=ticket.pk) | Q(merged_into_id=ticket.pk)).values("pk")
    messages = (
        TicketMessage.objects.filter(ticket_id__in=merged)
        .select_related("author")
        .annotate(source_number=F("ticket__number"))
    )
    attachments = Attachment.objects.filter(ticket_id__in=merged).order_by("id")
    if public_only:
        messages = messages.filter(kind__in=["customer", "reply"])
        attachments = attachments.filter(is_public=True)
    event_qs = (
        TicketEvent.objects.filter(ticket_id__in=merged)
        .exclude(kind__in=_HIDDEN_EVENTS)
        .select_related("actor")
    )
    if public_only:
        event_qs = event_qs.filter(is_public=True)
    files: list[Attachment] = []
    by_message: dict[int, list[Attachment]] = {}
    for attachment in attachments:
        if attachment.message_id is None:
            files.append(attachment)
        else:
            by_message.setdefault(attachment.message_id, []).append(attachment)
    entries = []
    prefix = ticket.organization.ticket_prefix
    for message in messages:
        message.files = by_message.get(message.pk, [])
        # A message of a duplicate merged into this request names the request it came from.
        message.merged_from = (
            ""
            if message.ticket_id == ticket.pk
            else Ticket.format_reference(prefix, message.source_number)
        )
        entries.append(TimelineEntry("message", message, message.created_at))
    entries += [TimelineEntry("event", e, e.created_at) for e in event_qs]
    if not public_only:
        notices = Notice.objects.filter(
            organization_id=ticket.organization_id, ticket_id=ticket.pk
        ).order_by("id")
        entries += [TimelineEntry("notice", n, n.created_at) for n in notices]
    # At one instant: the change, then what was written, then who was told of it.
    order = {"event": 0, "message": 1, "notice": 2}
    entries.sort(key=lambda entry: (entry.created_at, order[entry.kind], entry.item.pk))
    return Timeline(entries=entries, files=files)


def attachment_get_for_staff(*, organization: Organization, attachment_id: int) -> Attachment:
    """An attachment of this organization, or 404."""
    attachment = Attachment.objects.filter(organization=organization, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def attachment_get_for_customer(*, customer: Customer, attachment_id: int) -> Attachment:
    """A customer-visible attachment on one of this customer's requests, or 404."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, ticket__customer=customer, is_public=True
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def ticket_list_for_customer(*, customer: Customer) -> list[Ticket]:
    """A customer's own requests, newest first."""
    return list(
        Ticket.objects.filter(customer=customer)
        .select_related("organization", "product_model")
        .order_by("-created_at", "-id")
    )


def ticket_get_for_customer(*, customer: Customer, number: int) -> Ticket:
    """One of the customer's own requests by number, or 404."""
    ticket = (
        Ticket.objects.filter(customer=customer, number=number)
        .select_related("organization", "product_model", "category")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def ticket_track(*, organization: Organization, reference: str, contact: str) -> Ticket | None:
    """A request found by its number plus the email or phone it was opened with."""
    try:
        number = parse_reference(reference)
    except ApplicationError:
        return None
    ticket = (
        Ticket.objects.filter(organization=organization, number=number)
        .select_related("organization", "customer", "product_model")
        .first()
    )
    if ticket is None:
        return None
    contact = (contact or "").strip()
    if not contact:
        return None
    if "@" in contact:
        email = contact.lower()
        if ticket.contact_email.lower() == email:
            return ticket
        owns = ContactPoint.objects.filter(
            customer_id=ticket.customer_id, kind=ContactPoint.Kind.EMAIL, value=email
        ).exists()
        return ticket if owns else None
    try:
        phone = normalize_phone(contact, region=organization.country)
    except ApplicationError:
        return None
    if ticket.contact_phone:
        try:
            if normalize_phone(ticket.contact_phone, region=organization.country) == phone:
                return ticket
        except ApplicationError:
            pass
    owns = ContactPoint.objects.filter(
        customer_id=ticket.customer_id,
        kind__in=[ContactPoint.Kind.PHONE, ContactPoint.Kind.WHATSAPP],
        value=phone,
    ).exists()
    return ticket if owns else None


def category_list(*, organization: Organization) -> list[Category]:
    """Active categories, by name."""
    return list(
        Category.objects.filter(organization=organization, is_active=True).select_related("parent")
    )


def category_for_input(*, organization: Organization, category_id: int) -> Category:
    """A category named in input; another organization's is a field error."""
    category = Category.objects.filter(organization=organization, pk=category_id).first()
    if category is None:
        raise ApplicationError(_("No such category."), field="category_id")
    return category


def tag_list(*, organization: Organization) -> list[Tag]:
    """Tags in use, by name."""
    return list(Tag.objects.filter(organization=organization))


def ticket_message_page(*, ticket: Ticket, cursor: str | None = None, limit: int = 50) -> Page:
    """One page of a request's messages, oldest first, with authors and attachments."""
    queryset = (
        TicketMessage.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )
    return keyset_paginate(queryset, ordering=["created_at", "id"], cursor=cursor, limit=limit)


def ticket_message_for_input(
    *, ticket: Ticket, message_id: int, field: str = "message_id"
) -> TicketMessage:
    """A message of this request named in input; any other is a field error."""
    message = TicketMessage.objects.filter(ticket=ticket, pk=message_id).first()
    if message is None:
        raise ApplicationError(_("No such message on this request."), field=field)
    return message


def attachment_page(*, ticket: Ticket, cursor: str | None = None, limit: int = 50) -> Page:
    """One page of every file on a request, its own and its messages', oldest first."""
    queryset = Attachment.objects.filter(ticket=ticket)
    return keyset_paginate(queryset, ordering=["id"], cursor=cursor, limit=limit)


@dataclass(frozen=True)
class CategoryNode:
    """A category in the tree: how deep it sits and its full path of names."""

    category: Category
    depth: int
    path: str


def category_tree(*, organization: Organization) -> list[CategoryNode]:
    """Every category, active or not, parents each followed by their children, by name."""
    categories = list(Category.objects.filter(organization=organization).order_by("name", "id"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    nodes: list[CategoryNode] = []
    seen: set[int] = set()

    def visit(parent_id: int | None, depth: int, prefix: str) -> None:
        for category in children.get(parent_id, []):
            if category.pk in seen:
                continue
            seen.add(category.pk)
            path = f"{prefix} / {category.name}" if prefix else category.name
            nodes.append(CategoryNode(category=category, depth=depth, path=path))
            visit(category.pk, depth + 1, path)

    visit(None, 0, "")
    return nodes


def category_get(*, organization: Organization, category_id: int) -> Category:
    """A category of this organization (active or not) with its parent, or 404."""
    category = (
        Category.objects.select_related("parent")
        .filter(organization=organization, pk=category_id)
        .first()
    )
    if category is None:
        raise Http404
    return category


def categories_for_input(
    *, organization: Organization, category_ids: list[int], field: str = "category_ids"
) -> list[Category]:
    """The categories named in input; any id not of this organization is a field error."""
    queryset = Category.objects.filter(organization=organization)
    return objects_for_input(queryset, category_ids, field=field, message=_("No such category."))

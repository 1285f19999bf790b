"""Every write to service requests: validate, lock, write, record the event.

Each change the SLA depends on goes through `sla.sla_apply` before the request is saved, and a
new request is routed (team, then agent) in the transaction that creates it. Messages and files
added to a request are in `conversation.py`, on the helpers here.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.queries import unique_or_none
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import clean_text
from aftercare.lib.vocabulary import OPEN_STATUSES, Channel, Kind, Priority, Status
from aftercare.tickets import events, notices
from aftercare.tickets.attachments import attachment_check
from aftercare.tickets.choices import TRANSITIONS
from aftercare.tickets.indexing import request_index, request_index_new
from aftercare.tickets.models import Attachment, Category, Tag, Ticket, TicketMessage
from aftercare.tickets.routing.services import (
    dispatch_soon,
    routing_decide,
    routing_record,
    routing_rule_match,
)
from aftercare.tickets.services import sla
from aftercare.warranty.models import Unit

SUBJECT_MAX = 200
BODY_MAX = 50_000


def _check_same_org(obj, organization: Organization, *, field: str, label: str) -> None:
    if obj is not None and obj.organization_id != organization.pk:
        raise ApplicationError(_("No such %(label)s.") % {"label": label}, field=field)


def _check_unit(unit: Unit, *, organization_id: int, customer_id: int) -> None:
    """A request's unit is one of its organization's, owned by its customer or by nobody."""
    if unit.organization_id != organization_id:
        raise ApplicationError(_("No such unit."), field="unit")
    if unit.customer_id is not None and unit.customer_id != customer_id:
        raise ApplicationError(_("This unit belongs to another customer."), field="unit")


def _check_assignee(user: User | None, organization: Organization) -> None:
    if user is None:
        return
    is_member = Membership.objects.filter(
        organization=organization, user=user, is_active=True
    ).exists()
    if not is_member:
        raise ApplicationError(_("No such member in this organization."), field="assignee_id")


def _check_choices(*, kind: str, priority: int, channel: str, language: str) -> None:
    if kind not in Kind.values:
        raise ApplicationError(_("Unknown kind of request."), field="kind")
    if priority not in Priority.values:
        raise ApplicationError(_("Unknown priority."), field="priority")
    if channel not in Channel.values:
        raise ApplicationError(_("Unknown channel."), field="channel")
    if language and not is_language(language):
        raise ApplicationError(_("Unknown language."), field="language")


def _next_number(organization: Organization) -> int:
    """The organization's next request number, counted in the caller's transaction: one
    statement that increments and reads (RETURNING: SQLite 3.35+, PostgreSQL)."""
    table = connection.ops.quote_name(Organization._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET ticket_sequence = ticket_sequence + 1 "  # noqa: S608 - a name
            "WHERE id = %s RETURNING ticket_sequence",
            [organization.pk],
        )
        return cursor.fetchone()[0]


def store_attachments(
    *,
    ticket: Ticket,
    uploads: list[UploadedFile],
    message: TicketMessage | None,
    actor: User | None,
    is_public: bool,
) -> list[Attachment]:
    """Check and store uploads on a request (or one of its messages), each on the timeline."""
    from django.conf import settings

    if len(uploads) > settings.ATTACHMENT_MAX_PER_MESSAGE:
        raise ApplicationError(
            _("At most %(count)s files at once.") % {"count": settings.ATTACHMENT_MAX_PER_MESSAGE},
            field="attachments",
        )
    checked = [(upload, attachment_check(upload)) for upload in uploads]
    stored = []
    for upload, meta in checked:
        attachment = Attachment(
            organization_id=ticket.organization_id,
            ticket=ticket,
            message=message,
            uploaded_by=actor,
            is_public=is_public,
            **meta,
        )
        attachment.file.save(meta["filename"], upload, save=False)
        attachment.save()
        events.ticket_attachment_added_event(
            ticket=ticket, actor=actor, attachment_id=attachment.pk, filename=attachment.filename
        )
        stored.append(attachment)
    return stored


def ticket_create(
    *,
    organization: Organization,
    customer: Customer,
    subject: str,
    description: str,
    kind: str = Kind.QUESTION,
    channel: str = Channel.PORTAL,
    priority: int = Priority.NORMAL,
    language: str = "",
    category: Category | None = None,
    product_model: ProductModel | None = None,
    unit: Unit | None = None,
    serial_number: str = "",
    purchase_date: datetime.date | None = None,
    seller: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    team: Team | None = None,
    assignee: User | None = None,
    tags: list[str] | None = None,
    attachments: list[UploadedFile] | None = None,
    actor: User | None = None,
) -> Ticket:
    """Open a service request for a customer; the number comes from the organization's counter.
    A registered `unit` (the customer's) gives section B its model, serial, purchase date and
    seller.

    What only reads (the checks, the customer's email, the routing rule and the SLA
    configuration) happens before the transaction: on SQLite the transaction holds the database's
    one write lock, and every other intake waits for it.
    """
    if customer.organization_id != organization.pk:
        raise ApplicationError(_("No such customer."), field="customer_id")
    if unit is not None:
        _check_unit(unit, organization_id=organization.pk, customer_id=customer.pk)
        product_model, serial_number = unit.product_model, unit.serial_number
        purchase_date, seller = unit.purchase_date, unit.seller
    subject = clean_text(subject, field="subject", required=True, max_length=SUBJECT_MAX)
    description = clean_text(description, field="description", required=True, max_length=BODY_MAX)
    serial_number = clean_text(serial_number, field="serial_number", required=False, max_length=64)
    seller = clean_text(seller, field="seller", required=False, max_length=200)
    _check_choices(kind=kind, priority=priority, channel=channel, language=language)
    _check_same_org(category, organization, field="category_id", label=_("category"))
    _check_same_org(product_model, organization, field="product_model_id", label=_("product"))
    _check_same_org(team, organization, field="team_id", label=_("team"))
    _check_assignee(assignee, organization)
    if purchase_date and purchase_date > timezone.localdate():
        raise ApplicationError(_("The purchase date is in the future."), field="purchase_date")
    if not contact_email:
        contact_email = (
            unique_or_none(
                customer.contact_points.filter(kind="email", is_primary=True).values_list(
                    "value", flat=True
                )
            )
            or ""
        )
    ticket = Ticket(
        organization=organization,
        subject=subject,
        description=description,
        customer=customer,
        contact_email=contact_email,
        contact_phone=contact_phone,
        channel=channel,
        language=language or customer.preferred_language,
        kind=kind,
        category=category,
        priority=priority,
        product_model=product_model,
        unit=unit,
        serial_number=serial_number,
        purchase_date=purchase_date,
        seller=seller,
        team=team,
        assignee=assignee,
        created_by=actor,
    )
    ticket.organization = organization
    rule = routing_rule_match(ticket) if team is None else None
    snapshot = sla.sla_snapshot(organization_id=organization.pk)
    with transaction.atomic():
        return _ticket_write(
            ticket,
            rule=rule,
            snapshot=snapshot,
            team_given=team is not None,
            assignee_given=assignee is not None,
            tags=tags,
            attachments=attachments,
            actor=actor,
        )


def _ticket_write(
    ticket: Ticket,
    *,
    rule,
    snapshot,
    team_given: bool,
    assignee_given: bool,
    tags: list[str] | None,
    attachments: list[UploadedFile] | None,
    actor: User | None,
) -> Ticket:
    """ticket_create's writes, in its transaction."""
    now = timezone.now()
    ticket.number = _next_number(ticket.organization)
    ticket.created_at = ticket.updated_at = ticket.last_customer_message_at = now
    routing = routing_decide(
        ticket=ticket, team_given=team_given, assignee_given=assignee_given, now=now, rule=rule
    )
    sla.sla_apply(ticket=ticket, changes={sla.CREATED}, actor=actor, now=now, snapshot=snapshot)
    ticket.save()
    events.ticket_created_event(ticket=ticket, actor=actor)
    if routing is not None:
        routing_record(ticket=ticket, routing=routing)
    if ticket.assignee_id is not None:
        events.ticket_assignment_announce(ticket=ticket, actor=actor)
    sla.sla_applied_record(ticket=ticket, actor=actor)
    ticket.tag_names = []
    if tags:
        _set_tags(ticket=ticket, names=tags, actor=actor, record=False)
    if attachments:
        store_attachments(
            ticket=ticket, uploads=attachments, message=None, actor=actor, is_public=True
        )
    request_index_new(ticket)
    notices.notify_received(ticket)
    return ticket


def _set_tags(*, ticket: Ticket, names: list[str], actor: User | None, record: bool) -> None:
    cleaned = []
    for name in names:
        name = (name or "").strip()[:50]
        if name and name not in cleaned:
            cleaned.append(name)
    current = set(ticket.tag_names)
    wanted = set(cleaned)
    if current == wanted:
        return
    tags = []
    for name in cleaned:
        tag, _created = Tag.objects.get_or_create(organization_id=ticket.organization_id, name=name)
        tags.append(tag)
    ticket.tags.set(tags)
    ticket.tag_names = sorted(cleaned)
    if record:
        events.ticket_tags_changed_event(
            ticket=ticket,
            actor=actor,
            added=sorted(wanted - current),
            removed=sorted(current - wanted),
        )


def lock_ticket(ticket: Ticket) -> Ticket:
    """The request, locked for this transaction, with what its writes read."""
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("organization", "assignee", "team", "customer")
        .get(pk=ticket.pk)
    )
    return locked


def set_status(*, ticket: Ticket, status: str, now: datetime.datetime) -> None:
    """Move the (locked) request to a status, keeping its resolved and closed times true."""
    ticket.status = status
    if status == Status.RESOLVED:
        ticket.resolved_at = now
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif status in (Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.AWAITING_PARTS):
        ticket.resolved_at = None


@transaction.atomic
def ticket_status_change(
    *, ticket: Ticket, status: str, actor: User | None, reason: str = ""
) -> Ticket:
    """Move a request to another status, if the transition is allowed."""
    if status not in Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    ticket = lock_ticket(ticket)
    previous = ticket.status
    if status == previous:
        return ticket
    if status not in TRANSITIONS[previous]:
        raise ApplicationError(
            _("A request cannot go from %(from)s to %(to)s.")
            % {"from": Status(previous).label, "to": Status(status).label},
            field="status",
            code="transition",
        )
    now = timezone.now()
    set_status(ticket=ticket, status=status, now=now)
    ticket.updated_at = now
    sla.sla_apply(
        ticket=ticket, changes={sla.STATUS}, actor=actor, now=now, previous_status=previous
    )
    ticket.save()
    request_index(ticket)
    event = events.ticket_status_changed_event(
        ticket=ticket, actor=actor, previous=previous, reason=reason[:500]
    )
    notices.notify_status(ticket, event, actor)
    if ticket.status not in OPEN_STATUSES and ticket.assignee_id is not None:
        _capacity_freed(ticket)
    return ticket


def _capacity_freed(ticket: Ticket) -> None:
    """An assignee has one request fewer: offer waiting requests if their team routes itself."""
    if ticket.team is not None and ticket.team.assignment != Team.Assignment.MANUAL:
        dispatch_soon(organization_id=ticket.organization_id, team_id=ticket.team_id)


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | None, actor: User | None) -> Ticket:
    """Give a request to a member of its organization, or take it back to the queue."""
    _check_assignee(assignee, ticket.organization)
    ticket = lock_ticket(ticket)
    previous = ticket.assignee
    if (previous.pk if previous else None) == (assignee.pk if assignee else None):
        return ticket
    ticket.assignee = assignee
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["assignee", "updated_at"])
    events.ticket_assigned_event(ticket=ticket, actor=actor, previous=previous)
    if previous is not None and ticket.is_open:
        _capacity_freed(ticket)
    return ticket


_SIMPLE_FIELDS = {
    "subject": SUBJECT_MAX,
    "description": BODY_MAX,
    "serial_number": 64,
    "seller": 200,
    "resolution": BODY_MAX,
    "root_cause": 200,
    "contact_email": 254,
    "contact_phone": 32,
}


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    actor: User | None,
    subject: str | Unset = UNSET,
    description: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    priority: int | Unset = UNSET,
    language: str | Unset = UNSET,
    category: Category | None | Unset = UNSET,
    product_model: ProductModel | None | Unset = UNSET,
    unit: Unit | None | Unset = UNSET,
    serial_number: str | Unset = UNSET,
    purchase_date: datetime.date | None | Unset = UNSET,
    seller: str | Unset = UNSET,
    contact_email: str | Unset = UNSET,
    contact_phone: str | Unset = UNSET,
    team: Team | None | Unset = UNSET,
    assignee: User | None | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    resolution: str | Unset = UNSET,
    root_cause: str | Unset = UNSET,
) -> Ticket:
    """Change any of the form's fields; each change lands on the timeline. A registered `unit`
    (the customer's) sets section B's model, serial, purchase date and seller; None unlinks it."""
    organization = ticket.organization
    if unit is not UNSET and unit is not None:
        _check_unit(unit, organization_id=ticket.organization_id, customer_id=ticket.customer_id)
        product_model, serial_number = unit.product_model, unit.serial_number
        purchase_date, seller = unit.purchase_date, unit.seller
    given = {
        name: value
        for name, value in {
            "subject": subject,
            "description": description,
            "serial_number": serial_number,
            "seller": seller,
            "resolution": resolution,
            "root_cause": root_cause,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
        }.items()
        if value is not UNSET
    }
    cleaned = {
        name: clean_text(
            value or "",
            field=name,
            required=name in ("subject", "description"),
            max_length=_SIMPLE_FIELDS[name],
        )
        for name, value in given.items()
    }
    if kind is not UNSET and kind not in Kind.values:
        raise ApplicationError(_("Unknown kind of request."), field="kind")
    if priority is not UNSET and priority not in Priority.values:
        raise ApplicationError(_("Unknown priority."), field="priority")
    if language is not UNSET and language and not is_language(language):
        raise ApplicationError(_("Unknown language."), field="language")
    if category is not UNSET:
        _check_same_org(category, organization, field="category_id", label=_("category"))
    if product_model is not UNSET:
        _check_same_org(product_model, organization, field="product_model_id", label=_("product"))
    if team is not UNSET:
        _check_same_org(team, organization, field="team_id", label=_("team"))
    if assignee is not UNSET:
        _check_assignee(assignee, organization)
    if purchase_date is not UNSET and purchase_date and purchase_date > timezone.localdate():
        raise ApplicationError(_("The purchase date is in the future."), field="purchase_date")

    ticket = lock_ticket(ticket)
    changes: dict[str, list] = {}
    for name, value in cleaned.items():
        if getattr(ticket, name) != value:
            changes[name] = [getattr(ticket, name), value]
            setattr(ticket, name, value)
    for name, value in (("kind", kind), ("language", language)):
        if value is not UNSET and getattr(ticket, name) != (value or ""):
            changes[name] = [getattr(ticket, name), value or ""]
            setattr(ticket, name, value or "")
    if purchase_date is not UNSET and ticket.purchase_date != purchase_date:
        changes["purchase_date"] = [
            ticket.purchase_date.isoformat() if ticket.purchase_date else None,
            purchase_date.isoformat() if purchase_date else None,
        ]
        ticket.purchase_date = purchase_date
    for name, value in (("category", category), ("product_model", product_model), ("unit", unit)):
        if value is UNSET:
            continue
        old = getattr(ticket, name)
        if (old.pk if old else None) != (value.pk if value else None):
            changes[name] = [str(old) if old else None, str(value) if value else None]
            setattr(ticket, name, value)

    previous_priority = ticket.priority
    priority_changed = priority is not UNSET and priority != ticket.priority
    if priority_changed:
        ticket.priority = priority
    previous_team_id, previous_team_name = ticket.team_id, ticket.team.name if ticket.team else ""
    team_changed = team is not UNSET and (team.pk if team else None) != ticket.team_id
    if team_changed:
        ticket.team = team
    previous_assignee = ticket.assignee
    assignee_changed = assignee is not UNSET and (
        (assignee.pk if assignee else None) != ticket.assignee_id
    )
    if assignee_changed:
        ticket.assignee = assignee

    now = timezone.now()
    # What SLA policies match on (the channel and the customer do not change here).
    if priority_changed or {"kind", "product_model"} & set(changes):
        sla.sla_apply(ticket=ticket, changes={sla.REMATCH}, actor=actor, now=now)
    if changes or priority_changed or team_changed or assignee_changed:
        ticket.updated_at = now
        ticket.save()
    if changes:
        events.ticket_fields_changed_event(ticket=ticket, actor=actor, changes=changes)
    if priority_changed:
        events.ticket_priority_changed_event(ticket=ticket, actor=actor, previous=previous_priority)
    if team_changed:
        events.ticket_team_changed_event(
            ticket=ticket,
            actor=actor,
            previous_id=previous_team_id,
            previous_name=previous_team_name,
        )
    if assignee_changed:
        events.ticket_assigned_event(ticket=ticket, actor=actor, previous=previous_assignee)
    waiting_in_team = ticket.assignee_id is None and (team_changed or assignee_changed)
    left_an_agent = assignee_changed and previous_assignee is not None
    if ticket.is_open and (waiting_in_team or left_an_agent):
        _capacity_freed(ticket)
    if tags is not UNSET:
        before = ticket.updated_at
        _set_tags(ticket=ticket, names=list(tags or []), actor=actor, record=True)
        if ticket.updated_at == before:
            Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
            ticket.updated_at = now
    if changes or tags is not UNSET:
        request_index(ticket)
    return ticket


@transaction.atomic
def ticket_confirm_resolution(*, ticket: Ticket, actor: User | None) -> Ticket:
    """The customer confirms the resolution: the request closes."""
    ticket = lock_ticket(ticket)
    if ticket.status != Status.RESOLVED:
        raise ApplicationError(
            _("Only a resolved request can be confirmed."), field="status", code="transition"
        )
    now = timezone.now()
    previous = ticket.status
    ticket.customer_confirmed_at = now
    set_status(ticket=ticket, status=Status.CLOSED, now=now)
    ticket.updated_at = now
    sla.sla_apply(
        ticket=ticket, changes={sla.STATUS}, actor=actor, now=now, previous_status=previous
    )
    ticket.save()
    request_index(ticket)
    events.ticket_confirmed_event(ticket=ticket, actor=actor)
    # The customer closed it themselves (signed in, or by their mail's link): nobody is told.
    events.ticket_status_changed_event(ticket=ticket, actor=actor, previous=previous)
    return ticket

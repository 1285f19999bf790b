"""What the repairs services share: today's date where the organization is, locking a work
order, the checks on who may do the work, and moving a work order to another stage."""

from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, User
from aftercare.catalog.models import FaultCode, SparePart
from aftercare.inventory.models import StockLocation
from aftercare.inventory.services import reservation_release
from aftercare.lib.errors import ApplicationError
from aftercare.repairs.events import Action, work_order_event
from aftercare.repairs.models import PartLine, Quote, Visit, WorkOrder
from aftercare.repairs.stages import CLOSED_STAGES, INSTALLED_STAGES, Stage
from aftercare.tickets.models import TicketEvent
from aftercare.warranty.services.units import unit_installation_set


def lock(work_order: WorkOrder) -> WorkOrder:
    """The work order read again under a row lock, with what its events name."""
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("ticket", "unit", "technician", "organization")
        .get(pk=work_order.pk)
    )


def check_open(work_order: WorkOrder) -> None:
    """A closed or cancelled work order takes no more work."""
    if work_order.stage in CLOSED_STAGES:
        raise ApplicationError(
            _("This work order is closed or cancelled: it takes no more work."), field="stage"
        )


def technician_check(organization: Organization, user: User | None, *, field: str) -> None:
    """`user` is an active technician of the organization (or no one)."""
    if user is None:
        return
    is_technician = Membership.objects.filter(
        organization=organization, user=user, is_active=True, role=Membership.Role.TECHNICIAN
    ).exists()
    if not is_technician:
        raise ApplicationError(_("No such technician in this organization."), field=field)


def worker_check(organization: Organization, user: User, *, field: str) -> None:
    """`user` is an active member of the organization who works requests (not a viewer)."""
    is_worker = (
        Membership.objects.filter(organization=organization, user=user, is_active=True)
        .exclude(role=Membership.Role.VIEWER)
        .exists()
    )
    if not is_worker:
        raise ApplicationError(_("No such member in this organization."), field=field)


def location_check(organization: Organization, location: StockLocation | None, *, field: str):
    """`location` is an active stock location of the organization (or none)."""
    if location is None:
        return
    if location.organization_id != organization.pk or not location.is_active:
        raise ApplicationError(_("No such stock location."), field=field)


def fault_check(work_order_unit, organization: Organization, fault: FaultCode | None, *, field):
    """`fault` is an active fault code of the organization that applies to the unit's model."""
    if fault is None:
        return
    if fault.organization_id != organization.pk or not fault.is_active:
        raise ApplicationError(_("No such fault code."), field=field)
    if work_order_unit is None:
        return
    models = FaultCode.product_models.through.objects.filter(faultcode_id=fault.pk)
    if models.exists() and not models.filter(productmodel_id=work_order_unit.product_model_id):
        raise ApplicationError(_("This fault code is not one of the unit's model."), field=field)


def part_check(work_order: WorkOrder, part: SparePart, *, field: str) -> None:
    """`part` is an active spare part of the organization that fits the unit's model."""
    if part.organization_id != work_order.organization_id or not part.is_active:
        raise ApplicationError(_("No such spare part."), field=field)
    if work_order.unit_id is None:
        return
    fits = SparePart.compatible_models.through.objects.filter(sparepart_id=part.pk)
    if fits.exists() and not fits.filter(productmodel_id=work_order.unit.product_model_id):
        raise ApplicationError(_("This part does not fit the unit's model."), field=field)


def van_of(organization: Organization, technician: User | None) -> StockLocation | None:
    """The technician's van, if they have an active one."""
    if technician is None:
        return None
    return (
        StockLocation.objects.filter(
            organization=organization,
            kind=StockLocation.Kind.VAN,
            holder=technician,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


def release_line(line: PartLine, actor: User | None) -> PartLine:
    """Let a reserved or waiting part go: its reservation back to free stock."""
    if line.status == PartLine.Status.RESERVED and line.reservation_id is not None:
        reservation_release(reservation=line.reservation, actor=actor)
    line.status = PartLine.Status.RELEASED
    line.save(update_fields=["status"])
    return line


def part_data(line: PartLine) -> dict:
    """What a part's event says of it."""
    return {
        "part_line_id": line.pk,
        "part": f"{line.part.sku} {line.part.name}",
        "quantity": line.quantity,
        "location": line.location.name,
    }


def release_open_parts(work_order: WorkOrder, actor: User | None) -> int:
    """Let go of every part the work order still holds or waits for. Returns how many."""
    lines = list(
        PartLine.objects.filter(
            work_order=work_order,
            status__in=[PartLine.Status.RESERVED, PartLine.Status.WAITING],
        )
        .select_related("reservation", "part", "location")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for line in lines:
        release_line(line, actor)
        work_order_event(
            work_order=work_order, actor=actor, action=Action.PART_RELEASED, **part_data(line)
        )
    return len(lines)


def withdraw_open_quote(work_order: WorkOrder, actor: User | None) -> Quote | None:
    """Withdraw the quote waiting for the customer, if there is one."""
    quote = (
        Quote.objects.select_for_update()
        .filter(work_order=work_order, status=Quote.Status.SENT)
        .order_by("-created_at", "-id")
        .first()
    )
    if quote is None:
        return None
    Quote.objects.filter(work_order=work_order, status=Quote.Status.SENT).update(
        status=Quote.Status.WITHDRAWN, decided_at=timezone.now()
    )
    quote.status = Quote.Status.WITHDRAWN
    work_order_event(
        work_order=work_order, actor=actor, action=Action.QUOTE_WITHDRAWN, quote_id=quote.pk
    )
    return quote


def installation_set(work_order: WorkOrder, actor: User | None) -> None:
    """An installation work order done: the unit's installation date is today, set once per
    work order (by the first of a visit done, delivery or closing)."""
    if work_order.kind != WorkOrder.Kind.INSTALLATION or work_order.unit_id is None:
        return
    already = TicketEvent.objects.filter(
        ticket_id=work_order.ticket_id,
        kind=TicketEvent.Kind.WORK,
        data__action=Action.INSTALLED,
        data__work_order_id=work_order.pk,
    ).exists()
    if already:
        return
    on = work_order.organization.today()
    unit_installation_set(unit=work_order.unit, on=on, actor=actor)
    work_order_event(
        work_order=work_order, actor=actor, action=Action.INSTALLED, date=on.isoformat()
    )


def cancel_visits(work_order: WorkOrder, actor: User | None) -> None:
    """The visits still to come of a work order that stops are cancelled."""
    coming = list(
        Visit.objects.filter(
            work_order=work_order,
            status__in=[Visit.Status.SCHEDULED, Visit.Status.ON_THE_WAY],
        ).order_by("pk")
    )
    for visit in coming:
        visit.status = Visit.Status.CANCELLED
        visit.save(update_fields=["status"])
        work_order_event(
            work_order=work_order,
            actor=actor,
            action=Action.VISIT_STATUS,
            visit_id=visit.pk,
            status=visit.status,
        )


def move(work_order: WorkOrder, stage: str, actor: User | None, *, note: str = "") -> WorkOrder:
    """Move a (locked) work order to `stage` and record it; what the new stage implies follows:
    a closed or cancelled one lets go of its parts (and a cancelled one of its visits), an
    installation delivered or closed sets the unit's installation date."""
    previous = work_order.stage
    now = timezone.now()
    work_order.stage = stage
    work_order.stage_changed_at = now
    work_order.is_open = stage not in CLOSED_STAGES
    work_order.closed_at = now if stage in CLOSED_STAGES else None
    work_order.save(
        update_fields=["stage", "stage_changed_at", "is_open", "closed_at", "updated_at"]
    )
    data = {"from": previous, "to": stage}
    if note:
        data["note"] = note
    work_order_event(work_order=work_order, actor=actor, action=Action.STAGE, **data)
    if stage in CLOSED_STAGES:
        release_open_parts(work_order, actor)
    if stage == Stage.CANCELLED:
        cancel_visits(work_order, actor)
    if stage in INSTALLED_STAGES:
        installation_set(work_order, actor)
    return work_order

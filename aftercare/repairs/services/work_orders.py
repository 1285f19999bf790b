"""Every write to a work order itself: opening it (coverage and billing), its stage, diagnosis,
technician, billing and warranty claim decisions, and the labour logged on it."""

from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.catalog.models import FaultCode
from aftercare.inventory.models import StockLocation
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text
from aftercare.repairs.events import Action, work_order_event
from aftercare.repairs.models import LabourEntry, PartLine, WorkOrder
from aftercare.repairs.services.common import (
    check_open,
    fault_check,
    location_check,
    lock,
    move,
    technician_check,
    withdraw_open_quote,
    worker_check,
)
from aftercare.repairs.services.settings import repair_settings_get, work_order_number_next
from aftercare.repairs.stages import MOVES, Stage
from aftercare.tickets.models import Ticket
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.models import Unit, WarrantyClaim
from aftercare.warranty.services.claims import claim_approve, claim_open, claim_reject

Billing = WorkOrder.Billing

DIAGNOSIS_MAX = 10_000
NOTE_MAX = 500
LABOUR_MINUTES_MAX = 7 * 24 * 60


def _fault_name(fault: FaultCode | None) -> str:
    return f"{fault.code} {fault.name}" if fault is not None else ""


def work_order_open(
    *,
    ticket: Ticket,
    kind: str,
    actor: User | None,
    unit: Unit | None = None,
    technician: User | None = None,
    stock_location: StockLocation | None = None,
    reported_fault: FaultCode | None = None,
) -> WorkOrder:
    """Open a work order on a request (on its unit unless another is named). Its billing comes
    from the unit's coverage today for the reported fault: a covered repair is billed to the
    warranty, and a warranty claim is made for it; anything else to the customer."""
    organization = ticket.organization
    if kind not in WorkOrder.Kind.values:
        raise ApplicationError(_("Unknown kind of work order."), field="kind")
    if not ticket.is_open:
        raise ApplicationError(
            _("This request is closed: open a new request for new work."), field="ticket_id"
        )
    if unit is None and ticket.unit_id is not None:
        unit = ticket.unit
    if unit is not None and unit.organization_id != organization.pk:
        raise ApplicationError(_("No such unit."), field="unit_id")
    if kind == WorkOrder.Kind.INSTALLATION and unit is None:
        raise ApplicationError(
            _("An installation is of a registered unit: choose the unit."), field="unit_id"
        )
    technician_check(organization, technician, field="technician_id")
    location_check(organization, stock_location, field="stock_location_id")
    fault_check(unit, organization, reported_fault, field="reported_fault_id")
    on = organization.today()
    coverage = (
        coverage_check(unit=unit, on=on, fault_code=reported_fault) if unit is not None else None
    )
    covered = coverage is not None and coverage.covered
    with transaction.atomic():
        work_order = WorkOrder.objects.create(
            organization=organization,
            number=work_order_number_next(organization=organization),
            ticket=ticket,
            unit=unit,
            kind=kind,
            billing=Billing.WARRANTY if covered else Billing.CUSTOMER,
            coverage=coverage.as_dict() if coverage is not None else {},
            technician=technician,
            stock_location=stock_location,
            reported_fault=reported_fault,
            created_by=actor,
        )
        work_order_event(
            work_order=work_order,
            actor=actor,
            action=Action.OPENED,
            kind=kind,
            billing=work_order.billing,
            technician=technician.display_name if technician else "",
        )
        if covered:
            claim = claim_open(
                unit=unit,
                ticket_id=ticket.pk,
                fault_code=reported_fault,
                fault_on=on,
                actor=actor,
            )
            work_order.claim = claim
            work_order.save(update_fields=["claim", "updated_at"])
            work_order_event(
                work_order=work_order,
                actor=actor,
                action=Action.CLAIM_OPENED,
                claim_id=claim.pk,
                covered_by=claim.covered_by,
            )
    return work_order


@transaction.atomic
def work_order_stage_set(
    *, work_order: WorkOrder, stage: str, actor: User | None, note: str = ""
) -> WorkOrder:
    """Move a work order to another stage along the moves a person makes (see `stages`).
    Leaving "waiting for approval" withdraws the quote; closing or cancelling lets go of the
    parts still reserved; a part still waiting for stock keeps it from being ready."""
    if stage not in Stage.values:
        raise ApplicationError(_("Unknown stage."), field="stage")
    note = clean_text(note, field="note", required=False, max_length=NOTE_MAX)
    work_order = lock(work_order)
    if stage not in MOVES[work_order.stage]:
        raise ApplicationError(
            _("A work order cannot move from %(from)s to %(to)s.")
            % {"from": Stage(work_order.stage).label, "to": Stage(stage).label},
            field="stage",
            code="transition",
        )
    waiting = PartLine.objects.filter(work_order=work_order, status=PartLine.Status.WAITING)
    if stage == Stage.READY and waiting.exists():
        raise ApplicationError(
            _("A part still waits for stock: fit it or let it go first."), field="stage"
        )
    if work_order.stage == Stage.AWAITING_APPROVAL:
        withdraw_open_quote(work_order, actor)
    return move(work_order, stage, actor, note=note)


@transaction.atomic
def work_order_diagnose(
    *,
    work_order: WorkOrder,
    diagnosis: str,
    root_cause: FaultCode | None = None,
    actor: User | None,
) -> WorkOrder:
    """Record what is wrong and its coded root cause (a fault code of the unit's model, for
    analysis). A work order just received moves to diagnosing."""
    diagnosis = clean_text(diagnosis, field="diagnosis", required=True, max_length=DIAGNOSIS_MAX)
    work_order = lock(work_order)
    check_open(work_order)
    fault_check(work_order.unit, work_order.organization, root_cause, field="root_cause_id")
    work_order.diagnosis = diagnosis
    work_order.root_cause = root_cause
    work_order.save(update_fields=["diagnosis", "root_cause", "updated_at"])
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.DIAGNOSED,
        diagnosis=diagnosis[:500],
        root_cause=_fault_name(root_cause),
    )
    if work_order.stage == Stage.RECEIVED:
        move(work_order, Stage.DIAGNOSING, actor)
    return work_order


@transaction.atomic
def work_order_work_done_set(*, work_order: WorkOrder, work_done: str, actor: User | None):
    """What was done, as the repair receipt tells the customer."""
    work_done = clean_text(work_done, field="work_done", required=False, max_length=DIAGNOSIS_MAX)
    work_order = lock(work_order)
    check_open(work_order)
    work_order.work_done = work_done
    work_order.save(update_fields=["work_done", "updated_at"])
    return work_order


@transaction.atomic
def work_order_assign(
    *, work_order: WorkOrder, technician: User | None, actor: User | None
) -> WorkOrder:
    """Give the work order to a technician of the organization, or to no one."""
    work_order = lock(work_order)
    technician_check(work_order.organization, technician, field="technician_id")
    check_open(work_order)
    if work_order.technician_id == (technician.pk if technician else None):
        return work_order
    work_order.technician = technician
    work_order.save(update_fields=["technician", "updated_at"])
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.TECHNICIAN,
        technician=technician.display_name if technician else "",
    )
    return work_order


@transaction.atomic
def work_order_billing_set(*, work_order: WorkOrder, billing: str, actor: User | None):
    """Bill the work to the customer, or grant it as goodwill (a manager's decision; the
    warranty pays only through its claim). Work no longer billed to the customer has no quote
    waiting: it is withdrawn, and a work order waiting for approval goes back to diagnosing."""
    if billing not in (Billing.CUSTOMER, Billing.GOODWILL):
        raise ApplicationError(
            _("Choose the customer or goodwill: the warranty pays through its claim."),
            field="billing",
        )
    work_order = lock(work_order)
    check_open(work_order)
    previous = work_order.billing
    if previous == billing:
        return work_order
    work_order.billing = billing
    work_order.save(update_fields=["billing", "updated_at"])
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.BILLING,
        **{"from": previous, "to": billing},
    )
    if billing != Billing.CUSTOMER:
        withdraw_open_quote(work_order, actor)
        if work_order.stage == Stage.AWAITING_APPROVAL:
            move(work_order, Stage.DIAGNOSING, actor)
    return work_order


def _pending_claim(work_order: WorkOrder) -> WarrantyClaim:
    claim = work_order.claim
    if claim is None:
        raise ApplicationError(_("This work order has no warranty claim."), field="claim")
    if claim.status != WarrantyClaim.Status.PENDING:
        raise ApplicationError(_("This warranty claim was already decided."), field="claim")
    return claim


def _claim_refusal(error: ApplicationError) -> ApplicationError:
    """The warranty's refusal (decided meanwhile, nothing covers the fault any more) is about
    the work order's claim; a bad reason stays the reason's."""
    if error.field is not None:
        return error
    return ApplicationError(error.message, field="claim", code=error.code)


@transaction.atomic
def work_order_claim_approve(*, work_order: WorkOrder, actor: User) -> WorkOrder:
    """Approve the work order's warranty claim: the warranty pays (a manager's decision). The
    warranty's decision brings the work order along (`work_order_claim_decided`)."""
    try:
        claim_approve(claim=_pending_claim(work_order), actor=actor)
    except ApplicationError as error:
        raise _claim_refusal(error) from None
    return WorkOrder.objects.select_related("claim").get(pk=work_order.pk)


@transaction.atomic
def work_order_claim_reject(*, work_order: WorkOrder, reason: str, actor: User) -> WorkOrder:
    """Reject the work order's warranty claim with a reason the customer reads: the customer
    pays from now on (a quote follows). The warranty's decision brings the work order along
    (`work_order_claim_decided`)."""
    reason = clean_text(reason, field="reason", required=True, max_length=1000)
    try:
        claim_reject(claim=_pending_claim(work_order), reason=reason, actor=actor)
    except ApplicationError as error:
        raise _claim_refusal(error) from None
    return WorkOrder.objects.select_related("claim").get(pk=work_order.pk)


def work_order_claim_decided(*, claim: WarrantyClaim, actor: User | None) -> None:
    """The work order that carries a warranty claim follows its decision, however it was taken
    (the work order's page or API, the warranty API): approved, the warranty pays; rejected,
    work billed to the warranty is billed to the customer. One event on the request's timeline
    tells the decision and the billing it brought. Connected to `warranty.hooks.claim_decided`
    by `RepairsConfig.ready()`; runs in the decision's transaction, after the claim's lock."""
    work_order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("ticket", "unit", "technician", "organization")
        .filter(claim_id=claim.pk)
        .first()
    )
    if work_order is None:
        return  # a claim made through the API on no work order
    work_order.claim = claim
    previous = work_order.billing
    data: dict = {"claim_id": claim.pk}
    if claim.status == WarrantyClaim.Status.APPROVED:
        action, billing = Action.CLAIM_APPROVED, Billing.WARRANTY
    else:
        action = Action.CLAIM_REJECTED
        billing = Billing.CUSTOMER if previous == Billing.WARRANTY else previous
        data["reason"] = claim.rejection_reason
    if billing != previous:
        work_order.billing = billing
        work_order.save(update_fields=["billing", "updated_at"])
        data.update(billing_from=previous, billing_to=billing)
    work_order_event(work_order=work_order, actor=actor, action=action, **data)
    if previous == Billing.CUSTOMER and billing != Billing.CUSTOMER:
        # The customer no longer pays: the quote waiting for them goes, as when a manager
        # changes the billing.
        withdraw_open_quote(work_order, actor)
        if work_order.stage == Stage.AWAITING_APPROVAL:
            move(work_order, Stage.DIAGNOSING, actor)


@transaction.atomic
def labour_add(
    *,
    work_order: WorkOrder,
    minutes: int,
    description: str,
    actor: User,
    technician: User | None = None,
) -> LabourEntry:
    """Time spent on a work order (by `technician`, else by the one who logs it), at the
    organization's labour rate of the moment."""
    valid = isinstance(minutes, int) and not isinstance(minutes, bool)
    if not valid or not 1 <= minutes <= LABOUR_MINUTES_MAX:
        raise ApplicationError(
            _("Enter from 1 to %(max)s minutes.") % {"max": LABOUR_MINUTES_MAX}, field="minutes"
        )
    description = clean_text(description, field="description", required=True, max_length=500)
    worker = technician or actor
    worker_check(work_order.organization, worker, field="technician_id")
    work_order = lock(work_order)
    check_open(work_order)
    rate = repair_settings_get(organization=work_order.organization).labour_rate
    entry = LabourEntry.objects.create(
        organization_id=work_order.organization_id,
        work_order=work_order,
        technician=worker,
        minutes=minutes,
        description=description,
        rate=rate,
    )
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.LABOUR,
        labour_id=entry.pk,
        minutes=minutes,
        description=description,
        technician=worker.display_name,
    )
    return entry

"""Every write to warranty claims: opening one on a request, and the decision on it."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.catalog.models import FaultCode
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.hooks import claim_decided
from aftercare.warranty.models import Unit, WarrantyClaim

REJECTION_REASON_MAX = 2000
_ID_MAX = 2**63 - 1


def _check_ticket_id(ticket_id) -> int | None:
    if ticket_id is None:
        return None
    valid = isinstance(ticket_id, int) and not isinstance(ticket_id, bool)
    if not valid or not 1 <= ticket_id <= _ID_MAX:
        raise ApplicationError(_("No such request."), field="ticket_id")
    return ticket_id


def _locked_pending(claim: WarrantyClaim) -> WarrantyClaim:
    claim = (
        WarrantyClaim.objects.select_for_update(of=("self",))
        .select_related("unit__product_model__warranty_policy", "unit__organization", "fault_code")
        .get(pk=claim.pk)
    )
    if claim.status != WarrantyClaim.Status.PENDING:
        raise ApplicationError(_("This claim was already decided."), code="already_decided")
    return claim


@transaction.atomic
def claim_open(
    *,
    unit: Unit,
    ticket_id: int | None,
    fault_code: FaultCode | None = None,
    fault_on: datetime.date,
    actor: User | None = None,
) -> WarrantyClaim:
    """Ask the warranty to pay for repairing `unit`'s fault of day `fault_on`, on request
    `ticket_id`; the claim records what the coverage check found then, and waits for a
    decision."""
    ticket_id = _check_ticket_id(ticket_id)
    if fault_code is not None and fault_code.organization_id != unit.organization_id:
        raise ApplicationError(_("No such fault code."), field="fault_code_id")
    if isinstance(fault_on, datetime.datetime) or not isinstance(fault_on, datetime.date):
        raise ApplicationError(
            _("Enter the date as YYYY-MM-DD, e.g. 2024-08-10."), field="fault_on"
        )
    if fault_on > unit.organization.today():
        raise ApplicationError(_("The fault date is in the future."), field="fault_on")
    coverage = coverage_check(unit=unit, on=fault_on, fault_code=fault_code)
    return WarrantyClaim.objects.create(
        organization_id=unit.organization_id,
        unit=unit,
        ticket_id=ticket_id,
        fault_code=fault_code,
        fault_on=fault_on,
        covered_by=coverage.by,
        contract=coverage.contract,
    )


@transaction.atomic
def claim_approve(*, claim: WarrantyClaim, actor: User | None) -> WarrantyClaim:
    """Approve a pending claim: the warranty pays. The coverage is checked again (goodwill may
    have been granted since it was opened); a claim nothing covers cannot be approved. The
    apps above follow through `hooks.claim_decided`, in this transaction."""
    claim = _locked_pending(claim)
    coverage = coverage_check(unit=claim.unit, on=claim.fault_on, fault_code=claim.fault_code)
    if not coverage.covered:
        raise ApplicationError(
            _("Nothing covers this fault on that day: grant goodwill first, or reject the claim."),
            code="not_covered",
        )
    claim.status = WarrantyClaim.Status.APPROVED
    claim.covered_by = coverage.by
    claim.contract = coverage.contract
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.save(update_fields=["status", "covered_by", "contract", "decided_at", "decided_by"])
    claim_decided.fire(claim=claim, actor=actor)
    return claim


@transaction.atomic
def claim_reject(*, claim: WarrantyClaim, reason: str, actor: User | None) -> WarrantyClaim:
    """Reject a pending claim with a reason the customer is shown; the apps above follow
    through `hooks.claim_decided`, in this transaction."""
    reason = clean_text(reason, field="reason", required=True, max_length=REJECTION_REASON_MAX)
    claim = _locked_pending(claim)
    claim.status = WarrantyClaim.Status.REJECTED
    claim.rejection_reason = reason
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
    claim_decided.fire(claim=claim, actor=actor)
    return claim

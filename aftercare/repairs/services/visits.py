"""On-site visits of a work order: a technician, the customer's address, a time window; and
how each went."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text
from aftercare.repairs.events import Action, work_order_event
from aftercare.repairs.models import Visit, WorkOrder
from aftercare.repairs.services.common import (
    check_open,
    installation_set,
    lock,
    technician_check,
)

VISIT_WINDOW_MAX = datetime.timedelta(days=2)

# How a visit may go on from each status; the last three are final.
VISIT_MOVES: dict[str, frozenset[str]] = {
    Visit.Status.SCHEDULED: frozenset(
        {Visit.Status.ON_THE_WAY, Visit.Status.DONE, Visit.Status.MISSED, Visit.Status.CANCELLED}
    ),
    Visit.Status.ON_THE_WAY: frozenset(
        {Visit.Status.DONE, Visit.Status.MISSED, Visit.Status.CANCELLED}
    ),
    Visit.Status.DONE: frozenset(),
    Visit.Status.MISSED: frozenset(),
    Visit.Status.CANCELLED: frozenset(),
}


def visit_next_statuses(status: str) -> list[str]:
    """The statuses a visit may go to from `status`, in the statuses' order."""
    allowed = VISIT_MOVES.get(status, frozenset())
    return [value for value in Visit.Status.values if value in allowed]


@transaction.atomic
def visit_schedule(
    *,
    work_order: WorkOrder,
    technician: User,
    window_start: datetime.datetime,
    window_end: datetime.datetime,
    address: str,
    actor: User | None,
    note: str = "",
) -> Visit:
    """Plan a technician's visit to the customer within a time window (the customer sees it).
    A work order nobody works yet is given to that technician."""
    if technician is None:
        raise ApplicationError(_("Choose the technician."), field="technician_id")
    technician_check(work_order.organization, technician, field="technician_id")
    for name, value in (("window_start", window_start), ("window_end", window_end)):
        if not isinstance(value, datetime.datetime):
            raise ApplicationError(_("Enter a date and time."), field=name)
        if timezone.is_naive(value):
            raise ApplicationError(
                _("Give the time with its offset, e.g. 2026-05-03T09:00:00+03:30."), field=name
            )
    if window_end <= window_start:
        raise ApplicationError(_("The window must end after it starts."), field="window_end")
    if window_end - window_start > VISIT_WINDOW_MAX:
        raise ApplicationError(_("A visit's window is two days at most."), field="window_end")
    address = clean_text(address, field="address", required=True, max_length=1000)
    note = clean_text(note, field="note", required=False, max_length=1000)
    work_order = lock(work_order)
    check_open(work_order)
    visit = Visit.objects.create(
        organization_id=work_order.organization_id,
        work_order=work_order,
        technician=technician,
        address=address,
        window_start=window_start,
        window_end=window_end,
        note=note,
    )
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.VISIT_SCHEDULED,
        visit_id=visit.pk,
        technician=technician.display_name,
        start=window_start.isoformat(),
        end=window_end.isoformat(),
        address=address,
    )
    if work_order.technician_id is None:
        work_order.technician = technician
        work_order.save(update_fields=["technician", "updated_at"])
        work_order_event(
            work_order=work_order,
            actor=actor,
            action=Action.TECHNICIAN,
            technician=technician.display_name,
        )
    return visit


@transaction.atomic
def visit_status_set(*, visit: Visit, status: str, actor: User | None, note: str = "") -> Visit:
    """How a visit goes: the technician is on the way, it is done, the customer was not there,
    or it is cancelled. A visit done for an installation sets the unit's installation date."""
    if status not in Visit.Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    note = clean_text(note, field="note", required=False, max_length=1000)
    work_order = lock(visit.work_order)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if status not in VISIT_MOVES[visit.status]:
        raise ApplicationError(
            _("A visit cannot go from %(from)s to %(to)s.")
            % {"from": Visit.Status(visit.status).label, "to": Visit.Status(status).label},
            field="status",
            code="transition",
        )
    visit.status = status
    fields = ["status"]
    if note:
        visit.note = f"{visit.note}\n{note}".strip() if visit.note else note
        fields.append("note")
    visit.save(update_fields=fields)
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.VISIT_STATUS,
        visit_id=visit.pk,
        status=status,
    )
    if status == Visit.Status.DONE:
        installation_set(work_order, actor)
    return visit

"""API v1: a technician's visits to the customer for a work order."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import WRITE, BodySchema, Id, IsoDateTime, Text, UserRefOut, responses
from aftercare.repairs.api.common import work_order_or_404
from aftercare.repairs.models import Visit
from aftercare.repairs.selectors import technician_for_input, visit_get
from aftercare.repairs.services import visit_schedule, visit_status_set

# Mounted under the work orders' router, whose tags it takes (see the package's __init__).
visits_router = Router()

VisitStatusName = Literal[tuple(Visit.Status.values)]


class VisitOut(Schema):
    """A technician's visit to the customer."""

    id: int
    technician: UserRefOut
    address: str
    window_start: datetime.datetime
    window_end: datetime.datetime
    status: str = Field(description="scheduled, on_the_way, done, missed or cancelled.")
    note: str


class VisitIn(BodySchema):
    """A technician's visit within a time window (with an offset: 2026-05-03T09:00:00+03:30)."""

    technician_id: Id
    window_start: IsoDateTime
    window_end: IsoDateTime
    address: Text(1000, min_length=1)
    note: Text(1000) = ""


class VisitStatusIn(BodySchema):
    """How the visit went."""

    status: VisitStatusName
    note: Text(1000) = ""


@visits_router.post(
    "/{work_order_id}/visits",
    response=responses({201: VisitOut}, WRITE),
    summary="Schedule a visit",
)
def work_order_visit_schedule_api(request: HttpRequest, work_order_id: Id, payload: VisitIn):
    """Plan a technician's visit to the customer (the customer sees it in the portal)."""
    work_order = work_order_or_404(request, work_order_id)
    visit = visit_schedule(
        work_order=work_order,
        technician=technician_for_input(
            organization=request.organization, user_id=payload.technician_id
        ),
        window_start=payload.window_start,
        window_end=payload.window_end,
        address=payload.address,
        note=payload.note,
        actor=request.user,
    )
    return Answer(201, visit_get(work_order=work_order, visit_id=visit.pk))


@visits_router.post(
    "/{work_order_id}/visits/{visit_id}/status",
    response=responses({200: VisitOut}, WRITE),
    summary="Update a visit",
)
def work_order_visit_status_api(
    request: HttpRequest, work_order_id: Id, visit_id: Id, payload: VisitStatusIn
):
    """How the visit went: on_the_way, done, missed or cancelled. A visit done for an
    installation sets the unit's installation date."""
    work_order = work_order_or_404(request, work_order_id)
    visit = visit_get(work_order=work_order, visit_id=visit_id)
    visit_status_set(visit=visit, status=payload.status, actor=request.user, note=payload.note)
    return visit_get(work_order=work_order, visit_id=visit.pk)

"""API v1: the SLA at a glance."""

import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from aftercare.api.schemas import (
    LIST,
    responses,
)
from aftercare.tickets.escalation.selectors import sla_summary

sla_router = Router(tags=["sla"])


class TeamSlaOut(Schema):
    """One team's open requests at risk or breached, and breaches in the period."""

    team_id: int | None
    team_name: str
    open_count: int
    at_risk: int
    breached: int
    breaches_in_period: int


class SlaSummaryOut(Schema):
    """The organization's SLA now, and breaches recorded since `since`, by team."""

    since: datetime.datetime
    open_count: int
    at_risk: int
    breached: int
    paused: int
    breaches_in_period: int
    warnings_in_period: int
    teams: list[TeamSlaOut]


class SlaSummaryQuery(Schema):
    """The period breaches are counted over."""

    days: Annotated[int, Field(ge=1, le=366)] = 7


@sla_router.get("/summary", response=responses({200: SlaSummaryOut}, LIST), summary="SLA summary")
def sla_summary_api(request: HttpRequest, filters: Query[SlaSummaryQuery]):
    """Open requests by SLA state and breaches in the last `days`, overall and by team."""
    since = timezone.now() - datetime.timedelta(days=filters.days)
    return sla_summary(organization=request.organization, since=since)

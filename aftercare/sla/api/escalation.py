"""API v1: escalation rules: what happens, at which level, when a request is at risk or
breaches its SLA."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.selectors import member_get, team_for_input
from aftercare.api.fields import api_field_names
from aftercare.api.schemas import (
    AUTH,
    CREATE,
    READ,
    WRITE,
    BodySchema,
    Id,
    PriorityValue,
    RefOut,
    Text,
    UserRefOut,
    responses,
)
from aftercare.sla.models import EscalationRule, Metric
from aftercare.sla.selectors import (
    escalation_rule_get,
    escalation_rule_list,
    sla_policies_for_input,
)
from aftercare.sla.services import escalation_rule_create, escalation_rule_update

escalation_router = Router(tags=["sla"])

ThresholdName = Literal[tuple(EscalationRule.Threshold.values)]
MetricOrAny = Literal[("", *Metric.values)]
DelayMinutes = Annotated[int, Field(ge=0, le=30 * 24 * 60)]
Level = Annotated[int, Field(ge=1, le=9)]


class EscalationRuleOut(Schema):
    """What happens at a warning or breach, at one level, and how long after it."""

    id: int
    name: str
    level: int
    is_active: bool
    metric: str = Field(description="'' for any target, or the one target it watches.")
    threshold: str
    delay_minutes: int
    policy_ids: list[int] = Field(description="Empty: every policy.")
    notify_supervisors: bool
    notify_assignee: bool
    notify_user: UserRefOut | None
    reassign_team: RefOut | None
    raise_priority_to: int | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_policy_ids(obj) -> list[int]:
        return [policy.pk for policy in obj.policies.all()]


class EscalationRuleIn(BodySchema):
    """A new escalation rule; choose at least one action."""

    name: Text(100, min_length=1)
    threshold: ThresholdName
    metric: MetricOrAny = ""
    delay_minutes: DelayMinutes = 0
    level: Level = 1
    is_active: bool = True
    policy_ids: list[Id] = Field([], max_length=100)
    notify_supervisors: bool = False
    notify_assignee: bool = False
    notify_user_id: Id | None = None
    reassign_team_id: Id | None = None
    raise_priority_to: PriorityValue | None = None


class EscalationRuleUpdateIn(BodySchema):
    """Fields to change; null clears an action."""

    name: Text(100, min_length=1) = None
    threshold: ThresholdName = None
    metric: MetricOrAny = None
    delay_minutes: DelayMinutes = None
    level: Level = None
    is_active: bool = None
    policy_ids: list[Id] = Field(None, max_length=100)
    notify_supervisors: bool = None
    notify_assignee: bool = None
    notify_user_id: Id | None = None
    reassign_team_id: Id | None = None
    raise_priority_to: PriorityValue | None = None


def _rule_arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in an escalation rule body turned into objects of this organization."""
    organization = request.organization
    arguments = dict(data)
    if "policy_ids" in arguments:
        arguments["policies"] = sla_policies_for_input(
            organization=organization, policy_ids=arguments.pop("policy_ids")
        )
    if "notify_user_id" in arguments:
        user_id = arguments.pop("notify_user_id")
        arguments["notify_user"] = (
            None
            if user_id is None
            else member_get(organization=organization, user_id=user_id, field="notify_user_id")
        )
    if "reassign_team_id" in arguments:
        team_id = arguments.pop("reassign_team_id")
        arguments["reassign_team"] = None
        if team_id is not None:
            with api_field_names({"team_id": "reassign_team_id"}):
                arguments["reassign_team"] = team_for_input(
                    organization=organization, team_id=team_id
                )
    return arguments


@escalation_router.get(
    "/", response=responses({200: list[EscalationRuleOut]}, AUTH), summary="List rules"
)
def escalation_rule_list_api(request: HttpRequest):
    """Every escalation rule by level."""
    return escalation_rule_list(organization=request.organization)


@escalation_router.post(
    "/", response=responses({201: EscalationRuleOut}, CREATE), summary="Create a rule"
)
def escalation_rule_create_api(request: HttpRequest, payload: EscalationRuleIn):
    """An escalation rule (managers only)."""
    rule = escalation_rule_create(
        organization=request.organization, **_rule_arguments(request, payload.model_dump())
    )
    return Answer(201, escalation_rule_get(organization=request.organization, rule_id=rule.pk))


@escalation_router.get(
    "/{escalation_rule_id}",
    response=responses({200: EscalationRuleOut}, READ),
    summary="Get a rule",
)
def escalation_rule_get_api(request: HttpRequest, escalation_rule_id: Id):
    """One escalation rule."""
    return escalation_rule_get(organization=request.organization, rule_id=escalation_rule_id)


@escalation_router.patch(
    "/{escalation_rule_id}",
    response=responses({200: EscalationRuleOut}, WRITE),
    summary="Update a rule",
)
def escalation_rule_update_api(
    request: HttpRequest, escalation_rule_id: Id, payload: EscalationRuleUpdateIn
):
    """Change the fields sent; `is_active: false` retires a rule."""
    rule = escalation_rule_get(organization=request.organization, rule_id=escalation_rule_id)
    escalation_rule_update(
        rule=rule, **_rule_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return escalation_rule_get(organization=request.organization, rule_id=escalation_rule_id)

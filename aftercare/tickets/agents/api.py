"""API v1: agents' presence, capacity, skills and load."""

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from aftercare.api.permissions import require_manager
from aftercare.api.schemas import (
    AUTH,
    LANGUAGE_CODES,
    READ,
    WRITE,
    BodySchema,
    Id,
    LanguageCode,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import product_models_for_input
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.agents.selectors import agent_get, agent_list
from aftercare.tickets.agents.services import agent_profile_update

agents_router = Router(tags=["routing"])

PresenceName = Literal[tuple(AgentProfile.Presence.values)]


class AgentOut(Schema):
    """A member of staff as routing sees them."""

    user: UserRefOut
    role: str
    presence: str
    capacity: int | None = Field(description="Most open requests routing gives; null: no limit.")
    languages: list[str] = Field(description="Empty: any language.")
    product_model_ids: list[int] = Field(description="Empty: any product.")
    open_count: int
    team_names: list[str]


class AgentUpdateIn(BodySchema):
    """Presence, capacity and skills to change."""

    presence: PresenceName = None
    capacity: Annotated[int, Field(ge=0, le=10_000)] | None = None
    languages: list[LanguageCode] = Field(None, max_length=len(LANGUAGE_CODES))
    product_model_ids: list[Id] = Field(None, max_length=200)


@agents_router.get("/", response=responses({200: list[AgentOut]}, AUTH), summary="List agents")
def agent_list_api(request: HttpRequest):
    """Staff who work requests, with presence, capacity, skills and open requests."""
    return agent_list(organization=request.organization)


@agents_router.get("/{user_id}", response=responses({200: AgentOut}, READ), summary="Get an agent")
def agent_get_api(request: HttpRequest, user_id: Id):
    """One member of staff as routing sees them."""
    return agent_get(organization=request.organization, user_id=user_id)


@agents_router.patch(
    "/{user_id}", response=responses({200: AgentOut}, WRITE), summary="Update an agent"
)
def agent_update_api(request: HttpRequest, user_id: Id, payload: AgentUpdateIn):
    """Anyone may set their own presence; managers set anyone's presence, capacity and skills."""
    agent = agent_get(organization=request.organization, user_id=user_id)
    data = payload.model_dump(exclude_unset=True)
    # The operation is WRITE in the permission matrix (one's own presence); the rest is MANAGE.
    if user_id != request.auth.pk or not set(data) <= {"presence"}:
        require_manager(request)
    if "product_model_ids" in data:
        data["product_models"] = product_models_for_input(
            organization=request.organization, product_model_ids=data.pop("product_model_ids")
        )
    agent_profile_update(organization=request.organization, user=agent.user, **data)
    return agent_get(organization=request.organization, user_id=user_id)

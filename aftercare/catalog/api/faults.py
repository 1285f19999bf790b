"""API v1: fault codes."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import CREATE, LIST, READ, WRITE, BodySchema, Id, Text, responses
from aftercare.catalog.api.common import CatalogListQuery
from aftercare.catalog.selectors import (
    fault_code_get,
    fault_code_page,
    product_models_for_input,
)
from aftercare.catalog.services import fault_code_create, fault_code_update

faults_router = Router(tags=["catalog"])


class FaultCodeOut(Schema):
    """A coded fault or root cause, and the models it applies to (none: every model)."""

    id: int
    code: str
    name: str
    product_model_ids: list[int]
    is_active: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_product_model_ids(obj) -> list[int]:
        return [product.pk for product in obj.product_models.all()]


class FaultCodePageOut(Schema):
    """One page of fault codes."""

    items: list[FaultCodeOut]
    next_cursor: str | None


class FaultCodeIn(BodySchema):
    """A new fault code; the code is unique inside the organization."""

    code: Text(32, min_length=1)
    name: Text(200, min_length=1)
    product_model_ids: list[Id] = Field(
        [], max_length=500, description="The models it applies to; empty: every model."
    )


class FaultCodeUpdateIn(BodySchema):
    """Fields to change."""

    code: Text(32, min_length=1) = None
    name: Text(200, min_length=1) = None
    product_model_ids: list[Id] = Field(None, max_length=500)
    is_active: bool = None


def _arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The body's ids turned into this organization's product models."""
    arguments = dict(data)
    if "product_model_ids" in arguments:
        arguments["product_models"] = product_models_for_input(
            organization=request.organization,
            product_model_ids=arguments.pop("product_model_ids") or [],
        )
    return arguments


@faults_router.get(
    "/", response=responses({200: FaultCodePageOut}, LIST), summary="List fault codes"
)
def fault_code_list_api(request: HttpRequest, filters: Query[CatalogListQuery]):
    """Fault codes by code; with `search`, best match first: the code typed whole (any case
    and digits), then words of the name, each matching as a prefix."""
    return fault_code_page(
        organization=request.organization,
        search=filters.search,
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@faults_router.post(
    "/", response=responses({201: FaultCodeOut}, CREATE), summary="Create a fault code"
)
def fault_code_create_api(request: HttpRequest, payload: FaultCodeIn):
    """Add a fault code (admins and supervisors only)."""
    fault = fault_code_create(
        organization=request.organization, **_arguments(request, payload.model_dump())
    )
    return Answer(201, fault_code_get(organization=request.organization, fault_code_id=fault.pk))


@faults_router.get(
    "/{fault_code_id}", response=responses({200: FaultCodeOut}, READ), summary="Get a fault code"
)
def fault_code_get_api(request: HttpRequest, fault_code_id: Id):
    """One fault code."""
    return fault_code_get(organization=request.organization, fault_code_id=fault_code_id)


@faults_router.patch(
    "/{fault_code_id}",
    response=responses({200: FaultCodeOut}, WRITE),
    summary="Update a fault code",
)
def fault_code_update_api(request: HttpRequest, fault_code_id: Id, payload: FaultCodeUpdateIn):
    """Change the fields sent; `is_active: false` stops offering the code (admins and
    supervisors only; codes are never deleted)."""
    fault = fault_code_get(organization=request.organization, fault_code_id=fault_code_id)
    fault_code_update(
        fault_code=fault, **_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return fault_code_get(organization=request.organization, fault_code_id=fault_code_id)

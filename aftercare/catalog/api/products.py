"""API v1: product models."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    BodySchema,
    Id,
    PageQuery,
    Text,
    responses,
)
from aftercare.catalog.selectors import (
    product_model_get,
    product_model_page,
    warranty_policy_for_input,
)
from aftercare.catalog.services import product_model_create, product_model_update

router = Router(tags=["catalog"])


class ProductModelOut(Schema):
    """A model the organization sells."""

    id: int
    name: str
    sku: str
    brand: str
    category: str
    warranty_policy_id: int | None
    is_active: bool
    created_at: datetime.datetime


class ProductModelPageOut(Schema):
    """One page of product models."""

    items: list[ProductModelOut]
    next_cursor: str | None


class ProductModelIn(BodySchema):
    """A new product model; the SKU is unique inside the organization."""

    name: Text(200, min_length=1)
    sku: Text(64, min_length=1)
    brand: Text(100) = ""
    category: Text(100) = ""
    warranty_policy_id: Id | None = Field(None, description="Empty: no standard warranty.")


class ProductModelUpdateIn(BodySchema):
    """Fields to change; `warranty_policy_id: null` takes the model's warranty away."""

    name: Text(200, min_length=1) = None
    sku: Text(64, min_length=1) = None
    brand: Text(100) = None
    category: Text(100) = None
    warranty_policy_id: Id | None = None
    is_active: bool = None


class ProductModelListQuery(PageQuery):
    """Filters of the product model list."""

    search: Text(200) = Field(
        "",
        description="Words of the name, brand or category (each word matches as a prefix), "
        "or the SKU in any case and digits, found first.",
    )


def _policy(request: HttpRequest, policy_id: int | None):
    if policy_id is None:
        return None
    return warranty_policy_for_input(
        organization=request.organization, warranty_policy_id=policy_id
    )


def _update_arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    arguments = {key: value for key, value in data.items() if value is not None}
    if "warranty_policy_id" in data:
        arguments.pop("warranty_policy_id", None)
        arguments["warranty_policy"] = _policy(request, data["warranty_policy_id"])
    return arguments


@router.get("/", response=responses({200: ProductModelPageOut}, LIST), summary="List models")
def product_model_list_api(request: HttpRequest, filters: Query[ProductModelListQuery]):
    """Active product models by brand and name; with `search`, best match first."""
    return product_model_page(
        organization=request.organization,
        search=filters.search,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.post("/", response=responses({201: ProductModelOut}, CREATE), summary="Create a model")
def product_model_create_api(request: HttpRequest, payload: ProductModelIn):
    """Add a product model (admins and supervisors only)."""
    product = product_model_create(
        organization=request.organization,
        name=payload.name,
        sku=payload.sku,
        brand=payload.brand,
        category=payload.category,
        warranty_policy=_policy(request, payload.warranty_policy_id),
    )
    return Answer(201, product)


@router.get("/{product_model_id}", response=responses({200: ProductModelOut}, READ))
def product_model_get_api(request: HttpRequest, product_model_id: Id):
    """One product model."""
    return product_model_get(organization=request.organization, product_model_id=product_model_id)


@router.patch(
    "/{product_model_id}",
    response=responses({200: ProductModelOut}, WRITE),
    summary="Update a model",
)
def product_model_update_api(
    request: HttpRequest, product_model_id: Id, payload: ProductModelUpdateIn
):
    """Change the fields sent, the warranty policy or whether the model is offered (admins and
    supervisors only; models are never deleted)."""
    product = product_model_get(
        organization=request.organization, product_model_id=product_model_id
    )
    arguments = _update_arguments(request, payload.model_dump(exclude_unset=True))
    return product_model_update(product_model=product, **arguments)

"""API v1: the product catalog."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.permissions import require_manager
from aftercare.api.schemas import CREATE, LIST, READ, Id, PageQuery, Text, responses
from aftercare.catalog.selectors import product_model_get, product_model_page
from aftercare.catalog.services import product_model_create

router = Router(tags=["catalog"])


class ProductModelOut(Schema):
    """A model the organization sells."""

    id: int
    name: str
    sku: str
    brand: str
    category: str
    is_active: bool
    created_at: datetime.datetime


class ProductModelPageOut(Schema):
    """One page of product models."""

    items: list[ProductModelOut]
    next_cursor: str | None


class ProductModelIn(Schema):
    """A new product model; the SKU is unique inside the organization."""

    name: Text(200, min_length=1)
    sku: Text(64, min_length=1)
    brand: Text(100) = ""
    category: Text(100) = ""


class ProductModelListQuery(PageQuery):
    """Filters of the product model list."""

    search: Text(200) = Field("", description="Part of the name, or the exact SKU.")


@router.get("/", response=responses({200: ProductModelPageOut}, LIST), summary="List models")
def product_model_list_api(request: HttpRequest, filters: Query[ProductModelListQuery]):
    """Active product models by brand and name."""
    return product_model_page(
        organization=request.organization,
        search=filters.search,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.post("/", response=responses({201: ProductModelOut}, CREATE), summary="Create a model")
def product_model_create_api(request: HttpRequest, payload: ProductModelIn):
    """Add a product model (admins and supervisors only)."""
    require_manager(request)
    product = product_model_create(
        organization=request.organization,
        name=payload.name,
        sku=payload.sku,
        brand=payload.brand,
        category=payload.category,
    )
    return Answer(201, product)


@router.get("/{product_model_id}", response=responses({200: ProductModelOut}, READ))
def product_model_get_api(request: HttpRequest, product_model_id: Id):
    """One product model."""
    return product_model_get(organization=request.organization, product_model_id=product_model_id)

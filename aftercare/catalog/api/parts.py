"""API v1: spare parts."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    Amount,
    BodySchema,
    Id,
    LanguageCode,
    Text,
    responses,
)
from aftercare.catalog.api.common import CatalogListQuery
from aftercare.catalog.selectors import (
    product_models_for_input,
    spare_part_get,
    spare_part_page,
)
from aftercare.catalog.services import spare_part_create, spare_part_update
from aftercare.catalog.services.parts import PRICE_MAX

parts_router = Router(tags=["catalog"])


class SparePartOut(Schema):
    """A spare part: SKU, name (and its name in other languages), price, compatible models."""

    id: int
    sku: str
    name: str
    names: dict[str, str]
    price: Decimal
    compatible_model_ids: list[int]
    is_serialised: bool
    is_active: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_compatible_model_ids(obj) -> list[int]:
        return [product.pk for product in obj.compatible_models.all()]


class SparePartPageOut(Schema):
    """One page of spare parts."""

    items: list[SparePartOut]
    next_cursor: str | None


class SparePartIn(BodySchema):
    """A new spare part; the SKU is unique inside the organization."""

    sku: Text(64, min_length=1)
    name: Text(200, min_length=1)
    names: dict[LanguageCode, Text(200)] = Field(
        {}, description='The name in other languages, e.g. {"fa": "..."}; `name` otherwise.'
    )
    price: Amount = Field(Decimal(0), ge=0, le=PRICE_MAX, max_digits=14, decimal_places=2)
    compatible_model_ids: list[Id] = Field([], max_length=500)
    is_serialised: bool = False


class SparePartUpdateIn(BodySchema):
    """Fields to change; `names` replaces every other-language name at once."""

    sku: Text(64, min_length=1) = None
    name: Text(200, min_length=1) = None
    names: dict[LanguageCode, Text(200)] = None
    price: Amount = Field(None, ge=0, le=PRICE_MAX, max_digits=14, decimal_places=2)
    compatible_model_ids: list[Id] = Field(None, max_length=500)
    is_serialised: bool = None
    is_active: bool = None


def _arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The body's ids turned into this organization's product models."""
    arguments = dict(data)
    if "compatible_model_ids" in arguments:
        arguments["compatible_models"] = product_models_for_input(
            organization=request.organization,
            product_model_ids=arguments.pop("compatible_model_ids") or [],
            field="compatible_model_ids",
        )
    return arguments


@parts_router.get(
    "/", response=responses({200: SparePartPageOut}, LIST), summary="List spare parts"
)
def spare_part_list_api(request: HttpRequest, filters: Query[CatalogListQuery]):
    """Spare parts by SKU; with `search`, best match first: the SKU typed whole (any case and
    digits), then words of the name in any language, each matching as a prefix."""
    return spare_part_page(
        organization=request.organization,
        search=filters.search,
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@parts_router.post(
    "/", response=responses({201: SparePartOut}, CREATE), summary="Create a spare part"
)
def spare_part_create_api(request: HttpRequest, payload: SparePartIn):
    """Add a spare part (admins and supervisors only)."""
    part = spare_part_create(
        organization=request.organization, **_arguments(request, payload.model_dump())
    )
    return Answer(201, spare_part_get(organization=request.organization, spare_part_id=part.pk))


@parts_router.get(
    "/{spare_part_id}", response=responses({200: SparePartOut}, READ), summary="Get a spare part"
)
def spare_part_get_api(request: HttpRequest, spare_part_id: Id):
    """One spare part."""
    return spare_part_get(organization=request.organization, spare_part_id=spare_part_id)


@parts_router.patch(
    "/{spare_part_id}",
    response=responses({200: SparePartOut}, WRITE),
    summary="Update a spare part",
)
def spare_part_update_api(request: HttpRequest, spare_part_id: Id, payload: SparePartUpdateIn):
    """Change the fields sent; `is_active: false` stops offering the part (admins and
    supervisors only; parts are never deleted)."""
    part = spare_part_get(organization=request.organization, spare_part_id=spare_part_id)
    spare_part_update(
        spare_part=part, **_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return spare_part_get(organization=request.organization, spare_part_id=spare_part_id)

"""API v1: the organization's repair settings: currency, tax, labour rate, travel fee and how
long a quote holds."""

from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema

from aftercare.api.schemas import AUTH, CREATE, Amount, BodySchema, Text, responses
from aftercare.repairs.services import repair_settings_get, repair_settings_update

repair_settings_router = Router(tags=["repairs"])

Money = Annotated[Amount, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)]


class RepairSettingsOut(Schema):
    """The organization's money for repairs."""

    currency: str
    tax_rate: Decimal = Field(description="Percent.")
    labour_rate: Decimal = Field(description="Per hour.")
    travel_fee: Decimal
    quote_valid_days: int


class RepairSettingsIn(BodySchema):
    """The organization's money for repairs; quotes already sent keep theirs."""

    currency: Text(3, min_length=3)
    tax_rate: Annotated[Amount, Field(ge=0, le=100, decimal_places=2)]
    labour_rate: Money
    travel_fee: Money
    quote_valid_days: Annotated[int, Field(ge=1, le=365)]


@repair_settings_router.get(
    "", response=responses({200: RepairSettingsOut}, AUTH), summary="Get the repair settings"
)
def repair_settings_get_api(request: HttpRequest):
    """Currency, tax rate, labour rate, travel fee and how long a quote holds."""
    return repair_settings_get(organization=request.organization)


@repair_settings_router.put(
    "",
    response=responses({200: RepairSettingsOut}, {**CREATE}),
    summary="Change the repair settings",
)
def repair_settings_update_api(request: HttpRequest, payload: RepairSettingsIn):
    """Change the organization's money for repairs (admins and supervisors)."""
    return repair_settings_update(
        organization=request.organization,
        currency=payload.currency,
        tax_rate=payload.tax_rate,
        labour_rate=payload.labour_rate,
        travel_fee=payload.travel_fee,
        quote_valid_days=payload.quote_valid_days,
    )

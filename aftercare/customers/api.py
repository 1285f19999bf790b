"""API v1: customers and their contact points."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.fields import api_field_names
from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    BodySchema,
    Id,
    Language,
    PageQuery,
    PreferredChannel,
    Text,
    responses,
)
from aftercare.customers.models import Tier
from aftercare.customers.selectors import customer_get, customer_list
from aftercare.customers.services import customer_create, customer_update

router = Router(tags=["customers"])

MAX_CONTACTS = 20
Email = Text(254, min_length=1)
Phone = Text(32, min_length=1)
Handle = Text(64, min_length=1)
TierName = Literal[tuple(Tier.values)]


class ContactPointOut(Schema):
    """One way to reach the customer."""

    kind: str
    value: str
    is_primary: bool


class CustomerOut(Schema):
    """A customer of the organization."""

    id: int
    name: str
    company: str
    preferred_language: str
    preferred_channel: str
    tier: str = Field(description="Service tier: standard, premium or vip; SLA policies match it.")
    notes: str
    contact_points: list[ContactPointOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CustomerPageOut(Schema):
    """One page of customers."""

    items: list[CustomerOut]
    next_cursor: str | None


class CustomerIn(BodySchema):
    """A new customer; phone numbers without a country code are read in the organization's."""

    name: Text(200, min_length=1)
    company: Text(200) = ""
    emails: list[Email] = Field([], max_length=MAX_CONTACTS)
    phones: list[Phone] = Field([], max_length=MAX_CONTACTS)
    telegram: list[Handle] = Field([], max_length=MAX_CONTACTS)
    whatsapp: list[Phone] = Field([], max_length=MAX_CONTACTS)
    preferred_language: Language = ""
    preferred_channel: PreferredChannel = ""
    tier: TierName = Tier.STANDARD.value
    notes: Text(10_000) = ""


class CustomerUpdateIn(BodySchema):
    """Fields to change (null clears one); contact points listed here are added."""

    # Not nullable: a customer always has a name. Absent means unchanged.
    name: Text(200, min_length=1) = None
    company: Text(200) | None = None
    preferred_language: Language | None = None
    preferred_channel: PreferredChannel | None = None
    # Not nullable: a customer always has a tier. Absent means unchanged.
    tier: TierName = None
    notes: Text(10_000) | None = None
    add_emails: list[Email] = Field([], max_length=MAX_CONTACTS)
    add_phones: list[Phone] = Field([], max_length=MAX_CONTACTS)
    add_telegram: list[Handle] = Field([], max_length=MAX_CONTACTS)
    add_whatsapp: list[Phone] = Field([], max_length=MAX_CONTACTS)


class CustomerListQuery(PageQuery):
    """Filters of the customer list."""

    search: Text(200) = Field("", description="Words of the name, company or any contact point.")
    email: Text(254) = Field("", description="Exactly this email address.")
    phone: Text(32) = Field("", description="This phone or WhatsApp number, in any format.")


@router.post("/", response=responses({201: CustomerOut}, CREATE), summary="Create a customer")
def customer_create_api(request: HttpRequest, payload: CustomerIn):
    """Create a customer with their contact points; a contact point another customer owns is 422."""
    with api_field_names({"email": "emails", "phone": "phones"}):
        customer = customer_create(
            organization=request.organization,
            name=payload.name,
            company=payload.company,
            emails=payload.emails,
            phones=payload.phones,
            telegram=payload.telegram,
            whatsapp=payload.whatsapp,
            preferred_language=payload.preferred_language,
            preferred_channel=payload.preferred_channel,
            tier=payload.tier,
            notes=payload.notes,
        )
    return Answer(201, customer_get(organization=request.organization, customer_id=customer.pk))


@router.get("/", response=responses({200: CustomerPageOut}, LIST), summary="List customers")
def customer_list_api(request: HttpRequest, filters: Query[CustomerListQuery]):
    """Customers, most recently changed first; search by name or any contact point."""
    return customer_list(
        organization=request.organization,
        search=filters.search,
        email=filters.email,
        phone=filters.phone,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get("/{customer_id}", response=responses({200: CustomerOut}, READ), summary="Get one")
def customer_get_api(request: HttpRequest, customer_id: Id):
    """One customer with their contact points."""
    return customer_get(organization=request.organization, customer_id=customer_id)


@router.patch("/{customer_id}", response=responses({200: CustomerOut}, WRITE), summary="Update")
def customer_update_api(request: HttpRequest, customer_id: Id, payload: CustomerUpdateIn):
    """Change the fields sent and add the contact points listed; other fields stay as they are."""
    customer = customer_get(organization=request.organization, customer_id=customer_id)
    changes = {
        name: "" if value is None else value
        for name, value in payload.model_dump(exclude_unset=True).items()
    }
    fields = {"email": "add_emails", "phone": "add_phones", "telegram": "add_telegram"}
    with api_field_names({**fields, "whatsapp": "add_whatsapp"}):
        customer_update(customer=customer, **changes)
    return customer_get(organization=request.organization, customer_id=customer_id)

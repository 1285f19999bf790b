"""API v1: obtaining and revoking tokens, and the organization's staff."""

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.selectors import member_list
from aftercare.accounts.services import (
    api_token_obtain,
    api_token_revoke,
    sign_in_attempt_register,
)
from aftercare.api.schemas import AUTH, ErrorOut, Text, responses
from aftercare.lib.ratelimit import client_ip

auth_router = Router(tags=["auth"])
members_router = Router(tags=["members"])


class TokenIn(Schema):
    """Credentials of a staff account."""

    email: Text(254, min_length=1)
    password: Text(1000, min_length=1)
    organization: Text(60) | None = Field(
        None, description="Slug of the organization; needed only when you work in several."
    )


class OrganizationOut(Schema):
    """The organization a token works in."""

    id: int
    slug: str
    name: str


class TokenOut(Schema):
    """A new bearer token: send it as `Authorization: Bearer <token>`. Shown only once."""

    token: str
    organization: OrganizationOut
    expires_at: datetime.datetime | None


class MemberOut(Schema):
    """A member of staff and their role."""

    id: int
    name: str
    email: str
    role: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.user_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Obtain a token",
)
def token_obtain_api(request: HttpRequest, payload: TokenIn):
    """Exchange an email and password for a bearer token in one organization."""
    sign_in_attempt_register(email=payload.email, ip=client_ip(request))
    token, key = api_token_obtain(
        email=payload.email, password=payload.password, organization_slug=payload.organization
    )
    return {"token": key, "organization": token.organization, "expires_at": token.expires_at}


@auth_router.delete("/token", response={204: None, 401: ErrorOut}, summary="Revoke this token")
def token_revoke_api(request: HttpRequest):
    """Revoke the token this request was made with."""
    api_token_revoke(token=request.api_token)
    return Answer(204, None)


@members_router.get("/", response=responses({200: list[MemberOut]}, AUTH), summary="List staff")
def member_list_api(request: HttpRequest):
    """Active staff of the organization with their roles, to resolve assignee ids."""
    return member_list(organization=request.organization)

"""API v1: obtaining and revoking tokens, the organization's staff and their invitations, and
its teams."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.models import Membership, Team
from aftercare.accounts.selectors import (
    member_get,
    member_list,
    membership_get_by_user,
    team_get,
    team_list,
)
from aftercare.accounts.services import (
    api_token_obtain,
    api_token_revoke,
    membership_invitation_resend,
    membership_invite,
    team_create,
    team_update,
)
from aftercare.api.permissions import require_admin, require_manager
from aftercare.api.schemas import AUTH, CREATE, WRITE, BodySchema, ErrorOut, Id, Text, responses
from aftercare.lib.ratelimit import client_ip

auth_router = Router(tags=["auth"])
members_router = Router(tags=["members"])
teams_router = Router(tags=["reference"])

AssignmentName = Literal[tuple(Team.Assignment.values)]
RoleName = Literal[tuple(Membership.Role.values)]


class TokenIn(BodySchema):
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
    token, key = api_token_obtain(
        email=payload.email,
        password=payload.password,
        ip=client_ip(request),
        organization_slug=payload.organization,
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


class MemberInviteIn(BodySchema):
    """Someone to add to the staff by email, with a role."""

    email: Text(254, min_length=1)
    full_name: Text(200) = Field("", description="Used only when this email has no account yet.")
    role: RoleName = Membership.Role.AGENT.value


_MAIL_SENT = (
    "Whether the mail server took the mail: an invitation with a link to choose a password, "
    "or, for someone who already has an account, a notice that they were added. When false, "
    "resend the invitation later."
)


class MemberInvitedOut(Schema):
    """The new member, and whether they were told by mail."""

    id: int
    name: str
    email: str
    role: str
    mail_sent: bool = Field(description=_MAIL_SENT)


class InvitationOut(Schema):
    """Whether the invitation was mailed again."""

    mail_sent: bool = Field(description=_MAIL_SENT)


@members_router.post(
    "/", response=responses({201: MemberInvitedOut}, CREATE), summary="Invite a member"
)
def member_invite_api(request: HttpRequest, payload: MemberInviteIn):
    """Add someone to the staff (admins only) and mail them once it is saved: someone new gets
    an invitation to choose a password."""
    require_admin(request)
    invitation = membership_invite(
        organization=request.organization,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        invited_by=request.user,
    )
    member = invitation.membership
    return Answer(
        201,
        {
            "id": member.user_id,
            "name": member.user.display_name,
            "email": member.user.email,
            "role": member.role,
            "mail_sent": bool(invitation.mail.sent),
        },
    )


@members_router.post(
    "/{user_id}/invitation",
    response=responses({200: InvitationOut}, {**WRITE, 429: ErrorOut}),
    summary="Resend an invitation",
)
def member_invitation_resend_api(request: HttpRequest, user_id: Id):
    """Mail a new invitation to a member who never chose a password (admins only)."""
    membership = membership_get_by_user(organization=request.organization, user_id=user_id)
    require_admin(request)
    outcome = membership_invitation_resend(membership=membership)
    return {"mail_sent": bool(outcome.sent)}


class TeamOut(Schema):
    """A team that works part of the queue, and how its requests find an agent."""

    id: int
    name: str
    assignment: str = Field(description="manual, round_robin or least_open.")


@teams_router.get("/", response=responses({200: list[TeamOut]}, AUTH), summary="List teams")
def team_list_api(request: HttpRequest):
    """Active teams, to resolve `team_id`."""
    return team_list(organization=request.organization)


class TeamIn(BodySchema):
    """A new team: its members and how its requests find an agent."""

    name: Text(100, min_length=1)
    member_ids: list[Id] = Field([], max_length=500)
    assignment: AssignmentName = Team.Assignment.MANUAL.value


class TeamUpdateIn(BodySchema):
    """Fields to change; `member_ids` replaces the members."""

    name: Text(100, min_length=1) = None
    member_ids: list[Id] = Field(None, max_length=500)
    assignment: AssignmentName = None
    is_active: bool = None


def _members(request: HttpRequest, ids: list[int]) -> list:
    return [
        member_get(organization=request.organization, user_id=user_id, field="member_ids")
        for user_id in dict.fromkeys(ids)
    ]


@teams_router.post("/", response=responses({201: TeamOut}, CREATE), summary="Create a team")
def team_create_api(request: HttpRequest, payload: TeamIn):
    """A team (managers only)."""
    require_manager(request)
    team = team_create(
        organization=request.organization,
        name=payload.name,
        members=_members(request, payload.member_ids),
        assignment=payload.assignment,
    )
    return Answer(201, team)


@teams_router.patch("/{team_id}", response=responses({200: TeamOut}, WRITE), summary="Update")
def team_update_api(request: HttpRequest, team_id: Id, payload: TeamUpdateIn):
    """Rename, set members or assignment, or (de)activate a team."""
    team = team_get(organization=request.organization, team_id=team_id)
    require_manager(request)
    data = payload.model_dump(exclude_unset=True)
    members = (
        _members(request, data["member_ids"]) if "member_ids" in data else list(team.members.all())
    )
    return team_update(
        team=team,
        name=data.get("name", team.name),
        members=members,
        is_active=data.get("is_active", team.is_active),
        assignment=data.get("assignment"),
    )

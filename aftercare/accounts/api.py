"""API v1: obtaining and revoking tokens, the organization's staff and their invitations, and
its teams."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.models import ApiToken, Membership, Team
from aftercare.accounts.selectors import (
    AuditFilters,
    audit_entry_page,
    member_get,
    member_list,
    membership_get_by_user,
    staff_invitation_get,
    staff_invitation_pending_list,
    team_get,
    team_list,
)
from aftercare.accounts.services import (
    API_TOKEN_DEFAULT_LIFETIME,
    API_TOKEN_MAX_LIFETIME,
    AuditAction,
    api_token_obtain,
    api_token_revoke,
    audit_origin,
    membership_invitation_resend,
    membership_invite,
    staff_invitation_resend,
    staff_invitation_withdraw,
    team_create,
    team_update,
)
from aftercare.api.idempotency import commits_before_answering
from aftercare.api.permissions import require_admin, require_manager
from aftercare.api.schemas import (
    AUTH,
    CREATE,
    LIST,
    WRITE,
    BodySchema,
    ErrorOut,
    Id,
    IsoDate,
    IsoDateTime,
    PageQuery,
    Text,
    UserRefOut,
    responses,
)

auth_router = Router(tags=["auth"])
members_router = Router(tags=["members"])
teams_router = Router(tags=["reference"])
audit_router = Router(tags=["audit"])

AssignmentName = Literal[tuple(Team.Assignment.values)]
RoleName = Literal[tuple(Membership.Role.values)]
ScopeName = Literal[tuple(ApiToken.Scope.values)]

_SCOPE = (
    "What the token may do, within your role: `read` (only reads), `write` (reads, and the "
    "work of requests, customers, units and repairs) or `admin` (everything your role allows, "
    "settings and members included)."
)


class TokenIn(BodySchema):
    """Credentials of a staff account."""

    email: Text(254, min_length=1)
    password: Text(1000, min_length=1)
    organization: Text(60) | None = Field(
        None, description="Slug of the organization; needed only when you work in several."
    )
    otp: Text(20) | None = Field(
        None,
        description="The current code of the account's authenticator app (or a recovery "
        "code); needed only for an account that has one.",
    )
    scope: ScopeName = Field(ApiToken.Scope.ADMIN.value, description=_SCOPE)
    expires_at: IsoDateTime | None = Field(
        None,
        description=f"When the token stops working, at most {API_TOKEN_MAX_LIFETIME.days} days "
        f"from now. Leave it out for {API_TOKEN_DEFAULT_LIFETIME.days} days from now; `null` "
        "for a token that never expires.",
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
    scope: str = Field(description=_SCOPE)
    expires_at: datetime.datetime | None


class TokenInfoOut(Schema):
    """The token a request was made with (never its key)."""

    name: str
    prefix: str
    organization: OrganizationOut
    scope: str = Field(description=_SCOPE)
    created_at: datetime.datetime
    expires_at: datetime.datetime | None = Field(description="null: it never expires.")
    last_used_at: datetime.datetime | None


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
    """Exchange an email and password for a bearer token in one organization, with a scope
    and an expiry."""
    expires_at = payload.expires_at
    if "expires_at" not in payload.model_fields_set:
        expires_at = timezone.now() + API_TOKEN_DEFAULT_LIFETIME
    token, key = api_token_obtain(
        email=payload.email,
        password=payload.password,
        organization_slug=payload.organization,
        otp=payload.otp or "",
        scope=payload.scope,
        expires_at=expires_at,
        **audit_origin(request),
    )
    return {
        "token": key,
        "organization": token.organization,
        "scope": token.scope,
        "expires_at": token.expires_at,
    }


@auth_router.get("/token", response=responses({200: TokenInfoOut}, AUTH), summary="This token")
def token_get_api(request: HttpRequest):
    """The token this request was made with: its scope and when it expires."""
    return request.api_token


@auth_router.delete("/token", response={204: None, 401: ErrorOut}, summary="Revoke this token")
def token_revoke_api(request: HttpRequest):
    """Revoke the token this request was made with."""
    api_token_revoke(token=request.api_token, actor=request.user, **audit_origin(request))
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
    "or, for someone who already has an account, an invitation to accept or decline. When "
    "false, send it again later."
)


class MemberInvitedOut(Schema):
    """The new member, and whether they were told by mail."""

    id: int
    name: str
    email: str
    role: str
    mail_sent: bool = Field(description=_MAIL_SENT)


class PendingInvitationOut(Schema):
    """An invitation to someone who already has an account: they join only once they accept
    it, and until then the organization sees only the email it typed."""

    invitation_id: int
    email: str
    role: str
    created_at: datetime.datetime
    mail_sent: bool | None = Field(
        description="Whether the last mail of it reached the mail server (null: not yet tried)."
    )


def _offer_out(offer, *, mail_sent: bool | None = None) -> dict:
    if mail_sent is None:
        mail_sent = {"sent": True, "failed": False}.get(offer.invitation_status)
    return {
        "invitation_id": offer.pk,
        "email": offer.user.email,
        "role": offer.role,
        "created_at": offer.created_at,
        "mail_sent": mail_sent,
    }


class InvitationOut(Schema):
    """Whether the invitation was mailed again."""

    mail_sent: bool = Field(description=_MAIL_SENT)


@commits_before_answering
@members_router.post(
    "/",
    response=responses({201: MemberInvitedOut, 202: PendingInvitationOut}, CREATE),
    summary="Invite a member",
)
def member_invite_api(request: HttpRequest, payload: MemberInviteIn):
    """Invite someone to the staff by email (admins only); mailed once it is saved. Someone
    new becomes a member at once (201) and is mailed an invitation to choose a password.
    Someone who already has an account is mailed an invitation to accept (202): they join only
    once they accept, and are listed under `GET /members/invitations` until then."""
    require_admin(request)
    invitation = membership_invite(
        organization=request.organization,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        invited_by=request.user,
        **audit_origin(request),
    )
    if invitation.offer is not None:
        return Answer(202, _offer_out(invitation.offer, mail_sent=invitation.mail.sent))
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


@members_router.get(
    "/invitations",
    response=responses({200: list[PendingInvitationOut]}, {**LIST, 403: ErrorOut}),
    summary="List invitations waiting for an answer",
)
def member_offer_list_api(request: HttpRequest):
    """Invitations to people who already have an account, not yet accepted or declined
    (admins only), newest first."""
    require_admin(request)
    return [
        _offer_out(offer)
        for offer in staff_invitation_pending_list(organization=request.organization)
    ]


@commits_before_answering
@members_router.post(
    "/invitations/{invitation_id}/mail",
    response=responses({200: InvitationOut}, {**WRITE, 429: ErrorOut}),
    summary="Mail a waiting invitation again",
)
def member_offer_resend_api(request: HttpRequest, invitation_id: Id):
    """Mail a waiting invitation again, with a new link (admins only)."""
    offer = staff_invitation_get(organization=request.organization, invitation_id=invitation_id)
    require_admin(request)
    outcome = staff_invitation_resend(offer=offer, actor=request.user, **audit_origin(request))
    return {"mail_sent": bool(outcome.sent)}


@members_router.post(
    "/invitations/{invitation_id}/withdraw",
    response=responses({204: None}, WRITE),
    summary="Withdraw a waiting invitation",
)
def member_offer_withdraw_api(request: HttpRequest, invitation_id: Id):
    """Take back an invitation nobody answered yet; its links stop working (admins only)."""
    offer = staff_invitation_get(organization=request.organization, invitation_id=invitation_id)
    require_admin(request)
    staff_invitation_withdraw(offer=offer, actor=request.user, **audit_origin(request))
    return Answer(204, None)


@commits_before_answering
@members_router.post(
    "/{user_id}/invitation",
    response=responses({200: InvitationOut}, {**WRITE, 429: ErrorOut}),
    summary="Resend an invitation",
)
def member_invitation_resend_api(request: HttpRequest, user_id: Id):
    """Mail a new invitation to a member who never chose a password (admins only)."""
    membership = membership_get_by_user(organization=request.organization, user_id=user_id)
    require_admin(request)
    outcome = membership_invitation_resend(
        membership=membership, actor=request.user, **audit_origin(request)
    )
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
        actor=request.user,
        **audit_origin(request),
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
        actor=request.user,
        **audit_origin(request),
    )


AuditActionName = Literal[("", *AuditAction.values)]


class AuditEntryOut(Schema):
    """One event of the audit trail."""

    id: int
    created_at: datetime.datetime
    organization_id: int | None = Field(
        description="Null for an event of a member's account (a sign-in, a password), which "
        "the admins of every organization the member works in read."
    )
    action: str = Field(description="What happened: one of the action names of the filter.")
    actor: UserRefOut | None = Field(description="Who did it, if it was someone known.")
    actor_email: str = Field(description="The email as it was then, or as typed.")
    target_type: str = Field(description="What was acted on, as app.model (accounts.team).")
    target_id: str
    target_label: str
    ip: str | None = Field(description="The client's address, as the trusted proxy gave it.")
    user_agent: str
    data: dict = Field(description="What changed, by field: {from, to}, or other details.")


class AuditEntryPageOut(Schema):
    """One page of the audit trail, newest first."""

    items: list[AuditEntryOut]
    next_cursor: str | None


class AuditListQuery(PageQuery):
    """Filters of the audit trail; days are the organization's, both included."""

    action: AuditActionName = ""
    actor_id: Id | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None
    ip: Text(45) = Field("", description="A whole address matches exactly; a part, any with it.")
    target: Text(200) = Field("", description="Text in the target's label.")


@audit_router.get(
    "/", response=responses({200: AuditEntryPageOut}, {**LIST, 403: ErrorOut}), summary="Audit"
)
def audit_entry_list_api(request: HttpRequest, filters: Query[AuditListQuery]):
    """Who did what, when and from where (admins only), newest first: the organization's
    events and the account events (sign-ins...) of its current staff."""
    require_admin(request)
    return audit_entry_page(
        organization=request.organization,
        filters=AuditFilters(
            action=filters.action,
            actor_id=filters.actor_id,
            since=filters.since,
            until=filters.until,
            ip=filters.ip,
            target=filters.target,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )

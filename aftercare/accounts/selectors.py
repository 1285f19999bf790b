"""Reads about users, organizations, memberships, teams and API tokens."""

import datetime
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import (
    ApiToken,
    AuditEntry,
    Membership,
    Organization,
    StaffInvitation,
    Team,
    User,
)
from aftercare.accounts.tokens import staff_invitation_token_read
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, encode_cursor, keyset_paginate

SESSION_ORGANIZATION_KEY = "organization_id"
# How the session was signed in: a customer's emailed portal link never opens the console, even
# for an account that has since become staff (it signs in again, with its password).
SESSION_SIGNED_IN_WITH_KEY = "signed_in_with"
SIGNED_IN_WITH_PASSWORD = "password"
SIGNED_IN_WITH_PORTAL_LINK = "portal_link"
# Set when this session's sign-in was confirmed with a second factor (or one was just set up).
SESSION_SECOND_FACTOR_KEY = "second_factor"
# When the console last noted this session as used (epoch seconds); set at sign-in.
SESSION_SEEN_AT_KEY = "seen_at"


def session_signed_in_by_portal_link(session) -> bool:
    """Whether this session was signed in by a customer's emailed portal link."""
    return session.get(SESSION_SIGNED_IN_WITH_KEY) == SIGNED_IN_WITH_PORTAL_LINK


def membership_get(*, user: User, organization: Organization) -> Membership | None:
    """The active membership of a user in an organization, if any."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization", "user")
        .filter(user=user, organization=organization, is_active=True)
        .first()
    )


def user_has_console_access(*, user: User) -> bool:
    """Whether an active user works in the console (an active membership) or is a superuser."""
    if not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, is_active=True).exists()


def membership_list_for_user(*, user: User) -> list[Membership]:
    """Every organization where the user works, by name."""
    return list(
        Membership.objects.select_related("organization")
        .filter(user=user, is_active=True)
        .order_by("organization__name")
    )


def membership_for_session(*, user: User, session) -> Membership | None:
    """The membership the console works in: the one chosen in the session, else the first."""
    if not user.is_authenticated:
        return None
    return membership_chosen(membership_list_for_user(user=user), session=session)


def membership_chosen(memberships: list[Membership], *, session) -> Membership | None:
    """Of the user's memberships, the one chosen in the session, else the first; none for a
    session signed in by a portal link."""
    if not memberships or session_signed_in_by_portal_link(session):
        return None
    chosen = session.get(SESSION_ORGANIZATION_KEY)
    for membership in memberships:
        if membership.organization_id == chosen:
            return membership
    return memberships[0]


def member_get(*, organization: Organization, user_id: int, field: str = "assignee_id") -> User:
    """A staff member of the organization by id; anyone else is a field error."""
    membership = (
        Membership.objects.select_related("user")
        .filter(organization=organization, user_id=user_id, is_active=True)
        .first()
    )
    if membership is None:
        raise ApplicationError(_("No such member in this organization."), field=field)
    return membership.user


def member_list(*, organization: Organization) -> list[Membership]:
    """Active staff of an organization, by name."""
    return list(
        Membership.objects.select_related("user")
        .filter(organization=organization, is_active=True)
        .order_by("user__full_name", "user__email")
    )


def organization_get_by_slug(*, slug: str) -> Organization:
    """An organization by its slug, or 404.

    Every portal page and the public warranty check start here, unsigned visitors included, so
    it is a raw query: the ORM took three times as long compiling the filter as running it."""
    table = connection.ops.quote_name(Organization._meta.db_table)
    query = f"SELECT * FROM {table} WHERE slug = %s"  # noqa: S608 (the table from the model)
    for organization in Organization.objects.raw(query, [slug]):
        return organization
    raise Http404


def membership_list(*, organization: Organization) -> list[Membership]:
    """Every membership of an organization, active or not, with its user, by name."""
    return list(
        Membership.objects.select_related("user")
        .filter(organization=organization)
        .order_by("user__full_name", "user__email")
    )


def membership_get_by_id(*, organization: Organization, membership_id: int) -> Membership:
    """A membership of this organization (active or not) with its user, or 404."""
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def membership_get_by_user(*, organization: Organization, user_id: int) -> Membership:
    """The membership (active or not) of a user in this organization, with both, or 404."""
    membership = (
        Membership.objects.select_related("user", "organization", "invited_by")
        .filter(organization=organization, user_id=user_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def staff_invitation_pending_list(*, organization: Organization) -> list[StaffInvitation]:
    """Offers of membership still waiting for an answer, newest first (the invitee's email is
    all the organization sees of them)."""
    return list(
        StaffInvitation.objects.select_related("user")
        .filter(organization=organization, answered_at__isnull=True)
        .order_by("-created_at", "-pk")
    )


def staff_invitation_get(*, organization: Organization, invitation_id: int) -> StaffInvitation:
    """A waiting offer of this organization, or 404."""
    offer = (
        StaffInvitation.objects.select_related("user", "organization")
        .filter(organization=organization, pk=invitation_id, answered_at__isnull=True)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def staff_invitation_for_token(token: str) -> StaffInvitation | None:
    """The waiting offer an emailed link names, if the link is genuine, not expired, and the
    offer still waits for its invitee's answer."""
    ids = staff_invitation_token_read(token)
    if ids is None:
        return None
    invitation_id, user_id = ids
    return (
        StaffInvitation.objects.select_related("user", "organization", "invited_by")
        .filter(pk=invitation_id, user_id=user_id, answered_at__isnull=True, user__is_active=True)
        .first()
    )


def api_token_list_for_user(*, user: User, organization: Organization) -> list[ApiToken]:
    """A user's own tokens in one organization, newest first."""
    return list(
        ApiToken.objects.filter(user=user, organization=organization).order_by("-created_at", "-id")
    )


def api_token_get_for_user(*, user: User, organization: Organization, token_id: int) -> ApiToken:
    """One of the user's own tokens in this organization; anyone else's is a 404."""
    token = ApiToken.objects.filter(user=user, organization=organization, pk=token_id).first()
    if token is None:
        raise Http404
    return token


def team_list(*, organization: Organization) -> list[Team]:
    """Active teams, by name."""
    return list(Team.objects.filter(organization=organization, is_active=True))


def team_for_input(*, organization: Organization, team_id: int) -> Team:
    """A team named in input; another organization's is a field error."""
    team = Team.objects.filter(organization=organization, pk=team_id).first()
    if team is None:
        raise ApplicationError(_("No such team."), field="team_id")
    return team


def team_list_for_settings(*, organization: Organization) -> list[Team]:
    """Every team, active or not, by name, with its members by name."""
    members = User.objects.order_by("full_name", "email")
    return list(
        Team.objects.filter(organization=organization)
        .order_by("name", "id")
        .prefetch_related(Prefetch("members", queryset=members))
    )


def team_get(*, organization: Organization, team_id: int) -> Team:
    """A team of this organization (active or not) with its members, or 404."""
    team = (
        Team.objects.filter(organization=organization, pk=team_id)
        .prefetch_related("members")
        .first()
    )
    if team is None:
        raise Http404
    return team


# The audit trail


@dataclass(frozen=True)
class AuditFilters:
    """What an audit view asks for: an action, an actor (a user id), days of the organization
    (both included), an address (a whole one matches exactly, a part anywhere in it) and text
    in the target's label."""

    action: str = ""
    actor_id: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    ip: str = ""
    target: str = ""


_AUDIT_ORDER = ["-created_at", "-id"]


def _audit_querysets(*, organization: Organization, filters: AuditFilters) -> list[QuerySet]:
    """The organization's own entries, and those of accounts (sign-ins, passwords...) of its
    current staff: two queries, each walking an index newest first."""
    if filters.since and filters.until and filters.until < filters.since:
        raise ApplicationError(_("The last day comes before the first."), field="until")
    condition = Q()
    if filters.action:
        condition &= Q(action=filters.action)
    if filters.actor_id is not None:
        condition &= Q(actor_id=filters.actor_id)
    zone = organization.zone
    try:
        if filters.since:
            start = datetime.datetime.combine(filters.since, datetime.time(), tzinfo=zone)
            condition &= Q(created_at__gte=start)
        if filters.until:
            end_day = filters.until + datetime.timedelta(days=1)
            condition &= Q(created_at__lt=datetime.datetime.combine(end_day, datetime.time(), zone))
    except OverflowError:
        raise ApplicationError(_("Enter a real day."), field="until") from None
    ip = filters.ip.strip()
    if ip:
        try:
            condition &= Q(ip=str(ipaddress.ip_address(ip)))
        except ValueError:
            condition &= Q(ip__icontains=ip)
    if filters.target.strip():
        condition &= Q(target_label__icontains=filters.target.strip())
    staff = Membership.objects.filter(organization=organization, is_active=True).values("user_id")
    entries = AuditEntry.objects.select_related("actor").filter(condition)
    return [
        entries.filter(organization=organization),
        entries.filter(organization__isnull=True, actor_id__in=staff),
    ]


def audit_entry_page(
    *,
    organization: Organization,
    filters: AuditFilters,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of what the organization's admins may read of the audit trail, newest first:
    its own entries and its current staff's account entries, in two index-ordered queries
    merged here (one query with OR would sort every matching row for each page)."""
    pages = [
        keyset_paginate(queryset, ordering=_AUDIT_ORDER, cursor=cursor, limit=limit)
        for queryset in _audit_querysets(organization=organization, filters=filters)
    ]
    rows = sorted(
        (entry for page in pages for entry in page.items),
        key=lambda entry: (entry.created_at, entry.pk),
        reverse=True,
    )
    more = len(rows) > limit or any(page.next_cursor for page in pages)
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        next_cursor = encode_cursor([rows[-1].created_at, rows[-1].pk])
    return Page(items=rows, next_cursor=next_cursor)


def audit_entry_iter(
    *, organization: Organization, filters: AuditFilters, batch: int = 500
) -> Iterator[AuditEntry]:
    """Every entry `audit_entry_page` would show, newest first, read a batch at a time (an
    export of any length holds one batch in memory). Bad filters are refused at once, before
    anything is read."""
    _audit_querysets(organization=organization, filters=filters)

    def entries() -> Iterator[AuditEntry]:
        cursor = None
        while True:
            page = audit_entry_page(
                organization=organization, filters=filters, cursor=cursor, limit=batch
            )
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    return entries()

"""Reads about users, organizations, memberships, teams and API tokens."""

from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import ApiToken, Membership, Organization, Team, User
from aftercare.lib.errors import ApplicationError

SESSION_ORGANIZATION_KEY = "organization_id"
# How the session was signed in: a customer's emailed portal link never opens the console, even
# for an account that has since become staff (it signs in again, with its password).
SESSION_SIGNED_IN_WITH_KEY = "signed_in_with"
SIGNED_IN_WITH_PASSWORD = "password"
SIGNED_IN_WITH_PORTAL_LINK = "portal_link"


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

"""Every write to users, organizations, memberships and API tokens."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts import hooks
from aftercare.accounts.models import ApiToken, Membership, Organization, Team, User
from aftercare.lib.errors import ApplicationError
from aftercare.lib.queries import unique_or_none
from aftercare.lib.validation import clean_text


@transaction.atomic
def organization_create(
    *,
    name: str,
    slug: str,
    country: str = "IR",
    default_language: str = "en",
    time_zone: str = "UTC",
) -> Organization:
    """A new tenant."""
    if Organization.objects.filter(slug=slug).exists():
        raise ApplicationError(_("This slug is already taken."), field="slug")
    return Organization.objects.create(
        name=name,
        slug=slug,
        country=country.upper(),
        default_language=default_language,
        time_zone=time_zone,
    )


@transaction.atomic
def user_create(
    *, email: str, password: str | None = None, full_name: str = "", language: str = ""
) -> User:
    """A user who can sign in with email (and password, if given)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise ApplicationError(_("A user with this email already exists."), field="email")
    return User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language
    )


@transaction.atomic
def membership_create(*, organization: Organization, user: User, role: str) -> Membership:
    """Make a user staff of an organization with a role."""
    if role not in Membership.Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    return membership


@transaction.atomic
def api_token_create(*, user: User, organization: Organization, name: str) -> tuple[ApiToken, str]:
    """A new token; the clear key is returned once and never stored."""
    if not Membership.objects.filter(user=user, organization=organization, is_active=True).exists():
        raise ApplicationError(_("Not a member of this organization."), field="organization")
    prefix = secrets.token_hex(4)
    key = f"ac_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        organization=organization,
        name=name[:100] or "API",
        prefix=prefix,
        key_hash=ApiToken.hash_key(key),
    )
    return token, key


def api_token_obtain(
    *, email: str, password: str, organization_slug: str | None = None
) -> tuple[ApiToken, str]:
    """Exchange an email and password for a new token in one of the user's organizations."""
    user = authenticate(username=(email or "").strip().lower(), password=password)
    if user is None:
        raise ApplicationError(_("Email or password is wrong."), field="password", code="auth")
    memberships = Membership.objects.select_related("organization").filter(
        user=user, is_active=True
    )
    if organization_slug:
        memberships = memberships.filter(organization__slug=organization_slug)
    memberships = list(memberships[:2])
    if not memberships:
        raise ApplicationError(
            _("This account is not staff of that organization."), field="organization"
        )
    if len(memberships) > 1:
        raise ApplicationError(
            _("This account works in several organizations: name one."), field="organization"
        )
    return api_token_create(user=user, organization=memberships[0].organization, name="API")


@dataclass(frozen=True)
class ApiCaller:
    """Who an API request comes from: the token presented, and the membership it acts in."""

    token: ApiToken
    membership: Membership

    @property
    def user(self) -> User:
        """The token's owner."""
        return self.token.user

    @property
    def organization(self) -> Organization:
        """The one organization the token works in."""
        return self.token.organization


def api_token_authenticate(*, key: str) -> ApiCaller | None:
    """The caller behind a presented key, if the token is usable and its owner still a member.

    Records when the token was last used (at most once a minute: recording every use would turn
    each API read into a write).
    """
    if not key:
        return None
    token = unique_or_none(
        ApiToken.objects.select_related("user", "organization").filter(
            key_hash=ApiToken.hash_key(key)
        )
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    membership = unique_or_none(
        Membership.objects.filter(
            user_id=token.user_id, organization_id=token.organization_id, is_active=True
        )
    )
    if membership is None:
        return None
    membership.user = token.user
    membership.organization = token.organization
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return ApiCaller(token=token, membership=membership)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token from now on; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token


@transaction.atomic
def membership_invite(
    *, organization: Organization, email: str, full_name: str, role: str
) -> Membership:
    """Make someone staff by email: a new user (without a usable password) or an existing one."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="email") from None
    full_name = (full_name or "").strip()
    if len(full_name) > 200:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": 200}, field="full_name"
        )
    if role not in Membership.Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name)
    existing = Membership.objects.filter(organization=organization, user=user).first()
    if existing is not None and existing.is_active:
        raise ApplicationError(_("This person is already a member."), field="email")
    if existing is not None:
        raise ApplicationError(
            _("This person's membership is deactivated: reactivate it from the member list."),
            field="email",
        )
    return membership_create(organization=organization, user=user, role=role)


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, is_active: bool, actor: User
) -> Membership:
    """Change a member's role or (de)activate them; nobody demotes or deactivates themselves."""
    if role not in Membership.Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    admin = Membership.Role.ADMIN
    # Lock the organization's admins first, so two admins demoting each other at the same time
    # cannot leave the organization without one.
    admin_ids = list(
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=admin, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == actor.pk:
        if not is_active:
            raise ApplicationError(
                _("You cannot deactivate your own membership."), field="is_active"
            )
        if membership.role == admin and role != admin:
            raise ApplicationError(_("You cannot remove your own admin role."), field="role")
    losing_admin = membership.pk in admin_ids and not (is_active and role == admin)
    if losing_admin and len(admin_ids) == 1:
        raise ApplicationError(_("The organization needs at least one active admin."), field="role")
    membership.role = role
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active"])
    return membership


def sign_in_attempt_register(*, email: str, ip: str) -> None:
    """Count a password sign-in attempt; too many for one email or address are refused."""
    from django.conf import settings

    from aftercare.lib.ratelimit import rate_limit_hit

    window = settings.SIGN_IN_WINDOW_MINUTES * 60
    by_email = rate_limit_hit(
        key=f"sign-in:email:{(email or '').strip().lower()}",
        limit=settings.SIGN_IN_MAX_PER_EMAIL,
        window_seconds=window,
    )
    by_ip = rate_limit_hit(
        key=f"sign-in:ip:{ip}", limit=settings.SIGN_IN_MAX_PER_IP, window_seconds=window
    )
    if not (by_email and by_ip):
        raise ApplicationError(
            _("Too many sign-in attempts. Wait a few minutes and try again."),
            field="email",
            code="rate_limited",
        )


# --- Teams ---


def _check_member(user: User, organization: Organization) -> None:
    is_member = Membership.objects.filter(
        organization=organization, user=user, is_active=True
    ).exists()
    if not is_member:
        raise ApplicationError(_("No such member in this organization."), field="assignee_id")


@transaction.atomic
def team_create(
    *,
    organization: Organization,
    name: str,
    members: list[User] | None = None,
    assignment: str = Team.Assignment.MANUAL,
) -> Team:
    """A team of staff, and how its requests find an agent."""
    name = clean_text(name, field="name", required=True, max_length=100)
    _check_assignment(assignment)
    if Team.objects.filter(organization=organization, name=name).exists():
        raise ApplicationError(_("A team with this name already exists."), field="name")
    team = Team.objects.create(organization=organization, name=name, assignment=assignment)
    for member in members or []:
        _check_member(member, organization)
    if members:
        team.members.set(members)
    return team


def _check_assignment(assignment: str) -> None:
    if assignment not in Team.Assignment.values:
        raise ApplicationError(_("Unknown way of assigning requests."), field="assignment")


@transaction.atomic
def team_update(
    *,
    team: Team,
    name: str,
    members: list[User],
    is_active: bool,
    assignment: str | None = None,
) -> Team:
    """Rename a team, set its members (active staff of its organization), how it assigns
    requests, and (de)activate it."""
    name = clean_text(name, field="name", required=True, max_length=100)
    if assignment is not None:
        _check_assignment(assignment)
    team = Team.objects.select_for_update().get(pk=team.pk)
    duplicate = (
        Team.objects.filter(organization_id=team.organization_id, name=name)
        .exclude(pk=team.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError(_("A team with this name already exists."), field="name")
    wanted = {member.pk for member in members}
    staff = set(
        Membership.objects.filter(
            organization_id=team.organization_id, user_id__in=wanted, is_active=True
        ).values_list("user_id", flat=True)
    )
    if wanted - staff:
        raise ApplicationError(_("No such member in this organization."), field="members")
    team.name = name
    team.is_active = is_active
    if assignment is not None:
        team.assignment = assignment
    team.save(update_fields=["name", "is_active", "assignment"])
    team.members.set(members)
    if team.is_active and team.assignment != Team.Assignment.MANUAL:
        hooks.team_assigns_automatically.fire(team=team)
    return team

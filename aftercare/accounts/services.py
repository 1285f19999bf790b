"""Every write to users, organizations, memberships and API tokens."""

import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import ApiToken, Membership, Organization, User
from aftercare.lib.errors import ApplicationError


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


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token from now on; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token

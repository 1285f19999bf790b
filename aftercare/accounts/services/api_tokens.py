"""Personal API tokens: made, obtained with a password, authenticated, revoked."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import ApiToken, Membership, Organization, User
from aftercare.accounts.services.credentials import password_sign_in
from aftercare.lib.errors import ApplicationError
from aftercare.lib.queries import unique_or_none


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
    *, email: str, password: str, ip: str, organization_slug: str | None = None
) -> tuple[ApiToken, str]:
    """Exchange an email and password for a new token in one of the user's organizations
    (under the sign-in limits, `credentials.password_sign_in`)."""
    user = password_sign_in(email=email, password=password, ip=ip)
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

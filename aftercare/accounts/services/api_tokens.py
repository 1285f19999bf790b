"""Personal API tokens: made, obtained with a password, authenticated, revoked."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import ApiToken, Membership, Organization, User
from aftercare.accounts.services.audit import AuditAction, audit_record
from aftercare.accounts.services.credentials import password_sign_in
from aftercare.accounts.services.second_factor import (
    membership_requires_second_factor,
    second_factor_enabled,
    second_factor_verify,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.queries import unique_or_none

# A token lives at most this long when it has an end; new tokens end after the default unless
# asked otherwise (the console and `POST /auth/token`; no end only when asked for).
API_TOKEN_MAX_LIFETIME = datetime.timedelta(days=365)
API_TOKEN_DEFAULT_LIFETIME = datetime.timedelta(days=90)


def api_token_expiry_check(
    expires_at: datetime.datetime | None, *, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """When a new token would end (None: never), if that is after now and within
    API_TOKEN_MAX_LIFETIME; else a field error on `expires_at`. A time without a zone is UTC."""
    if expires_at is None:
        return None
    if not isinstance(expires_at, datetime.datetime):
        raise ApplicationError(_("Enter a date and time."), field="expires_at")
    if timezone.is_naive(expires_at):
        expires_at = expires_at.replace(tzinfo=datetime.UTC)
    now = now or timezone.now()
    if expires_at <= now:
        raise ApplicationError(_("The token must expire in the future."), field="expires_at")
    if expires_at > now + API_TOKEN_MAX_LIFETIME:
        raise ApplicationError(
            _("A token can last at most %(days)s days.") % {"days": API_TOKEN_MAX_LIFETIME.days},
            field="expires_at",
        )
    return expires_at


@transaction.atomic
def api_token_create(
    *,
    user: User,
    organization: Organization,
    name: str,
    scope: str = ApiToken.Scope.ADMIN,
    expires_at: datetime.datetime | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> tuple[ApiToken, str]:
    """A new token; the clear key is returned once and never stored. `scope` narrows what it
    may do within the user's role (by default: all the role allows), `expires_at` ends it
    (None: never; else after now and within API_TOKEN_MAX_LIFETIME). `ip` and `user_agent`
    say where it was asked from, for the audit trail."""
    if scope not in ApiToken.Scope.values:
        raise ApplicationError(_("Choose read, write or admin."), field="scope")
    expires_at = api_token_expiry_check(expires_at)
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
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        action=AuditAction.TOKEN_CREATED,
        organization=organization,
        actor=user,
        target=token,
        ip=ip,
        user_agent=user_agent,
        data={
            "scope": token.scope,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },
    )
    return token, key


def api_token_obtain(
    *,
    email: str,
    password: str,
    ip: str,
    organization_slug: str | None = None,
    user_agent: str = "",
    otp: str = "",
    scope: str = ApiToken.Scope.ADMIN,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Exchange an email and password for a new token in one of the user's organizations
    (under the sign-in limits, `credentials.password_sign_in`), and the authenticator app's
    code (`otp`) for an account that has one. Where the organization requires a second factor
    of the member's role, an account without one gets no token until it sets one up. `scope`
    and `expires_at` are as for `api_token_create`."""
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
    _second_factor_check(user=user, membership=memberships[0], otp=otp, ip=ip)
    return api_token_create(
        user=user,
        organization=memberships[0].organization,
        name="API",
        scope=scope,
        expires_at=expires_at,
        ip=ip,
        user_agent=user_agent,
    )


def _second_factor_check(*, user: User, membership: Membership, otp: str, ip: str) -> None:
    if second_factor_enabled(user=user):
        if not (otp or "").strip():
            raise ApplicationError(
                _("This account signs in with an authenticator app: send its current code."),
                field="otp",
                code="auth",
            )
        if not second_factor_verify(user=user, code=otp, ip=ip):
            raise ApplicationError(
                _("That code is not right. Send the newest code from the app."),
                field="otp",
                code="auth",
            )
    elif membership_requires_second_factor(membership):
        raise ApplicationError(
            _(
                "Your organization requires an authenticator app for your role: set one up in "
                "the console (Settings, Sign-in and security) first."
            ),
            field="otp",
            code="auth",
        )


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
def api_token_revoke(
    *,
    token: ApiToken,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> ApiToken:
    """Revoke a token from now on; revoking twice keeps the first time. `actor` (its owner
    unless given), `ip` and `user_agent` are for the audit trail."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
        if revoked:
            audit_record(
                action=AuditAction.TOKEN_REVOKED,
                organization=token.organization,
                actor=actor if actor is not None else token.user,
                target=token,
                ip=ip,
                user_agent=user_agent,
            )
    return token

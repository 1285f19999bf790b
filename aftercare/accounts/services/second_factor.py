"""A second factor for staff: an authenticator app (TOTP, RFC 6238, 30-second steps, 6 digits)
with one-time recovery codes, required by an organization for its admins and supervisors if
it chooses, and the browsers signed in to an account, listed and ended by their owner."""

import datetime
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from aftercare.accounts.models import (
    Membership,
    Organization,
    RecoveryCode,
    SignedInSession,
    TotpDevice,
    User,
)
from aftercare.accounts.services.credentials import failure_register, failures_exceeded
from aftercare.lib.errors import ApplicationError
from aftercare.lib.sealing import SealError, seal, unseal

ISSUER = "aftercare"
RECOVERY_CODE_COUNT = 10
# Codes of the step before and after the current one are accepted too: phones' clocks drift.
_VALID_WINDOW = 1
_STEP_SECONDS = 30
# Roles an organization can require a second factor of.
REQUIRED_ROLES = (Membership.Role.ADMIN, Membership.Role.SUPERVISOR)


@dataclass(frozen=True)
class Enrolment:
    """A new, unconfirmed authenticator: the secret to type or scan, once."""

    secret: str
    uri: str

    @property
    def qr_svg(self) -> str:
        """The `otpauth://` address as an SVG QR code, for the app's camera."""
        return segno.make(self.uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")

    @property
    def secret_grouped(self) -> str:
        """The secret in groups of four, for typing it in."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def second_factor_enabled(*, user: User) -> bool:
    """Whether the user signs in with an authenticator app's code."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def second_factor_required(*, user: User) -> bool:
    """Whether one of the user's organizations requires a second factor of their role."""
    return Membership.objects.filter(
        user=user,
        is_active=True,
        role__in=REQUIRED_ROLES,
        organization__require_second_factor=True,
    ).exists()


def membership_requires_second_factor(membership: Membership) -> bool:
    """Whether this membership's organization requires a second factor of its role (no query:
    the membership comes with its organization)."""
    return membership.organization.require_second_factor and membership.role in REQUIRED_ROLES


def organization_second_factor_require(
    *, organization: Organization, required: bool
) -> Organization:
    """Require (or not) a second factor of the organization's admins and supervisors."""
    Organization.objects.filter(pk=organization.pk).update(require_second_factor=required)
    organization.require_second_factor = required
    return organization


@transaction.atomic
def totp_enrol_start(*, user: User) -> Enrolment:
    """A new secret for the user's authenticator app, unconfirmed until a code from the app
    is checked (`totp_enrol_confirm`). Refused while one is confirmed: turn it off first."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ApplicationError(
            _("An authenticator app is already set up: turn it off first to set up another."),
            field="code",
        )
    secret = pyotp.random_base32()
    if device is None:
        TotpDevice.objects.create(user=user, secret_sealed=seal(secret))
    else:
        device.secret_sealed = seal(secret)
        device.created_at = timezone.now()
        device.last_step = 0
        device.save(update_fields=["secret_sealed", "created_at", "last_step"])
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret=secret, uri=uri)


def totp_enrolment_pending(*, user: User) -> Enrolment | None:
    """The authenticator being set up (started, not yet confirmed), to show its code again."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        return None
    secret = unseal(device.secret_sealed)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret=secret, uri=uri)


@transaction.atomic
def totp_enrol_confirm(*, user: User, code: str, ip: str) -> list[str]:
    """Confirm the authenticator being set up with a code from it; the user then signs in with
    it. Returns new recovery codes, shown once."""
    _attempt_allowed_check(user=user, ip=ip)
    device = (
        TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    )
    if device is None:
        raise ApplicationError(_("Start setting up an authenticator app first."), field="code")
    step = _matching_step(unseal(device.secret_sealed), code, after=0)
    if step is None:
        _attempt_failed(user=user, ip=ip)
        raise ApplicationError(
            _("That code is not right. Check the time on your phone, and type the newest code."),
            field="code",
        )
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def totp_disable(*, user: User) -> None:
    """Stop asking for an authenticator's code; the recovery codes stop working too. An
    organization that requires a second factor will ask for a new one at the next sign-in."""
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes (shown once); the earlier ones stop working."""
    now = timezone.now()
    RecoveryCode.objects.filter(user=user, retired_at__isnull=True).update(retired_at=now)
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code), created_at=now) for code in codes
    )
    return codes


def recovery_codes_left(*, user: User) -> int:
    """How many recovery codes the user can still use."""
    return RecoveryCode.objects.filter(
        user=user, used_at__isnull=True, retired_at__isnull=True
    ).count()


def second_factor_verify(*, user: User, code: str, ip: str) -> bool:
    """Whether `code` is the user's authenticator's current code (each code works once) or one
    of their unused recovery codes (spent). Failures are counted per account and address, and
    past the sign-in limits the check is refused before it is made."""
    _attempt_allowed_check(user=user, ip=ip)
    cleaned = "".join((code or "").split())
    if cleaned.isdigit() and len(cleaned) == 6:
        if _totp_spend(user=user, code=cleaned):
            return True
    elif cleaned and _recovery_spend(user=user, code=cleaned):
        return True
    _attempt_failed(user=user, ip=ip)
    return False


def _totp_spend(*, user: User, code: str) -> bool:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _matching_step(unseal(device.secret_sealed), code, after=device.last_step)
    if step is None:
        return False
    # A code is good once: of two requests with it, only one moves the step forward.
    return bool(TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step))


def _recovery_spend(*, user: User, code: str) -> bool:
    return bool(
        RecoveryCode.objects.filter(
            user=user,
            code_hash=_recovery_hash(code),
            used_at__isnull=True,
            retired_at__isnull=True,
        ).update(used_at=timezone.now())
    )


def _matching_step(secret: str, code: str, *, after: int) -> int | None:
    """The time step (within the window around now) whose code is `code`, if later than
    `after`."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // _STEP_SECONDS
    for step in range(now_step - _VALID_WINDOW, now_step + _VALID_WINDOW + 1):
        if step > after and hmac.compare_digest(totp.at(step * _STEP_SECONDS), code):
            return step
    return None


_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _recovery_code_new() -> str:
    """Ten letters and digits (about 50 bits), in two groups, without look-alike characters."""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def _recovery_hash(code: str) -> str:
    normal = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    key = hashlib.sha256(b"aftercare.recovery-code\0" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def _attempt_allowed_check(*, user: User, ip: str) -> None:
    if failures_exceeded(kind="second-factor", account=str(user.pk), ip=ip):
        raise ApplicationError(
            _("Too many wrong codes. Wait a few minutes and try again."),
            field="code",
            code="rate_limited",
        )


def _attempt_failed(*, user: User, ip: str) -> None:
    failure_register(kind="second-factor", account=str(user.pk), ip=ip)


# Signed-in sessions ---------------------------------------------------------------------------


def _key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def signed_in_session_record(
    *, user: User, session: SessionBase, ip: str, user_agent: str, second_factor: bool
) -> SignedInSession:
    """Remember a browser that just signed in (its session saved first, to have a key)."""
    if session.session_key is None:
        session.save()
    return SignedInSession.objects.create(
        user=user,
        session_key_sealed=seal(session.session_key),
        session_key_hash=_key_hash(session.session_key),
        ip=ip or None,
        user_agent=(user_agent or "")[:300],
        second_factor=second_factor,
    )


def signed_in_session_seen(*, session_key: str) -> None:
    """Note that this session was used now."""
    SignedInSession.objects.filter(
        session_key_hash=_key_hash(session_key), ended_at__isnull=True
    ).update(last_seen_at=timezone.now())


def signed_in_session_ended(*, session_key: str | None) -> None:
    """Note that this session signed out."""
    if session_key:
        SignedInSession.objects.filter(
            session_key_hash=_key_hash(session_key), ended_at__isnull=True
        ).update(ended_at=timezone.now())


def signed_in_session_list(*, user: User) -> list[SignedInSession]:
    """The user's browsers still signed in, most recently used first."""
    oldest = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return list(
        SignedInSession.objects.filter(user=user, ended_at__isnull=True)
        .filter(Q(last_seen_at__gte=oldest))
        .order_by("-last_seen_at", "-pk")
    )


def signed_in_session_is_current(record: SignedInSession, session_key: str | None) -> bool:
    """Whether `record` is the session this request comes with."""
    return bool(session_key) and hmac.compare_digest(
        record.session_key_hash, _key_hash(session_key)
    )


def signed_in_session_end(*, user: User, session_id: int) -> None:
    """Sign one of the user's browsers out: its session is deleted from the store. Another
    user's session, or one that ended, is not found (404)."""
    record = SignedInSession.objects.filter(user=user, pk=session_id, ended_at__isnull=True).first()
    if record is None:
        raise Http404
    _end(record)


def signed_in_sessions_end_others(*, user: User, keep_session_key: str | None) -> int:
    """Sign out every browser of the user but this one; how many were signed out."""
    ended = 0
    for record in SignedInSession.objects.filter(user=user, ended_at__isnull=True):
        if not signed_in_session_is_current(record, keep_session_key):
            _end(record)
            ended += 1
    return ended


def _end(record: SignedInSession) -> None:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    try:
        key = unseal(record.session_key_sealed)
    except SealError:  # sealed under a retired SECRET_KEY: nothing left to delete
        key = ""
    if key:
        store(session_key=key).delete()
    SignedInSession.objects.filter(pk=record.pk).update(ended_at=timezone.now())

"""The tokens of the links staff accounts get by mail: an invitation's and a password reset's
set-password link, and the confirmation of a change of email.

A set-password token is Django's password reset token (an HMAC of the user's id, password hash,
last sign-in and email, with its time), each purpose with its own salt and lifetime: it stops
working once a password is set, the user signs in, or the email changes. An email change's
token is a signed value naming the user, their email when it was asked and the new one: it
stops working once the email is no longer the one it was asked from.
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from aftercare.accounts.models import User


class Purpose(enum.StrEnum):
    """Why a set-password link was mailed."""

    INVITATION = "invitation"
    RESET = "reset"


class _SetPasswordTokens(PasswordResetTokenGenerator):
    """Django's reset tokens under their own salt, valid for `max_age()` seconds."""

    def __init__(self, *, key_salt: str, max_age) -> None:
        super().__init__()
        self.key_salt = key_salt
        self._max_age = max_age

    def check_token(self, user, token) -> bool:
        """Whether `token` was made for `user` as they are now, within its lifetime."""
        if not (user and token):
            return False
        try:
            stamp, _hash = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        # Too long a value would make base36_to_int raise above; a stamp in the future is forged.
        age = self._num_seconds(self._now()) - timestamp
        if age < 0 or age > self._max_age():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


_GENERATORS = {
    Purpose.INVITATION: _SetPasswordTokens(
        key_salt="aftercare.accounts.invitation",
        max_age=lambda: settings.INVITATION_MAX_AGE_DAYS * 86400,
    ),
    Purpose.RESET: _SetPasswordTokens(
        key_salt="aftercare.accounts.password-reset",
        max_age=lambda: settings.PASSWORD_RESET_TIMEOUT,
    ),
}


def set_password_token_make(*, user: User, purpose: Purpose) -> tuple[str, str]:
    """The user's id as it goes in a link, and a new token for `purpose`."""
    return urlsafe_base64_encode(force_bytes(user.pk)), _GENERATORS[purpose].make_token(user)


def set_password_token_check(*, user: User, token: str, purpose: Purpose) -> bool:
    """Whether `token` is a working `purpose` link for `user` as they are now."""
    return _GENERATORS[purpose].check_token(user, token)


def set_password_token_user(*, uidb64: str, token: str, purpose: Purpose) -> User | None:
    """The active user a set-password link was made for, if it still works."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64 or "").decode())
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return None
    if not 0 < user_id < 2**63:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not _GENERATORS[purpose].check_token(user, token):
        return None
    return user


_EMAIL_CHANGE_SALT = "aftercare.accounts.email-change"


@dataclass(frozen=True)
class EmailChange:
    """What an email change's token asks: this user's email from one address to another."""

    user_id: int
    old_email: str
    new_email: str


def email_change_token_make(*, user: User, new_email: str) -> str:
    """A signed token asking to change `user`'s current email to `new_email`."""
    value = {"user": user.pk, "from": user.email, "to": new_email}
    return signing.dumps(value, salt=_EMAIL_CHANGE_SALT, compress=True)


def email_change_token_read(token: str) -> EmailChange | None:
    """The change a token asks for, if it is genuine and not older than its lifetime."""
    max_age = datetime.timedelta(hours=settings.EMAIL_CHANGE_MAX_AGE_HOURS)
    try:
        value = signing.loads(token or "", salt=_EMAIL_CHANGE_SALT, max_age=max_age)
        return EmailChange(
            user_id=int(value["user"]), old_email=str(value["from"]), new_email=str(value["to"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


_STAFF_INVITATION_SALT = "aftercare.accounts.staff-invitation"


def staff_invitation_token_make(offer) -> str:
    """A signed token naming an offer of membership and the account it was made to."""
    return signing.dumps({"i": offer.pk, "u": offer.user_id}, salt=_STAFF_INVITATION_SALT)


def staff_invitation_token_read(token: str) -> tuple[int, int] | None:
    """The offer's and the invitee's ids a token names, if genuine and within its lifetime."""
    max_age = datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        value = signing.loads(token or "", salt=_STAFF_INVITATION_SALT, max_age=max_age)
        return int(value["i"]), int(value["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None

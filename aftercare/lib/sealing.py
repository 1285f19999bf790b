"""Secrets kept at rest (mail passwords, gateway keys): sealed with a key derived from
SECRET_KEY, opened only where they are used, never shown back.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. A key in SECRET_KEY_FALLBACKS still
opens what it sealed, so SECRET_KEY can be rotated: re-save the secrets, then drop the old key.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_PURPOSE = b"aftercare.sealing.v1"


class SealError(Exception):
    """A sealed value that no current key opens (SECRET_KEY changed without a fallback)."""


def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(_PURPOSE + b"\0" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(value: str) -> str:
    """The sealed form of a secret, '' for ''."""
    if not value:
        return ""
    return _keys().encrypt(value.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The secret a `seal` made, '' for ''."""
    if not sealed:
        return ""
    try:
        return _keys().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise SealError("This secret was sealed with another SECRET_KEY; enter it again.") from None

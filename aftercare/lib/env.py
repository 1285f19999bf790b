"""Strict helpers that read settings from environment variables."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """A string variable; without a default it must be set."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off; anything else is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    """An integer variable."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# EMAIL_URL schemes: how to reach the mail server, and the backend that goes there.
_SMTP_SCHEMES = {
    "smtp": {},  # plain SMTP (a relay on the same machine or network)
    "smtp+starttls": {"use_tls": True},  # submission, upgraded with STARTTLS (port 587)
    "smtp+tls": {"use_tls": True},
    "smtps": {"use_ssl": True},  # implicit TLS (port 465)
    "smtp+ssl": {"use_ssl": True},
}
_DEFAULT_PORTS = {"use_tls": 587, "use_ssl": 465}
_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def mailer_from_url(url: str, *, name: str = "EMAIL_URL") -> dict:
    """The MAILERS entry an email URL names:
    `smtp://user:password@host:port` (plain), `smtp+starttls://…` (STARTTLS, port 587 by
    default), `smtps://…` (implicit TLS, port 465), with `?timeout=SECONDS` (10 by default);
    `file:///directory` (each message a file), `console://` (printed), `locmem://` (kept in
    memory, for tests). The user and password are percent-decoded. Anything else is an error
    at start, never a silent fallback."""
    from urllib.parse import parse_qs, unquote, urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {error}.") from None
    scheme = parts.scheme.lower()
    if scheme in ("console", "locmem"):
        return {"BACKEND": _BACKENDS[scheme]}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"{name} must name a directory: file:///path/to/dir.")
        return {"BACKEND": _BACKENDS["file"], "OPTIONS": {"file_path": unquote(parts.path)}}
    if scheme not in _SMTP_SCHEMES:
        known = ", ".join(sorted([*_SMTP_SCHEMES, "file", "console", "locmem"]))
        raise ImproperlyConfigured(
            f"{name} has an unknown scheme {parts.scheme!r}; use one of: {known}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} must name the mail server: smtp://host:port.")
    security = _SMTP_SCHEMES[scheme]
    query = parse_qs(parts.query)
    try:
        timeout = float(query.get("timeout", ["10"])[0])
    except ValueError:
        raise ImproperlyConfigured(f"{name}'s timeout must be a number of seconds.") from None
    options = {
        "host": parts.hostname,
        "port": port or _DEFAULT_PORTS.get(next(iter(security), ""), 25),
        "timeout": timeout,
        **security,
    }
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return {"BACKEND": _BACKENDS["smtp"], "OPTIONS": options}

"""The demo's organizations and logins, and where its generated password is kept."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PASSWORD_ENV = "DEMO_PASSWORD"
PASSWORD_FILENAME = "demo-password"

DEMO_ORGANIZATION = {
    "name": "Demo Electronics",
    "slug": "demo",
    "country": "IR",
    "time_zone": "Asia/Tehran",
    "default_language": "fa",
}
OTHER_ORGANIZATION = {
    "name": "Other Appliances",
    "slug": "other",
    "country": "TR",
    "time_zone": "Europe/Istanbul",
    "default_language": "tr",
}


@dataclass(frozen=True)
class Login:
    """A demo account: who signs in where, with which role."""

    email: str
    full_name: str
    role: str  # a Membership.Role value, or "customer" for the portal account
    organization: str  # organization slug


DEMO_LOGINS = (
    Login("admin@demo.example", "ندا رحیمی", "admin", "demo"),
    Login("supervisor@demo.example", "کامران صالحی", "supervisor", "demo"),
    Login("agent@demo.example", "سارا محمدی", "agent", "demo"),
    Login("tech@demo.example", "علی حسینی", "technician", "demo"),
    Login("customer@demo.example", "شیرین کمالی", "customer", "demo"),
    Login("admin@other.example", "Emre Kaya", "admin", "other"),
)
DEMO_CUSTOMER_PHONE = "+98 912 418 2736"


def demo_password_path() -> Path:
    """Where seed_demo keeps the password it generated."""
    return Path(settings.VAR_DIR) / PASSWORD_FILENAME


def demo_password_store(password: str) -> None:
    """Keep a generated password where seed_demo looks for it, readable by the owner alone."""
    path = demo_password_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)


def demo_password_known() -> str | None:
    """The demo password: DEMO_PASSWORD when set, else the one seed_demo generated, if any."""
    from_env = os.environ.get(PASSWORD_ENV, "")
    if from_env:
        return from_env
    path = demo_password_path()
    if path.exists():
        return path.read_text().strip() or None
    return None

"""What `manage.py serve` prints about the demo: its logins, its portal and a sign-in link for
the demo customer, ready to open."""

from django.db import DatabaseError

from aftercare.accounts.models import Organization
from aftercare.demo import content as demo
from aftercare.portal.services import portal_login_link_create

# How long the printed portal sign-in link works: the server often runs for hours before
# someone opens it. It works once; every start prints a new one.
PORTAL_LINK_HOURS = 24


def demo_startup_notes(*, base_url: str) -> list[str]:
    """The demo logins and portal, when the demo data is loaded."""
    slug = demo.DEMO_ORGANIZATION["slug"]
    try:
        organization = Organization.objects.filter(slug=slug).first()
    except DatabaseError:
        organization = None
    if organization is None:
        return []
    password = demo.demo_password_known()
    if password:
        lines = [f"  Demo console logins (password: {password}):"]
    else:
        lines = [
            f"  Demo console logins (password unknown here: set {demo.PASSWORD_ENV} or see "
            f"{demo.PASSWORD_FILENAME} under the var directory):"
        ]
    for login in demo.DEMO_LOGINS:
        if login.role == "customer":
            continue
        where = "" if login.organization == slug else f" ({login.organization})"
        lines.append(f"    {login.email:<26} {login.role}{where}")
    lines.append(f"  Portal:    {base_url}/portal/{slug}/")
    lines += _portal_link_lines(organization=organization, base_url=base_url)
    return lines


def _portal_link_lines(*, organization: Organization, base_url: str) -> list[str]:
    """A one-time portal sign-in link for the demo customer, alone on its line to copy."""
    customer = next(login for login in demo.DEMO_LOGINS if login.role == "customer")
    try:
        _link, path = portal_login_link_create(
            organization=organization, email=customer.email, minutes=PORTAL_LINK_HOURS * 60
        )
    except DatabaseError:
        return []
    return [
        f"  Portal sign-in link for {customer.email} (no password; works once, for "
        f"{PORTAL_LINK_HOURS} hours):",
        f"{base_url}{path}",
    ]

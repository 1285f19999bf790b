"""What `manage.py serve` prints about the demo: its portal and how to sign in."""

from django.db import DatabaseError

from aftercare.accounts.models import Organization
from aftercare.demo import content as demo


def demo_startup_notes(*, base_url: str) -> list[str]:
    """The demo portal's address and the demo logins, when the demo data is loaded."""
    slug = demo.DEMO_ORGANIZATION["slug"]
    try:
        loaded = Organization.objects.filter(slug=slug).exists()
    except DatabaseError:
        loaded = False
    if not loaded:
        return []
    lines = [f"  Portal:    {base_url}/portal/{slug}/", "  Demo logins:"]
    lines += [f"    {login.email:<26} {login.role}" for login in demo.DEMO_LOGINS]
    password = demo.demo_password_known()
    if password:
        lines.append(f"    password: {password}")
    else:
        lines.append(
            f"    password: unknown here; set {demo.PASSWORD_ENV} or see {demo.PASSWORD_FILENAME}"
            " under the var directory"
        )
    return lines

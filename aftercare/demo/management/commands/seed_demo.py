"""`manage.py seed_demo`: the demo organizations, logins and requests."""

import os
import secrets
import time

from django.core.management.base import BaseCommand, CommandError, no_translations

from aftercare.accounts.models import Organization
from aftercare.demo import content as demo
from aftercare.demo.seed import demo_seed
from aftercare.lib.errors import ApplicationError


class Command(BaseCommand):
    """Load the demo data: two organizations, six logins and ~300 requests."""

    help = (
        "Create the demo organizations (demo, other), their logins and ~300 realistic requests. "
        "Passwords come from DEMO_PASSWORD, or one is generated and kept in VAR_DIR/demo-password."
    )

    def add_arguments(self, parser):
        """--if-empty makes repeated runs (make run) a no-op."""
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the demo organization already exists.",
        )

    @no_translations
    def handle(self, *args, if_empty: bool = False, **options):
        """Seed, then say where the logins are (operator output, so in English)."""
        slug = demo.DEMO_ORGANIZATION["slug"]
        if Organization.objects.filter(slug=slug).exists():
            if if_empty:
                self.stdout.write(f"Demo data already loaded (organization '{slug}' exists).")
                return
            raise CommandError(
                f"The organization '{slug}' already exists: seed_demo runs on an empty database "
                "(use --if-empty to skip quietly)."
            )
        password = os.environ.get(demo.PASSWORD_ENV, "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        started = time.monotonic()
        try:
            result = demo_seed(password=password)
        except ApplicationError as error:
            raise CommandError(f"Could not load the demo data: {error.message}") from error
        if generated:
            _store_password(password)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s: {', '.join(result.organizations)}; "
                f"{result.customers} customers, {result.tickets} requests."
            )
        )
        # The logins, the password and a portal sign-in link are printed once, by
        # `manage.py serve` as it starts (make run runs this command just before it).
        where = (
            f"the generated password is kept in {demo.demo_password_path()}"
            if generated
            else f"the password is the value of {demo.PASSWORD_ENV}"
        )
        staff = [login for login in result.logins if login.role != "customer"]
        self.stdout.write(
            f"  {len(staff)} console logins and a portal sign-in link: `manage.py serve` prints "
            f"them as it starts; {where}."
        )


def _store_password(password: str) -> None:
    """Write the generated password where only the owner can read it."""
    path = demo.demo_password_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)

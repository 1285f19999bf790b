"""`manage.py seed_demo`: the demo organizations, logins and requests."""

import time

from django.core.management.base import BaseCommand, CommandError, no_translations

from aftercare.demo import content as demo
from aftercare.demo.seed import demo_load, demo_loaded
from aftercare.lib.errors import ApplicationError


class Command(BaseCommand):
    """Load the demo data: two organizations, six logins and ~300 requests."""

    help = (
        "Create the demo organizations (demo, other), their logins and ~300 realistic requests, "
        "as they stand now. Passwords come from DEMO_PASSWORD, or one is generated and kept in "
        "VAR_DIR/demo-password."
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
        """Seed, then say where the password is (operator output, so in English)."""
        slug = demo.DEMO_ORGANIZATION["slug"]
        if demo_loaded():
            if if_empty:
                self.stdout.write(f"Demo data already loaded (organization '{slug}' exists).")
                return
            raise CommandError(
                f"The organization '{slug}' already exists: seed_demo runs on an empty database "
                "(use --if-empty to skip quietly)."
            )
        started = time.monotonic()
        try:
            loaded = demo_load()
        except ApplicationError as error:
            raise CommandError(f"Could not load the demo data: {error.message}") from error
        result = loaded.result
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s: {', '.join(result.organizations)}; "
                f"{result.customers} customers, {result.tickets} requests."
            )
        )
        # The logins, the password and a portal sign-in link are printed once, by
        # `manage.py serve` as it starts (make run runs it next).
        where = (
            f"the generated password is kept in {demo.demo_password_path()}"
            if loaded.password_generated
            else f"the password is the value of {demo.PASSWORD_ENV}"
        )
        self.stdout.write(f"  `manage.py serve` prints the logins as it starts; {where}.")

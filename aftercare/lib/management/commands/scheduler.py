"""`manage.py scheduler`: enqueue periodic tasks on their schedule, when run on its own."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from aftercare.lib.runtime import Scheduler, scheduled_jobs


class Command(BaseCommand):
    """Run the periodic schedule; with REDIS_URL, only while holding the scheduler lock."""

    help = (
        "Enqueue periodic tasks (SLA sweep, routing, pruning) on their schedule. With REDIS_URL "
        "set, several may run: one is active and the others stand by to take over."
    )

    def handle(self, *args, **options):
        """List the jobs, then schedule in the foreground until SIGTERM or SIGINT."""
        for name, trigger in scheduled_jobs():
            self.stdout.write(f"  {name}: {trigger}")
        if settings.REDIS_URL:
            self.stdout.write("Scheduler lock: Redis (one active scheduler).")
        self.stdout.flush()

        def announce(state: str) -> None:
            self.stdout.write(f"Scheduler {state}.")
            self.stdout.flush()

        scheduler = Scheduler(on_state=announce)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, lambda *_args: scheduler.request_stop())
        scheduler.run()
        self.stdout.write("Scheduler stopped.")

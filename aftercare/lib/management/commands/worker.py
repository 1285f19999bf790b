"""`manage.py worker`: run background tasks, for deployments that run workers on their own."""

import signal

from django.core.management.base import BaseCommand

from aftercare.lib.runtime import load_periodic_tasks


class Command(BaseCommand):
    """Run django.tasks stored in the database until stopped (SIGTERM finishes the current one)."""

    help = (
        "Run background tasks from the database queue. Start as many as needed: on PostgreSQL "
        "each claims tasks with SKIP LOCKED, so no task runs twice."
    )

    def add_arguments(self, parser):
        """Polling interval and which queues to take."""
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty."
        )
        parser.add_argument(
            "--queue", default="*", help="Comma-separated queue names to take ('*' for all)."
        )

    def handle(self, *args, interval: float, queue: str, **options):
        """Poll and run tasks in the foreground."""
        from django.utils.crypto import get_random_string
        from django_tasks_db.management.commands.db_worker import Worker

        load_periodic_tasks()
        worker = Worker(
            queue_names=[name.strip() for name in queue.split(",") if name.strip()] or ["*"],
            interval=max(0.1, interval),
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=f"worker-{get_random_string(12)}",
            excluded_queue_names=[],
        )
        worker.configure_signals()
        # SIGHUP (a closed terminal) stops gracefully too.
        signal.signal(signal.SIGHUP, worker.shutdown)
        self.stdout.write(f"Worker {worker.worker_id} taking queues {queue}.")
        self.stdout.flush()
        worker.run()

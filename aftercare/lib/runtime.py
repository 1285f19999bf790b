"""The background runtime: a task worker and the periodic scheduler, in threads or on their own.

`manage.py serve` runs both beside the web server in one process (the embedded default);
`manage.py worker` and `manage.py scheduler` run each alone when the deployment is scaled out.
Tasks are django.tasks functions stored by django-tasks-db; periodic jobs are tasks decorated
with crontask's `cron`, which enqueues them on its schedule. With `REDIS_URL` set, a scheduler
runs only while it holds a Redis lock, so several can be started and exactly one is active: the
others wait and take over when the active one stops or loses the lock.
"""

import importlib
import logging
import threading
import time
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import module_has_submodule

from aftercare.lib.hooks import Hook

logger = logging.getLogger("aftercare.runtime")

SCHEDULER_LOCK_NAME = "aftercare:scheduler"

# startup_notes.collect(base_url=...): each receiver returns the lines it wants `manage.py serve`
# to print before it starts (the demo app: its portal and logins).
startup_notes = Hook("startup_notes", doc="Lines `manage.py serve` prints as it starts.")


def load_periodic_tasks() -> list[str]:
    """Import every installed app's `tasks` module so its `cron` jobs reach the scheduler."""
    loaded = []
    for app in apps.get_app_configs():
        if not app.name.startswith("aftercare."):
            continue
        if module_has_submodule(app.module, "tasks"):
            importlib.import_module(f"{app.name}.tasks")
            loaded.append(app.name)
    return loaded


def scheduled_jobs() -> list[tuple[str, str]]:
    """(task name, trigger) of every periodic job, after loading the tasks modules."""
    from crontask import scheduler

    load_periodic_tasks()
    return sorted((job.name, str(job.trigger)) for job in scheduler.get_jobs())


class TaskWorker:
    """django-tasks-db's worker loop, run in a thread of this process."""

    name = "worker"

    def __init__(self, *, interval: float = 1.0, queue_names: list[str] | None = None):
        from django_tasks_db.management.commands.db_worker import Worker

        self._worker = Worker(
            queue_names=queue_names or ["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"serve-{get_random_string(12)}",
            excluded_queue_names=[],
        )
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Poll for tasks in a daemon thread."""
        self._thread = threading.Thread(target=self._run, name="aftercare-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        """Run tasks until stopped; a crash of the loop itself is logged and the loop restarts."""
        while self._worker.running:
            try:
                self._worker.run()
            except Exception:
                logger.exception("The task worker loop failed; restarting it in 5 s.")
                time.sleep(5)
            finally:
                close_old_connections()

    def stop(self) -> None:
        """Let the current task finish, then stop polling."""
        self._worker.running = False
        if self._thread is not None:
            self._thread.join(timeout=30)


class _Lock:
    """The scheduler's lock: a Redis lock when REDIS_URL is set, else always held."""

    def __init__(self) -> None:
        self.timeout = settings.SCHEDULER_LOCK_SECONDS
        self._lock = None
        if settings.REDIS_URL:
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL)
            self._lock = client.lock(SCHEDULER_LOCK_NAME, timeout=self.timeout, thread_local=False)

    @property
    def is_shared(self) -> bool:
        """Whether other schedulers may be competing for this lock."""
        return self._lock is not None

    def acquire(self, *, wait: float) -> bool:
        """Take the lock, waiting up to `wait` seconds; False if another scheduler holds it."""
        if self._lock is None:
            return True
        try:
            return bool(self._lock.acquire(blocking=True, blocking_timeout=wait))
        except Exception:
            logger.exception("Could not reach Redis for the scheduler lock.")
            return False

    def extend(self) -> bool:
        """Keep the lock for another timeout; False once it is lost."""
        if self._lock is None:
            return True
        try:
            return bool(self._lock.extend(self.timeout, replace_ttl=True))
        except Exception:
            logger.warning("The scheduler lost its Redis lock.")
            return False

    def release(self) -> None:
        """Give the lock up so a waiting scheduler takes over at once."""
        if self._lock is None:
            return
        try:
            self._lock.release()
        except Exception:
            logger.info("The scheduler lock had already expired.")


class Scheduler:
    """crontask's scheduler, run only while this process holds the scheduler lock."""

    name = "scheduler"

    def __init__(self, *, on_state: Callable[[str], None] | None = None):
        from crontask import scheduler

        self._scheduler = scheduler
        self._lock = _Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_state = on_state or (lambda state: logger.info("scheduler %s", state))

    def start(self) -> None:
        """Wait for the lock and run the schedule in a daemon thread."""
        load_periodic_tasks()
        self._thread = threading.Thread(target=self.run, name="aftercare-scheduler", daemon=True)
        self._thread.start()

    def run(self) -> None:
        """Stand by until the lock is ours, schedule until it is lost or we stop, and repeat."""
        from apscheduler.triggers.interval import IntervalTrigger

        if self._lock.is_shared:
            self._on_state("standby")
        while not self._stopping.is_set():
            if not self._lock.acquire(wait=min(2.0, self._lock.timeout)):
                continue
            # One job id, replaced on every start: a stopped scheduler keeps its jobs.
            self._scheduler.add_job(
                self._keep_lock,
                IntervalTrigger(seconds=max(1, self._lock.timeout // 3)),
                id="aftercare.scheduler.keep-lock",
                name="aftercare.scheduler.keep-lock",
                replace_existing=True,
            )
            self._on_state("active")
            try:
                if not self._stopping.is_set():
                    # BlockingScheduler.start() returns only after shutdown().
                    self._scheduler.start()
            finally:
                self._lock.release()
            if not self._stopping.is_set():
                self._on_state("standby")

    def _keep_lock(self) -> None:
        """Extend the lock; losing it stops scheduling here so that only one scheduler runs."""
        if not self._lock.extend():
            self._scheduler.shutdown(wait=False)

    def request_stop(self) -> None:
        """Ask the schedule to end (safe from a signal handler); `run()` then returns."""
        self._stopping.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def stop(self) -> None:
        """Stop scheduling, wait for the thread, and hand the lock to whoever waits."""
        self.request_stop()
        deadline = time.monotonic() + 10
        while self._thread is not None and self._thread.is_alive():
            if self._scheduler.running:
                self._scheduler.shutdown(wait=False)
            self._thread.join(timeout=0.2)
            if time.monotonic() > deadline:
                logger.warning("The scheduler did not stop within 10 s.")
                break

"""`manage.py prepare`: everything `make run` does before it serves, saying how far it is.

In order: the database's migrations, the demo data (on an empty database), and the search index
(when it is empty). The static files are collected at the same time in a process of their own:
that is mostly compressing files, which other cores do while this one migrates and seeds, and it
is skipped when no static file changed since the last collection.

Operator output, in English; `manage.py serve` prints the logins afterwards, once.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from aftercare.demo.progress import Progress
from aftercare.demo.seed import demo_load, demo_loaded
from aftercare.lib.errors import ApplicationError
from aftercare.search.kinds import kinds
from aftercare.search.models import SearchEntry
from aftercare.search.services import search_documents_put

# Where the fingerprint of the static files last collected is kept (not under STATIC_ROOT, which
# is served).
STATIC_STAMP = "static-collected"
MANIFEST = "staticfiles.json"
# What collects them: collectstatic of these settings, saying each file it copies and writes.
COLLECTSTATIC = ["-m", "django", "collectstatic", "--noinput", "--verbosity", "2"]


class Command(BaseCommand):
    """Migrate, collect the static files, load the demo data and fill the search index."""

    help = (
        "Prepare what `make run` serves, showing progress: migrate the database, collect the "
        "static files (beside the rest, and only when they changed), load the demo data into "
        "an empty database and build the search index when it is empty."
    )

    def add_arguments(self, parser):
        """Whether to collect the static files."""
        parser.add_argument(
            "--static",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Collect the static files when they changed (default: yes).",
        )

    @no_translations
    def handle(self, *args, static: bool = True, **options):
        """Each step in turn, the static files beside them; a summary at the end."""
        started = time.monotonic()
        # Progress writes its own line endings (and rewrites lines in place on a terminal).
        self.stdout.ending = ""
        progress = Progress(self.stdout)
        collection = StaticCollection() if static else None
        if collection is not None:
            if collection.is_current():
                progress.done("Static files are up to date.")
                collection = None
            else:
                collection.start()
                progress.note("Collecting the static files, beside the next steps.")
        try:
            self._migrate(progress, collection)
            self._seed(progress, collection)
            self._index(progress, collection)
            if collection is not None:
                self._wait(progress, collection)
        except BaseException:
            progress.close()
            raise
        finally:
            if collection is not None:
                collection.stop()
        progress.done(f"Prepared in {time.monotonic() - started:.1f} s.")

    def _migrate(self, progress: Progress, collection: "StaticCollection | None") -> None:
        """Apply the migrations, counting them."""
        started = time.monotonic()
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        total = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        if not total:
            progress.step("Checking the database…")
        else:
            progress.step(f"Preparing the database: 0/{total} migrations")
        applied = 0

        def on_applied() -> None:
            nonlocal applied
            applied += 1
            tail = "; finishing" if applied == total else ""
            progress.update(f"Preparing the database: {applied}/{total} migrations{tail}")
            _tell_static(progress, collection)

        call_command(CountingMigrate(on_applied), interactive=False, verbosity=0)
        elapsed = time.monotonic() - started
        if total:
            progress.done(f"Database ready: {total} migrations applied ({elapsed:.1f} s).")
        else:
            progress.done(f"Database is up to date ({elapsed:.1f} s).")

    def _seed(self, progress: Progress, collection: "StaticCollection | None") -> None:
        """Load the demo data into an empty database."""
        if demo_loaded():
            progress.done("Demo data is loaded already.")
            return
        started = time.monotonic()
        current = ""

        def report(what: str, done: int, total: int) -> None:
            nonlocal current
            if what != current:
                current = what
                progress.step(f"Loading demo data: {what}…")
            elif total:
                progress.update(f"Loading demo data: {what} {done}/{total}")
            _tell_static(progress, collection)

        try:
            loaded = demo_load(report=report)
        except ApplicationError as error:
            raise CommandError(f"Could not load the demo data: {error.message}") from error
        result = loaded.result
        progress.done(
            f"Demo data loaded: {', '.join(result.organizations)}; {result.customers} customers, "
            f"{result.tickets} requests ({time.monotonic() - started:.1f} s)."
        )

    def _index(self, progress: Progress, collection: "StaticCollection | None") -> None:
        """Fill the search index when it is empty (the seeding fills it as it goes)."""
        if SearchEntry.objects.exists():
            progress.done("Search index is up to date.")
            return
        started = time.monotonic()
        progress.step("Building the search index…")
        count = 0
        for kind in kinds():
            for batch in kind.documents(None):
                with transaction.atomic():
                    search_documents_put(batch)
                count += len(batch)
                progress.update(f"Building the search index: {kind.name}, {count} documents")
                _tell_static(progress, collection)
        elapsed = time.monotonic() - started
        progress.done(f"Search index built: {count} documents ({elapsed:.1f} s).")

    def _wait(self, progress: Progress, collection: "StaticCollection") -> None:
        """Wait for the static files, if they are not collected yet."""
        if not collection.finished():
            progress.step("Collecting the static files…")
        while not collection.finished():
            progress.update(f"Collecting the static files: {collection.describe()}")
            time.sleep(0.1)
        _tell_static(progress, collection)


def _tell_static(progress: Progress, collection: "StaticCollection | None") -> None:
    """Say, once, that the static files are collected (or why they could not be)."""
    if collection is None or not collection.finished() or collection.told:
        return
    collection.told = True
    collection.check()
    progress.note(f"Static files collected: {collection.describe()} ({collection.elapsed:.1f} s).")


class CountingMigrate(MigrateCommand):
    """`migrate`, calling `on_applied` after each migration it applies."""

    def __init__(self, on_applied) -> None:
        super().__init__()
        self._on_applied = on_applied

    def migration_progress_callback(self, action, migration=None, fake=False):
        """Count applied migrations (the command prints nothing at verbosity 0)."""
        if action == "apply_success":
            self._on_applied()


class StaticCollection:
    """`collectstatic` in a process of its own, and whether it is needed at all: the files it
    would collect (their paths, sizes and times) are fingerprinted, and the fingerprint kept once
    they are collected."""

    def __init__(self) -> None:
        self.stamp_path = Path(settings.VAR_DIR) / STATIC_STAMP
        self.told = False
        self.elapsed = 0.0
        self._process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._started = 0.0
        self._copied = 0
        self._processed = 0
        self._output: deque[str] = deque(maxlen=30)
        self._fingerprint = ""
        self._sources = 0

    def fingerprint(self) -> str:
        """A digest of what collectstatic would collect, and where to."""
        ignore = ["CVS", ".*", "*~", *apps.get_app_config("staticfiles").ignore_patterns]
        digest = hashlib.sha256()
        digest.update(f"{settings.STATIC_ROOT}\n{settings.STORAGES['staticfiles']}\n".encode())
        entries = []
        for finder in get_finders():
            for path, storage in finder.list(ignore):
                stat = os.stat(storage.path(path))
                prefix = getattr(storage, "prefix", None) or ""
                entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
        self._sources = len(set(entries))
        for entry in sorted(entries):
            digest.update(entry.encode() + b"\n")
        return digest.hexdigest()

    def is_current(self) -> bool:
        """Whether the collected files are those of the current sources."""
        self._fingerprint = self.fingerprint()
        manifest = Path(settings.STATIC_ROOT) / MANIFEST
        try:
            kept = self.stamp_path.read_text().strip()
        except OSError:
            return False
        return manifest.exists() and kept == self._fingerprint

    def start(self) -> None:
        """Run collectstatic, reading what it says as it goes."""
        if not self._fingerprint:
            self._fingerprint = self.fingerprint()
        self.stamp_path.unlink(missing_ok=True)
        environment = dict(os.environ)
        environment.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        self._started = time.monotonic()
        self._process = subprocess.Popen(
            [sys.executable, *COLLECTSTATIC],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        self._reader = threading.Thread(target=self._read, name="collectstatic", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith(("Copying '", "Skipping '")):
                self._copied += 1
            elif line.startswith("Post-processed '"):
                self._processed += 1
            else:
                self._output.append(line.rstrip())

    def finished(self) -> bool:
        """Whether collectstatic has ended (all it said read)."""
        if self._process is None or self._process.poll() is None:
            return False
        if self._reader is not None:
            self._reader.join()
        if not self.elapsed:
            self.elapsed = time.monotonic() - self._started
        return True

    def check(self) -> None:
        """Keep the fingerprint of what was collected, or stop with what collectstatic said."""
        assert self._process is not None
        if self._process.returncode != 0:
            said = "\n".join(self._output)
            raise CommandError(f"collectstatic failed ({self._process.returncode}):\n{said}")
        self.stamp_path.write_text(self._fingerprint + "\n")

    def describe(self) -> str:
        """How far it is, in files."""
        copied = min(self._copied, self._sources)
        return f"{copied} of {self._sources} files copied, {self._processed} written"

    def stop(self) -> None:
        """Make sure no collectstatic outlives this command (it was stopped short)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait()

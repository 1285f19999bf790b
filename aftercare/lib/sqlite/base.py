"""Django's SQLite backend, with writers that take turns through a lock file instead of SQLite's
busy handler.

Every transaction here starts with `BEGIN IMMEDIATE` (settings: `transaction_mode`), which takes
SQLite's write lock at once. When another connection holds it, SQLite's busy handler sleeps and
retries on a schedule that grows to 100 ms between tries, so under many concurrent writers a few
waited for seconds (intake's p95 was 0.67 s at 16 connections on two processes) while the lock
sat free. Here a connection first takes an exclusive `flock` on `<database>.write-lock`, shared
by every thread and process that writes to the same file, and only then begins; it lets go when
the transaction commits or rolls back. The kernel frees the lock of a process that dies. Waiting
polls every fraction of a millisecond up to the database's `timeout`, then leaves the rest to
SQLite as before, so a writer waits briefly and "database is locked" does not reach users.

Reads never take the lock (WAL lets them run beside a writer). An in-memory database (the test
suite's) has one connection and needs no turns.
"""

import fcntl
import os
import time

from django.db.backends.sqlite3 import base

POLL_FIRST_SECONDS = 0.0002
POLL_MAX_SECONDS = 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite whose transactions take turns across threads and processes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._turn_fd: int | None = None
        self._holds_turn = False

    def _turn_file(self) -> int | None:
        """The lock file's descriptor for this connection (opened once), or None in memory."""
        if self._turn_fd is None and not self.is_in_memory_db():
            path = f"{self.settings_dict['NAME']}.write-lock"
            self._turn_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._turn_fd

    def _take_turn(self) -> None:
        """Wait for the write lock file, at most the database's timeout."""
        fd = self._turn_file()
        if fd is None or self._holds_turn:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        pause = POLL_FIRST_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's own busy timeout decides from here
                time.sleep(pause)
                pause = min(pause * 2, POLL_MAX_SECONDS)
                continue
            self._holds_turn = True
            return

    def _end_turn(self) -> None:
        """Let the next writer in."""
        if self._holds_turn and self._turn_fd is not None:
            self._holds_turn = False
            fcntl.flock(self._turn_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        """BEGIN IMMEDIATE once it is this connection's turn."""
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn()
            if self._turn_fd is not None:
                os.close(self._turn_fd)
                self._turn_fd = None

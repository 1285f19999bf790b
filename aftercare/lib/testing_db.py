"""A database of its own for tests that run the product in another process (an upgrade, a
process killed mid-work): a new SQLite file, or a new database on the PostgreSQL server the
suite runs on, dropped afterwards."""

import contextlib
import os
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def scratch_database_url(directory: Path) -> Iterator[str]:
    """The URL of a new, empty database of the engine the suite runs on."""
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        yield f"sqlite:///{directory / 'scratch.sqlite3'}"
        return
    url = os.environ["DATABASE_URL"]
    name = f"aftercare_scratch_{uuid.uuid4().hex[:12]}"
    parts = urllib.parse.urlsplit(url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path="/" + name))
    finally:
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scalar(url: str, sql: str) -> int:
    """One number read from the database at `url` (by a connection of its own)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20)) as db:
            return db.execute(sql).fetchone()[0]
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(scheme="postgresql"))) as db:
        return db.execute(sql).fetchone()[0]

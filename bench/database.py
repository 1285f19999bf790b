"""The benchmark's own database: a fresh SQLite file or PostgreSQL database, its one-line
description, fresh planner statistics after a bulk load, and a call timed with its SQL statements
counted."""

import sqlite3
import time
import urllib.parse
from pathlib import Path

from bench.common import BENCH_DIR

PG_BENCH_DATABASE = "aftercare_bench"


LOOPBACK_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def _describe(database_url: str) -> str:
    """A one-line description of the database, for progress output."""
    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version} at /{parts.path.lstrip('/')}"
    return f"PostgreSQL database {parts.path.lstrip('/')} on {parts.hostname or 'local socket'}"


def _fresh_database(url: str) -> tuple[str, str | None]:
    """A database nobody else uses, emptied: a SQLite file, or aftercare_bench on PostgreSQL."""
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        path = BENCH_DIR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", None
    import dj_database_url
    import psycopg

    parsed = dj_database_url.parse(url)
    if (parsed.get("HOST") or "") not in LOOPBACK_HOSTS and not str(parsed["HOST"]).startswith("/"):
        raise SystemExit(
            f"The benchmark only talks to loopback; DATABASE_URL host is {parsed['HOST']}."
        )
    if parsed["NAME"] == PG_BENCH_DATABASE:
        raise SystemExit(
            f"DATABASE_URL already names {PG_BENCH_DATABASE}: point it at your usual database; "
            "the benchmark creates its own next to it."
        )
    connect = {
        "dbname": "postgres",
        "user": parsed.get("USER") or None,
        "password": parsed.get("PASSWORD") or None,
        "host": parsed.get("HOST") or None,
        "port": parsed.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in connect.items() if v}, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_BENCH_DATABASE}"')
        version = conn.execute("SHOW server_version").fetchone()[0]
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{PG_BENCH_DATABASE}")), version


def _analyze() -> None:
    """PostgreSQL plans from statistics: gather them after the bulk load, as autovacuum would."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _timed_call(call):
    """(result, seconds, SQL statements) of `call()`.

    An execute wrapper counts the statements, not CaptureQueriesContext: the debug cursor renders
    every statement with its parameters (on SQLite by asking the database to quote them), which
    would be timed along with the call. It counts the same statements (an executemany is one).
    """
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        """Count each statement (an executemany is one)."""
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return result, seconds, statements

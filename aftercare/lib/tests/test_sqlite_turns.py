"""SQLite writers from several processes and threads take turns: every write lands, none fails
with "database is locked", and a transaction that fails lets the next writer in."""

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from aftercare.lib.sqlite.base import DatabaseWrapper

WRITER = textwrap.dedent(
    """
    import sys, threading, time
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={"default": {
            "ENGINE": "aftercare.lib.sqlite",
            "NAME": sys.argv[1],
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }},
        INSTALLED_APPS=[],
    )
    django.setup()
    from django.db import connection, transaction

    def write(thread):
        for index in range(int(sys.argv[3])):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM entry")
                    (before,) = cursor.fetchone()
                    time.sleep(0.002)  # hold the write lock a little, as a real request does
                    cursor.execute(
                        "INSERT INTO entry (writer, seen) VALUES (%s, %s)",
                        [f"{sys.argv[2]}-{thread}-{index}", before],
                    )
        connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("done")
    """
)


def _wrapper(path, timeout: float = 20) -> DatabaseWrapper:
    return DatabaseWrapper(
        {
            "ENGINE": "aftercare.lib.sqlite",
            "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="turns",
    )


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    """These tests open their own database files, not the suite's test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "turns.sqlite3"
    connection = _wrapper(path)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(
            "CREATE TABLE entry (id INTEGER PRIMARY KEY, writer TEXT UNIQUE, seen INTEGER)"
        )
    connection.close()
    return path


def test_writers_in_four_processes_all_land_and_none_is_refused(database):
    per_thread = 25
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), f"p{n}", str(per_thread)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]

    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "done"
    connection = _wrapper(database)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT seen) FROM entry")
        total, distinct_seen = cursor.fetchone()
    connection.close()
    # 4 processes x 2 threads x 25 transactions; each saw a different count: one at a time.
    assert total == 4 * 2 * per_thread
    assert distinct_seen == total


def test_a_second_writer_waits_for_the_first_to_commit(database):
    first = _wrapper(database)
    first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    began = threading.Event()
    waited = []

    def other():
        second = _wrapper(database)  # a connection belongs to its thread
        started = time.monotonic()
        began.set()
        second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        waited.append(time.monotonic() - started)
        second.rollback()
        second.set_autocommit(True)
        second.close()

    thread = threading.Thread(target=other)
    thread.start()
    began.wait()
    time.sleep(0.2)
    first.commit()
    first.set_autocommit(True)
    thread.join(timeout=10)
    first.close()

    assert waited and waited[0] >= 0.15


def test_a_rolled_back_writer_lets_the_next_one_in_at_once(database):
    first, second = _wrapper(database, timeout=5), _wrapper(database, timeout=5)
    first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    first.rollback()
    first.set_autocommit(True)

    started = time.monotonic()
    second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    elapsed = time.monotonic() - started
    second.rollback()
    second.set_autocommit(True)
    for connection in (first, second):
        connection.close()

    assert elapsed < 0.5


def test_the_lock_belongs_to_one_database_file(database, tmp_path):
    other = tmp_path / "other.sqlite3"
    holder, elsewhere = _wrapper(database), _wrapper(other, timeout=5)
    holder.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    started = time.monotonic()
    elsewhere.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    elapsed = time.monotonic() - started
    for connection in (elsewhere, holder):
        connection.rollback()
        connection.set_autocommit(True)
        connection.close()

    assert elapsed < 0.5
    assert (tmp_path / "turns.sqlite3.write-lock").exists()

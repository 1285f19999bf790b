"""The background runtime as separate processes, as when scaled out.

`manage.py scheduler` enqueues the periodic sweep, `manage.py worker` runs it; with Redis,
several schedulers start and exactly one is active, the others taking over when it stops; the
cache and the websocket layer go through Redis too. Without Redis, an event published in one web
process reaches the websockets another one holds.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from aftercare.e2e.tests.conftest import (
    REPO,
    E2EServer,
    LiveListener,
    _is_postgres,
    _pg_admin,
    _stop,
    _wait_until_up,
    _with_database,
    console_session_cookie,
)
from aftercare.lib.testing import free_port

WAIT_SECONDS = 40


def _manage(env: dict, *args: str, timeout: int = 120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def _start(env: dict, log: Path, *args: str) -> subprocess.Popen:
    handle = log.open("a")
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(predicate, *, what: str, logs: list[Path], seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"{what} did not happen within {seconds}s\n{tails}")


@pytest.fixture
def fresh_env(tmp_path):
    """An environment with its own migrated database (PostgreSQL when the suite runs on it)."""
    outer = os.environ.get("DATABASE_URL", "")
    pg_name = ""
    if _is_postgres(outer):
        pg_name = f"aftercare_rt_{os.getpid()}_{int(time.time())}"
        _pg_admin(outer, f'CREATE DATABASE "{pg_name}"')
        database_url = _with_database(outer, pg_name)
    else:
        database_url = f"sqlite:///{tmp_path / 'runtime.sqlite3'}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        AFTERCARE_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="runtime-test-secret-key",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
        EMAIL_URL=f"file://{tmp_path / 'mail'}",
        SLA_SWEEP_SECONDS="2",
        PYTHONUNBUFFERED="1",
    )
    _manage(env, "migrate", "--noinput", "-v", "0")
    try:
        yield env
    finally:
        if pg_name:
            _pg_admin(outer, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


COUNT_SWEEPS = textwrap.dedent(
    """
    from django_tasks_db.models import DBTaskResult
    rows = DBTaskResult.objects.filter(task_path="aftercare.tickets.tasks.sla_sweep_task")
    print(rows.count(), rows.filter(status="SUCCESSFUL").count())
    """
)


def _sweeps(env: dict) -> tuple[int, int]:
    enqueued, done = _manage(env, "shell", "-c", COUNT_SWEEPS).split()[-2:]
    return int(enqueued), int(done)


def test_the_scheduler_enqueues_and_a_separate_worker_runs(fresh_env, tmp_path):
    scheduler_log, worker_log = tmp_path / "scheduler.log", tmp_path / "worker.log"
    scheduler = _start(fresh_env, scheduler_log, "scheduler")
    try:
        _wait_for(lambda: _sweeps(fresh_env)[0] >= 1, what="a sweep enqueued", logs=[scheduler_log])
        assert _sweeps(fresh_env)[1] == 0  # nobody runs tasks yet
        worker = _start(fresh_env, worker_log, "worker")
        try:
            _wait_for(
                lambda: _sweeps(fresh_env)[1] >= 1,
                what="a sweep run by the worker",
                logs=[scheduler_log, worker_log],
            )
        finally:
            _stop(worker)
    finally:
        _stop(scheduler)
    text = scheduler_log.read_text()
    assert "sla_sweep_task" in text and "Scheduler active." in text
    assert "Scheduler stopped." in text


def _redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (Debian package redis-server)"
        if os.environ.get("AFTERCARE_REQUIRE_REDIS") == "1":
            pytest.fail(f"AFTERCARE_REQUIRE_REDIS=1 but {message}", pytrace=False)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("redis-server did not start", pytrace=False)


@pytest.fixture
def redis_url(tmp_path):
    process, url = _redis_server(tmp_path)
    try:
        yield url
    finally:
        _stop(process)


def test_with_redis_one_scheduler_is_active_and_another_takes_over(fresh_env, redis_url, tmp_path):
    env = {**fresh_env, "REDIS_URL": redis_url, "SCHEDULER_LOCK_SECONDS": "3"}
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _start(env, first_log, "scheduler")
    second = None
    try:
        _wait_for(
            lambda: "Scheduler active." in first_log.read_text(),
            what="first active",
            logs=[first_log],
        )
        second = _start(env, second_log, "scheduler")
        _wait_for(
            lambda: "Scheduler standby." in second_log.read_text(),
            what="second on standby",
            logs=[second_log],
        )
        time.sleep(4)
        assert "Scheduler active." not in second_log.read_text()
        _stop(first)
        _wait_for(
            lambda: "Scheduler active." in second_log.read_text(),
            what="second taking over",
            logs=[first_log, second_log],
            seconds=10,
        )
    finally:
        _stop(first)
        if second is not None:
            _stop(second)


REDIS_CHECK = textwrap.dedent(
    """
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer
    from django.core.cache import cache
    cache.set("runtime-check", "ok", 30)
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.send)(channel, {"type": "check", "text": "hello"})
    from django.core.cache import caches
    print(type(caches["default"]).__name__, cache.get("runtime-check"), type(layer).__name__,
          async_to_sync(layer.receive)(channel)["text"])
    """
)


def test_with_redis_the_cache_and_websocket_layer_use_it(fresh_env, redis_url):
    import redis

    out = _manage({**fresh_env, "REDIS_URL": redis_url}, "shell", "-c", REDIS_CHECK)
    assert out.split()[-4:] == ["RedisCache", "ok", "RedisChannelLayer", "hello"]
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*")]
    assert any("runtime-check" in key for key in keys)


def _post(base_url: str, path: str, body: dict, *, token: str = "") -> dict:
    """POST JSON to the API; the decoded answer (an HTTP error fails the test)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"{base_url}/api/v1{path}", data=json.dumps(body).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def test_an_event_published_in_one_web_process_reaches_a_socket_held_by_another(
    fresh_env, tmp_path
):
    password = "rt-" + secrets.token_urlsafe(12)
    env = {**fresh_env, "DEMO_PASSWORD": password}
    _manage(env, "collectstatic", "--noinput", "-v", "0")  # the sign-in page needs its styles
    setup = _manage(env, "e2e_setup", "--settings=aftercare.e2e.settings")
    demo = json.loads(setup.strip().splitlines()[-1])["demo"]
    assignee = demo["desk"]["agents"]["fa"]
    ports, logs = [free_port(), free_port()], [tmp_path / "a.log", tmp_path / "b.log"]
    servers = []
    for port, log in zip(ports, logs, strict=True):
        options = ["--no-worker", "--no-scheduler", "--workers", "1", "--port", str(port)]
        servers.append(_start(env, log, "serve", "--host", "127.0.0.1", *options))
    listener = None
    try:
        base_a, base_b = (f"http://127.0.0.1:{port}" for port in ports)
        for server, base, log in zip(servers, (base_a, base_b), logs, strict=True):
            _wait_until_up(server, base, log)
        # The assignee's console page is open on server B.
        server_b = E2EServer(base_b, tmp_path / "mail", password, {"demo": demo}, logs[1], env)
        listener = LiveListener(server_b, console_session_cookie(server_b, assignee["email"]))
        assert listener.wait_for(lambda event: event["type"] == "hello", seconds=10)

        # A supervisor assigns a new request to them through server A.
        token = _post(
            base_a, "/auth/token", {"email": demo["supervisor_email"], "password": password}
        )["token"]
        ticket = _post(
            base_a,
            "/tickets/",
            {
                "customer_id": demo["customers"]["fa"]["id"],
                "subject": "The washer leaks",
                "description": "Water under the machine after every wash.",
                "assignee_id": assignee["id"],
            },
            token=token,
        )
        created = time.monotonic()

        def assigned_this(event: dict) -> bool:
            return event["type"] == "assigned" and event["id"] == ticket["id"]

        event = listener.wait_for(assigned_this, seconds=5)
        assert event is not None, (listener.events, logs[0].read_text()[-3000:])
        assert time.monotonic() - created < 5
        assert (event["reference"], event["subject"]) == (ticket["reference"], "The washer leaks")
    finally:
        if listener is not None:
            listener.close()
        for server in servers:
            _stop(server)

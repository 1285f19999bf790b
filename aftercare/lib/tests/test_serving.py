"""What each web process runs for HTTP: static files on the event loop, Django on a bounded pool
of long-lived threads that keep their database connections."""

import asyncio
import os
import threading

import pytest
from django.core.wsgi import get_wsgi_application

from aftercare.lib.serving import http_application


def _scope(path: str, method: str = "GET", *, query: bytes = b"", headers=()) -> dict:
    """An HTTP scope as uvicorn builds it, from loopback."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _call(app, path: str, method: str = "GET", body: bytes = b"") -> tuple[int, dict, bytes]:
    """One HTTP request through an ASGI application; (status, headers, body)."""
    scope = _scope(path, method)
    sent: list[dict] = []
    received = False

    async def receive():
        nonlocal received
        if received:
            await asyncio.sleep(3600)
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, content


@pytest.fixture
def collected(settings, tmp_path):
    """A collected static file, as `collectstatic` leaves it."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "aftercare").mkdir()
    (tmp_path / "aftercare" / "probe.css").write_text("body { color: teal; }")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return tmp_path


def test_a_static_file_is_served_without_reaching_django(collected):
    threads_used = []

    def wsgi(environ, start_response):
        threads_used.append(threading.current_thread().name)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]

    app = http_application(wsgi, threads=2)
    status, headers, body = asyncio.run(_call(app, "/static/aftercare/probe.css"))

    assert (status, body) == (200, b"body { color: teal; }")
    assert headers["content-type"].startswith("text/css")
    assert threads_used == []


@pytest.mark.django_db
def test_other_paths_run_django_on_the_bounded_pool(collected):
    app = http_application(get_wsgi_application(), threads=2)

    async def many():
        return await asyncio.gather(*(_call(app, "/accounts/login/") for _ in range(6)))

    answers = asyncio.run(many())

    assert [status for status, _h, _b in answers] == [200] * 6
    assert all(b'name="csrfmiddlewaretoken"' in body for _s, _h, body in answers)
    # Six requests, at most two threads: the pool is bounded and its threads are reused.
    assert app.application.executor._max_workers == 2
    assert len(app.application.executor._threads) <= 2


def test_a_missing_static_file_falls_through_to_the_application(collected):
    def wsgi(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode()]

    app = http_application(wsgi, threads=1)
    status, _headers, body = asyncio.run(_call(app, "/static/aftercare/nothing.css"))

    assert (status, body) == (404, b"/static/aftercare/nothing.css")


def _echo(environ, start_response):
    """A WSGI application that answers with the body it read, `size` times over if asked."""
    body = environ["wsgi.input"].read()
    times = int(environ.get("QUERY_STRING") or 1)
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return (body for _ in range(times))


async def _call_raw(app, *, body: bytes, chunk: int, query: bytes = b"", declare_length=True):
    """A POST whose body arrives in pieces of `chunk` bytes; every message sent back."""
    length = [(b"content-length", str(len(body)).encode())] if declare_length else []
    scope = _scope("/echo", "POST", query=query, headers=length)
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    queue = [
        {"type": "http.request", "body": piece, "more_body": n < len(pieces) - 1}
        for n, piece in enumerate(pieces)
    ]
    sent = []

    async def receive():
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent


@pytest.mark.parametrize(
    ("size", "declare_length"),
    [(10, True), (300 * 1024, True), (5000, False)],
    ids=["small", "larger-than-the-buffer", "chunked"],
)
def test_a_body_reaches_the_application_whole(size, declare_length):
    app = http_application(_echo, threads=2)
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)

    sent = asyncio.run(_call_raw(app, body=body, chunk=7000, declare_length=declare_length))

    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == body
    assert sent[-1]["more_body"] is False


def test_a_small_answer_goes_out_in_one_message_and_a_large_one_in_chunks():
    app = http_application(_echo, threads=1)
    small = asyncio.run(_call_raw(app, body=b"abc", chunk=10, query=b"3"))
    large = asyncio.run(_call_raw(app, body=b"y" * 100_000, chunk=65536, query=b"5"))

    assert [m["type"] for m in small] == ["http.response.start", "http.response.body"]
    assert small[1]["body"] == b"abcabcabc"
    assert len(large) > 3
    assert b"".join(m.get("body", b"") for m in large[1:]) == b"y" * 500_000
    assert large[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_a_request_whose_client_leaves_mid_body_never_reaches_the_application():
    calls = []

    def app(environ, start_response):
        calls.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b""]

    async def run():
        scope = _scope("/requests/new/", "POST", headers=[(b"content-length", b"100")])
        messages = [
            {"type": "http.request", "body": b"subject=Half", "more_body": True},
            {"type": "http.disconnect"},
        ]
        sent = []

        async def receive():
            return messages.pop(0)

        async def send(message):
            sent.append(message)

        await http_application(app, threads=1)(scope, receive, send)
        return sent

    assert asyncio.run(run()) == []
    assert calls == []


def test_a_web_process_freezes_what_it_loaded_at_start_up(tmp_path):
    # In a process of its own, as `serve` starts one: importing the ASGI application loads every
    # route's view and freezes what is alive, so collections skip it.
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import gc, sys\n"
        "assert gc.get_freeze_count() == 0\n"
        "import aftercare.asgi\n"
        "assert 'aftercare.tickets.views' in sys.modules\n"
        "print(gc.get_freeze_count())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aftercare.settings_test",
        "AFTERCARE_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 50_000


def test_the_load_board_says_when_another_process_has_a_thread_free(tmp_path):
    from aftercare.lib.serving import LoadBoard

    path = str(tmp_path / "board")
    LoadBoard.create(path)
    # Two web processes of one server (this test's process stands for both; a third slot's
    # process is gone and must not count as free).
    parent = os.getppid()
    mine, other = LoadBoard(path, pid=os.getpid()), LoadBoard(path, pid=parent)
    gone = LoadBoard(path, pid=_a_finished_process())
    assert len({mine._offset, other._offset, gone._offset}) == 3

    for _ in range(3):
        mine.started()
    other.started()
    other.started()
    # Three in hand on two threads, and the other has none free: stay.
    assert not mine.should_hand_over(threads=2)
    other.finished()
    # Now the other has a thread free: the next answered connection should move there.
    assert mine.should_hand_over(threads=2)
    mine.finished()
    # Two in hand on two threads: nothing waits here.
    assert not mine.should_hand_over(threads=2)
    # A slot left by a process that died is taken by the next process to start (pid 1 stands
    # for it: alive, and not yet on the board).
    assert LoadBoard(path, pid=1)._offset == gone._offset


def _a_finished_process() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_process_with_requests_waiting_closes_the_connection_it_answered(tmp_path):
    from aftercare.lib.serving import LoadBoard, WsgiOnThreads

    path = str(tmp_path / "board")
    LoadBoard.create(path)
    board = LoadBoard(path)
    idle = LoadBoard(path, pid=os.getppid())  # another process, nothing in hand
    app = WsgiOnThreads(_echo, threads=1, board=board)

    async def two_at_once():
        return await asyncio.gather(_call(app, "/a", "POST", b"x"), _call(app, "/b", "POST", b"y"))

    answers = asyncio.run(two_at_once())
    # One thread, two requests: the first answered left one waiting, so its connection closes.
    assert sorted(headers.get("connection", "") for _s, headers, _b in answers) == ["", "close"]
    assert board.in_hand == 0 and idle.in_hand == 0

    idle.started()  # the other process is as busy as it can be: no reason to move
    answers = asyncio.run(two_at_once())
    assert all("connection" not in headers for _s, headers, _b in answers)

    alone = WsgiOnThreads(_echo, threads=1)  # a single web process has no board

    async def two_alone():
        return await asyncio.gather(*(_call(alone, "/c", "POST", b"z") for _ in range(2)))

    assert all("connection" not in headers for _s, headers, _b in asyncio.run(two_alone()))


def test_a_missing_load_board_leaves_the_process_serving_alone(tmp_path, monkeypatch, caplog):
    from aftercare.lib.serving import LOAD_BOARD_ENV

    monkeypatch.setenv(LOAD_BOARD_ENV, str(tmp_path / "gone"))
    app = http_application(_echo, threads=1)
    assert app.application.board is None
    assert "unusable" in caplog.text
    status, headers, body = asyncio.run(_call(app, "/x", "POST", b"still here"))
    assert (status, body) == (200, b"still here") and "connection" not in headers

"""What each web process runs for HTTP: static files on the event loop, Django on a bounded pool
of long-lived threads that keep their database connections."""

import asyncio
import threading

import pytest
from django.core.wsgi import get_wsgi_application

from aftercare.lib.serving import http_application


async def _call(app, path: str, method: str = "GET", body: bytes = b"") -> tuple[int, dict, bytes]:
    """One HTTP request through an ASGI application; (status, headers, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
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

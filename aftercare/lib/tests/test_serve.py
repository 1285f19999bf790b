"""`manage.py serve`: its banner, uvicorn's configuration and the companions around it."""

import io

import pytest
import uvicorn
from django.core.management import call_command

from aftercare.lib.management.commands import serve
from aftercare.lib.runtime import startup_notes


@pytest.fixture
def var_dir(db, settings, tmp_path, monkeypatch):
    """A private var/ and no DEMO_PASSWORD."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return tmp_path


def test_startup_lines_show_urls_then_what_the_apps_add(var_dir, monkeypatch):
    monkeypatch.setattr(startup_notes, "_receivers", [])

    def notes(*, base_url: str) -> list[str]:
        return [f"  Extra:     {base_url}/extra/"]

    startup_notes.connect(notes)

    assert serve.startup_lines(host="::1", port=9000) == [
        "aftercare is starting.",
        "  Console:   http://[::1]:9000/",
        "  API docs:  http://[::1]:9000/api/v1/docs",
        "  Extra:     http://[::1]:9000/extra/",
    ]


def test_serve_prints_the_banner_and_runs_uvicorn_with_the_asgi_app(var_dir, monkeypatch):
    seen = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    out = io.StringIO()

    call_command("serve", "--host", "127.0.0.1", "--port", "8123", "--no-access-log", stdout=out)

    assert "Console:   http://127.0.0.1:8123/" in out.getvalue()
    (config,) = seen
    assert (config.app, config.host, config.port) == (serve.ASGI_APP, "127.0.0.1", 8123)
    assert config.workers == 1
    assert config.access_log is False


def test_serve_starts_and_stops_companions_around_the_web_server(var_dir, monkeypatch):
    calls = []

    class Recorder:
        """A companion that records when it is started and stopped."""

        name = "recorder"

        def start(self):
            """Record the start."""
            calls.append("start")

        def stop(self):
            """Record the stop."""
            calls.append("stop")

    monkeypatch.setattr(serve, "companions", lambda options: [Recorder()])
    monkeypatch.setattr(serve, "_serve_web", lambda options: calls.append(("web", options.port)))

    call_command("serve", "--port", "8124", stdout=io.StringIO())

    assert calls == ["start", ("web", 8124), "stop"]

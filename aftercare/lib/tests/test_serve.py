"""`manage.py serve`: its banner, uvicorn's configuration and the companions around it."""

import io
import os

import pytest
import uvicorn
from django.core.management import call_command

from aftercare.lib.management.commands import serve
from aftercare.lib.runtime import startup_notes
from aftercare.lib.serving import LOAD_BOARD_ENV


@pytest.fixture(autouse=True)
def site_url_restored(monkeypatch):
    """`serve` sets SITE_URL in the environment when it is unset: put it back afterwards."""
    monkeypatch.setenv("SITE_URL", "unset")
    monkeypatch.delenv("SITE_URL")


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


def test_serve_prints_the_banner_and_runs_uvicorn_with_the_asgi_app(var_dir, settings, monkeypatch):
    seen = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    monkeypatch.setenv("WEB_THREADS", "4")
    settings.WEB_THREADS = 3
    out = io.StringIO()

    call_command(
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
        "--no-access-log",
        "--workers",
        "1",
        stdout=out,
    )

    assert "Console:   http://127.0.0.1:8123/" in out.getvalue()
    assert "Serving:   1 web process(es) x 3 threads" in out.getvalue()
    (config,) = seen
    assert (config.app, config.host, config.port) == (serve.ASGI_APP, "127.0.0.1", 8123)
    assert config.workers == 1
    assert config.access_log is False
    # The access log masks the tokens of emailed links (aftercare/lib/logfilters.py).
    assert config.log_config["handlers"]["access"]["filters"] == [
        "redact_secrets",
        "client_errors_without_traceback",
    ]


class FakeSupervisor:
    """Stands for uvicorn's Multiprocess: records what it was asked to supervise."""

    started: list = []

    def __init__(self, config, sockets):
        self.config, self.sockets = config, sockets

    def run(self):
        """Record instead of spawning processes, with the load board they would inherit."""
        self.board = serve.os.environ.get(LOAD_BOARD_ENV)
        self.board_existed = bool(self.board) and os.path.exists(self.board)
        FakeSupervisor.started.append(self)
        for sock in self.sockets:
            sock.close()


def test_by_default_one_web_process_per_core_on_one_socket(var_dir, settings, monkeypatch):
    settings.WEB_WORKERS = 0
    monkeypatch.setattr(serve, "cores", lambda: 3)
    monkeypatch.setattr(serve, "Multiprocess", FakeSupervisor)
    monkeypatch.setattr(serve, "companions", lambda options: [])
    monkeypatch.setenv("WEB_THREADS", "4")
    FakeSupervisor.started = []

    call_command("serve", "--port", "0", "--threads", "6", stdout=io.StringIO())

    (supervisor,) = FakeSupervisor.started
    assert supervisor.config.workers == 3
    assert len(supervisor.sockets) == 1
    # Each web process reads its thread count from the environment it inherits.
    assert serve.os.environ["WEB_THREADS"] == "6"
    # ...and the board on which the processes say how busy they are, gone once they stop.
    assert supervisor.board_existed
    assert supervisor.board.startswith(str(settings.VAR_DIR))
    assert not os.path.exists(supervisor.board)
    assert LOAD_BOARD_ENV not in serve.os.environ


def test_web_workers_setting_overrides_the_core_count(var_dir, settings, monkeypatch):
    settings.WEB_WORKERS = 5
    monkeypatch.setattr(serve, "cores", lambda: 2)
    assert serve.default_workers() == 5
    settings.WEB_WORKERS = 0
    assert serve.default_workers() == 2


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


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),  # noqa: S104
        ("::1", 8000, "http://[::1]:8000"),
    ],
)
def test_links_in_mail_follow_the_port_served_when_site_url_is_not_set(
    host, port, expected, settings, monkeypatch
):
    assert serve.follow_site_url(host=host, port=port) == expected

    assert settings.SITE_URL == os.environ["SITE_URL"] == expected


def test_a_site_url_that_is_set_is_kept(settings, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://support.example.com")
    settings.SITE_URL = "https://support.example.com"

    assert serve.follow_site_url(host="127.0.0.1", port=9000) == "https://support.example.com"
    assert os.environ["SITE_URL"] == "https://support.example.com"


@pytest.mark.parametrize(("flag", "expected"), [([], False), (["--proxy-headers"], True)])
def test_behind_a_proxy_the_client_address_comes_from_trusted_proxies_only(
    var_dir, settings, monkeypatch, flag, expected
):
    """Finding 4 of the outside review: `serve` hard-coded proxy_headers=False, so behind a
    TLS proxy every client had the proxy's address and the whole site shared one quota."""
    seen = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    call_command("serve", "--workers", "1", *flag, stdout=io.StringIO())
    (config,) = seen
    assert config.proxy_headers is expected
    assert config.forwarded_allow_ips == ["10.0.0.0/8", "127.0.0.1"]


def test_the_proxy_setting_turns_proxy_headers_on(var_dir, settings, monkeypatch):
    seen = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    settings.PROXY_HEADERS = True
    call_command("serve", "--workers", "1", stdout=io.StringIO())
    assert seen[0].proxy_headers is True
    call_command("serve", "--workers", "1", "--no-proxy-headers", stdout=io.StringIO())
    assert seen[1].proxy_headers is False

"""`manage.py serve`: run aftercare with uvicorn, as `make run` does.

HTTP and websockets share one address. By default there is one web process per core, each
running Django on a few long-lived threads (aftercare/lib/serving.py); uvicorn's supervisor hands
them connections from one shared socket. Anything else the embedded deployment runs (the task
worker, the scheduler) is a companion: started in the supervisor before the web processes and
stopped after them, so it runs exactly once however many web processes there are. Events the
worker publishes reach sockets held by any web process through the channel layer
(aftercare/lib/channel_layer.py; Redis with REDIS_URL).
"""

import argparse
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand
from uvicorn.supervisors import Multiprocess

from aftercare.lib.logfilters import with_log_filters
from aftercare.lib.runtime import Scheduler, TaskWorker, startup_notes
from aftercare.lib.serving import LOAD_BOARD_ENV, LoadBoard

ASGI_APP = "aftercare.asgi:application"


class Companion(Protocol):
    """Something that runs beside the web server in the same process."""

    name: str

    def start(self) -> None:
        """Begin working (in a thread of its own); return at once."""

    def stop(self) -> None:
        """Finish the current job and return."""


@dataclass(frozen=True)
class ServeOptions:
    """What the command line asked for."""

    host: str
    port: int
    workers: int
    threads: int
    access_log: bool
    log_level: str
    proxy_headers: bool = False
    worker: bool = True
    scheduler: bool = True


def companions(options: ServeOptions) -> list[Companion]:
    """The task worker and the scheduler, unless the command line leaves them to others."""
    running: list[Companion] = []
    if options.worker:
        running.append(TaskWorker())
    if options.scheduler:
        running.append(Scheduler())
    return running


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """WEB_WORKERS, or one web process per core."""
    return settings.WEB_WORKERS or cores()


def _url_host(host: str) -> str:
    """The host as it appears in a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


def follow_site_url(*, host: str, port: int) -> str:
    """SITE_URL (the base of links in mail) when it is not set: where this server listens,
    loopback for a wildcard address. Set here for this process (its task worker sends the
    mail) and in the environment for the web processes it starts."""
    if os.environ.get("SITE_URL"):
        return settings.SITE_URL
    reachable = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104
    site_url = f"http://{_url_host(reachable)}:{port}"
    os.environ["SITE_URL"] = settings.SITE_URL = site_url
    return site_url


def startup_lines(*, host: str, port: int) -> list[str]:
    """What the operator reads before the server starts: where to go, and what the apps add
    (the demo's portal and logins, when the demo data is loaded)."""
    base = f"http://{_url_host(host)}:{port}"
    lines = [
        "aftercare is starting.",
        f"  Console:   {base}/",
        f"  API docs:  {base}/api/v1/docs",
    ]
    for notes in startup_notes.collect(base_url=base):
        lines += notes
    return lines


class Command(BaseCommand):
    """Serve the ASGI application with uvicorn on HOST:PORT."""

    help = (
        "Serve aftercare with uvicorn, with the task worker and the scheduler in the same process."
    )

    def add_arguments(self, parser):
        """Host, port, workers and logging."""
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (loopback).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Web processes (default: WEB_WORKERS, else one per core); the worker and the "
            "scheduler still run once.",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Requests each web process runs at once (default: WEB_THREADS, 2).",
        )
        parser.add_argument(
            "--no-access-log",
            dest="access_log",
            action="store_false",
            help="Do not log every request (for benchmarks).",
        )
        parser.add_argument(
            "--proxy-headers",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Behind a reverse proxy: take the client's address and scheme from the "
            "X-Forwarded-For and X-Forwarded-Proto headers of the proxies in TRUSTED_PROXIES "
            "(default: PROXY_HEADERS, off).",
        )
        parser.add_argument(
            "--log-level",
            default="info",
            choices=["critical", "error", "warning", "info", "debug"],
            help="uvicorn's log level.",
        )
        parser.add_argument(
            "--no-worker",
            dest="worker",
            action="store_false",
            help="Do not run tasks here (when `manage.py worker` runs elsewhere).",
        )
        parser.add_argument(
            "--no-scheduler",
            dest="scheduler",
            action="store_false",
            help="Do not schedule periodic tasks here (when `manage.py scheduler` runs elsewhere).",
        )

    def handle(self, *args, **options):
        """Print the URLs and logins, start the companions, then serve until stopped."""
        serve_options = ServeOptions(
            host=options["host"],
            port=options["port"],
            workers=max(1, options["workers"] or default_workers()),
            threads=max(1, options["threads"] or settings.WEB_THREADS),
            access_log=options["access_log"],
            log_level=options["log_level"],
            proxy_headers=(
                settings.PROXY_HEADERS
                if options["proxy_headers"] is None
                else options["proxy_headers"]
            ),
            worker=options["worker"],
            scheduler=options["scheduler"],
        )
        follow_site_url(host=serve_options.host, port=serve_options.port)
        lines = startup_lines(host=serve_options.host, port=serve_options.port)
        lines.append(
            f"  Serving:   {serve_options.workers} web process(es) x {serve_options.threads} "
            "threads; task worker and scheduler "
            + (
                "in this process."
                if serve_options.worker or serve_options.scheduler
                else "elsewhere."
            )
        )
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        running: list[Companion] = []
        try:
            for companion in companions(serve_options):
                companion.start()
                running.append(companion)
            _serve_web(serve_options)
        finally:
            for companion in reversed(running):
                companion.stop()


def _serve_web(options: ServeOptions) -> None:
    """Run uvicorn in this process, or as a supervisor of several worker processes."""
    # Read by aftercare.asgi in every web process, this one included when there is only one.
    os.environ["WEB_THREADS"] = str(options.threads)
    config = uvicorn.Config(
        ASGI_APP,
        host=options.host,
        port=options.port,
        workers=options.workers,
        # Django's ASGI handler does not speak the lifespan protocol.
        lifespan="off",
        access_log=options.access_log,
        log_level=options.log_level,
        # Uvicorn's own handlers, masking the tokens of emailed links in the access log.
        log_config=with_log_filters(uvicorn.config.LOGGING_CONFIG),
        # Behind a proxy, the client's address (which rate limits count) and the scheme come
        # from the forwarding headers, and only when a trusted proxy sent them.
        proxy_headers=options.proxy_headers,
        forwarded_allow_ips=list(settings.TRUSTED_PROXIES),
    )
    if options.workers > 1:
        # Each web process says on this board how many requests it has in hand, so that a
        # connection moves off a process that has none of its threads free (lib/serving.py).
        descriptor, board = tempfile.mkstemp(prefix="web-load-", dir=settings.VAR_DIR)
        os.close(descriptor)
        LoadBoard.create(board)
        os.environ[LOAD_BOARD_ENV] = board
        try:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        finally:
            os.environ.pop(LOAD_BOARD_ENV, None)
            Path(board).unlink(missing_ok=True)
    else:
        uvicorn.Server(config).run()

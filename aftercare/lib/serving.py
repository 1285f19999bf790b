"""How HTTP reaches Django inside each web process: static files first, then Django's WSGI handler
in a bounded pool of threads; websockets stay on the ASGI side (see aftercare/asgi.py).

Why not Django's ASGI handler: it runs every sync view in a new thread with a new database
connection, and with 16 connections on one process about 26 threads fought over the GIL and a lock
that asgiref takes on each translation look-up (measured: the queue page went from 19 req/s at 2
connections to 10 at 16). Here each process runs at most `WEB_THREADS` requests at once on
threads that live as long as the process, each keeping its database connection
(`CONN_MAX_AGE`); the event loop only parses HTTP, serves static files and holds websockets.
Processes, one per core by default, are what `manage.py serve` multiplies.

Static files are answered on the event loop from ServeStatic's table of collected files (built
once per process, hashed names cached for a year), so they never take a thread from Django.
"""

from typing import Any

from a2wsgi import WSGIMiddleware
from django.conf import settings

Scope = dict[str, Any]


class StaticFiles:
    """ASGI: answer requests for collected static files from a table built once per process,
    and pass the rest on. Reuses ServeStatic's Django integration (manifest, immutable hashed
    names, compressed copies) without its middleware, which costs every WSGI request an event
    loop."""

    def __init__(self, application) -> None:
        from servestatic.middleware import ServeStaticMiddleware

        async def _unused(request):  # the middleware insists on an async get_response
            raise AssertionError("StaticFiles passes non-static requests to the application")

        self.application = application
        self.files = ServeStaticMiddleware(_unused)
        self.prefix = settings.STATIC_URL

    async def __call__(self, scope: Scope, receive, send) -> None:
        """Serve a static file when the path names one; otherwise call the application."""
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            static_file = self._find(scope["path"])
            if static_file is not None:
                from servestatic.asgi import FileServerASGI

                await FileServerASGI(static_file)(scope, receive, send)
                return
        await self.application(scope, receive, send)

    def _find(self, path: str):
        """The static file (or redirect) for a URL path, or None."""
        if self.files.autorefresh:
            return self.files.find_file(path)
        return self.files.files.get(path)


def http_application(wsgi_application, *, threads: int):
    """The ASGI application for HTTP: static files, then Django's WSGI handler on `threads`
    long-lived threads (requests beyond that wait their turn in arrival order)."""
    return StaticFiles(WSGIMiddleware(wsgi_application, workers=max(1, threads)))

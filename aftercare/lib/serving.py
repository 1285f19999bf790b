"""How HTTP reaches Django inside each web process: static files first, then Django's WSGI handler
in a bounded pool of threads; websockets stay on the ASGI side (see aftercare/asgi.py).

Why not Django's ASGI handler: it runs every sync view in a new thread with a new database
connection, and with 16 connections on one process about 26 threads fought over the GIL and a lock
that asgiref takes on each translation look-up (measured: the queue page went from 19 req/s at 2
connections to 10 at 16). Here each process runs at most `WEB_THREADS` requests at once on
threads that live as long as the process, each keeping its database connection
(`CONN_MAX_AGE`); the event loop only parses HTTP, serves static files and holds websockets.
Processes, one per core by default, are what `manage.py serve` multiplies.

Each request crosses between the event loop and its thread once each way: a body of known,
modest size is read on the loop before Django runs, and the response is collected in the thread
and sent in one piece. (a2wsgi's adapter, whose environ and streaming body this reuses, crosses
for every body read and every response message and waits for the loop each time. The same code
with either adapter, alternated twice at 16 connections: intake 135 and 183 requests/s against
131 and 150, p95 0.15-0.22 s against 0.21-0.24 s; the queue page and the API list level.)
Larger or chunked bodies are read as Django asks for them, so its size
limits refuse a body before it is read; large and streaming responses (attachments) go out
chunk by chunk from the thread that made them.

Static files are answered on the event loop from ServeStatic's table of collected files (built
once per process, hashed names cached as immutable), so they never take a thread from Django.

The web processes share one listening socket, and a keep-alive connection stays with the process
that accepted it. Four connections could all land on one process, which then ran them two at a
time while the other core idled (measured: the queue page at 67 and the ticket page at 60
requests/s in such runs, against 170 and 120). So each process writes how many requests it has
in hand to a shared board (`LoadBoard`); a process holding more than its threads, while another
has a thread free, closes the connection after the answer (`Connection: close`), and the
client's next connection is accepted by a process that is free to take it.
"""

import asyncio
import contextvars
import fcntl
import io
import logging
import mmap
import os
import struct
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi.wsgi import Body, build_environ
from django.conf import settings
from servestatic.asgi import FileServerASGI

# Bodies up to this size are read before Django runs; responses up to it are sent in one piece.
BUFFER_BYTES = 256 * 1024

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
                await FileServerASGI(static_file)(scope, receive, send)
                return
        await self.application(scope, receive, send)

    def _find(self, path: str):
        """The static file (or redirect) for a URL path, or None."""
        if self.files.autorefresh:
            return self.files.find_file(path)
        return self.files.files.get(path)


logger = logging.getLogger(__name__)

# The environment variable naming the board file `manage.py serve` makes for its web processes.
LOAD_BOARD_ENV = "AFTERCARE_WEB_LOAD_BOARD"


class LoadBoard:
    """How many requests each web process of one server has in hand, in a small file they all
    map: one slot (process id, count) per process. Each process writes only its own slot, from
    its event loop; the others read it, a moment stale at worst, which is all a hint needs."""

    SLOT = struct.Struct("<qq")
    SLOTS = 64

    def __init__(self, path: str, *, pid: int | None = None) -> None:
        self.pid = pid or os.getpid()
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        try:
            size = self.SLOT.size * self.SLOTS
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)
            self._map = mmap.mmap(fd, size)
            fcntl.flock(fd, fcntl.LOCK_EX)  # claiming a slot: one process at a time
            try:
                self._offset = self._claim()
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
        self.in_hand = 0

    @classmethod
    def create(cls, path: str) -> None:
        """An empty board for a server's processes (`manage.py serve`)."""
        with open(path, "wb") as board:
            board.write(b"\0" * cls.SLOT.size * cls.SLOTS)

    def _claim(self) -> int:
        """This process's slot: an empty one, or one whose process is gone."""
        for index in range(self.SLOTS):
            offset = index * self.SLOT.size
            pid, _count = self.SLOT.unpack_from(self._map, offset)
            if pid == 0 or pid == self.pid or not _alive(pid):
                self.SLOT.pack_into(self._map, offset, self.pid, 0)
                return offset
        raise RuntimeError("The web load board has no free slot.")

    def started(self) -> None:
        """A request arrived."""
        self.in_hand += 1
        self.SLOT.pack_into(self._map, self._offset, self.pid, self.in_hand)

    def finished(self) -> None:
        """A request was answered (or its client left)."""
        self.in_hand -= 1
        self.SLOT.pack_into(self._map, self._offset, self.pid, self.in_hand)

    def should_hand_over(self, threads: int) -> bool:
        """Whether the connection just answered is better served by another process: this one
        has requests waiting for a thread while another has a thread free. (Also moving
        connections off a queue two rounds longer than another's measured no better.)"""
        if self.in_hand <= threads:
            return False
        for index in range(self.SLOTS):
            offset = index * self.SLOT.size
            if offset == self._offset:
                continue
            pid, count = self.SLOT.unpack_from(self._map, offset)
            if not pid:
                continue
            if count < threads and _alive(pid):
                return True
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_CLOSE = (b"connection", b"close")


class WsgiOnThreads:
    """ASGI for HTTP: a WSGI application run on a fixed pool of threads."""

    def __init__(self, application, *, threads: int, board: LoadBoard | None = None) -> None:
        self.application = application
        self.threads = threads
        self.board = board
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="web")

    async def __call__(self, scope: Scope, receive, send) -> None:
        """Read a small body, run the application on a thread, send what it answered."""
        board = self.board
        if board is None:
            await self._handle(scope, receive, send)
            return
        board.started()
        try:
            await self._handle(scope, receive, send)
        finally:
            board.finished()

    async def _handle(self, scope: Scope, receive, send) -> None:
        loop = asyncio.get_running_loop()
        body = await _body(scope, receive, loop)
        if body is None:
            return  # the client left before its request arrived whole: nothing is run
        environ = build_environ(scope, body)
        run = contextvars.copy_context().run
        answer = await loop.run_in_executor(self.executor, run, self._respond, environ, send, loop)
        if answer is not None:
            start, body = answer
            if self.board is not None and self.board.should_hand_over(self.threads):
                start["headers"].append(_CLOSE)
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

    def _respond(self, environ: dict, send, loop) -> tuple[dict, bytes] | None:
        """In a pool thread: the whole response, or None when it was streamed from here."""
        started: dict = {}

        def start_response(status: str, headers, exc_info=None):
            started["message"] = {
                "type": "http.response.start",
                "status": int(status.split(" ", 1)[0]),
                "headers": [
                    (name.strip().encode("latin1").lower(), value.strip().encode("latin1"))
                    for name, value in headers
                ],
            }
            return chunks.append

        chunks: list[bytes] = []
        iterable = self.application(environ, start_response)
        try:
            size = 0
            iterator = iter(iterable)
            for chunk in iterator:
                chunks.append(chunk)
                size += len(chunk)
                if size > BUFFER_BYTES:
                    self._stream(started["message"], chunks, iterator, send, loop)
                    return None
        finally:
            # Django's request_finished (closing this thread's database connection when due)
            # runs here, in the thread that used the connection.
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        return started["message"], b"".join(chunks)

    @staticmethod
    def _stream(start: dict, chunks: list[bytes], iterator, send, loop) -> None:
        """Send a large response chunk by chunk, each once the loop has taken the previous."""

        def out(message: dict) -> None:
            asyncio.run_coroutine_threadsafe(send(message), loop).result()

        out(start)
        out({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
        for chunk in iterator:
            if chunk:
                out({"type": "http.response.body", "body": chunk, "more_body": True})
        out({"type": "http.response.body", "body": b"", "more_body": False})


async def _body(scope: Scope, receive, loop):
    """The request body as a file: read now when its declared length is small, else read as
    the application asks for it (so its size limits act before the rest arrives). None when
    the client went away first: half a form must not reach a view."""
    length = None
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None
    if length is None or length > BUFFER_BYTES:
        return Body(loop, receive)
    data = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        data += message.get("body", b"")
        more = message.get("more_body", False)
    return io.BytesIO(bytes(data))


def http_application(wsgi_application, *, threads: int):
    """The ASGI application for HTTP: static files, then Django's WSGI handler on `threads`
    long-lived threads (requests beyond that wait their turn in arrival order). Among several
    web processes (`manage.py serve` names their load board), connections move to where a
    thread is free."""
    board = None
    path = os.environ.get(LOAD_BOARD_ENV)
    if path:
        try:
            board = LoadBoard(path)
        except (OSError, RuntimeError) as error:
            # A hint, not a need: without it this process serves as if it were alone.
            logger.warning("Web load board %s unusable (%s); serving without it.", path, error)
    return StaticFiles(WsgiOnThreads(wsgi_application, threads=max(1, threads), board=board))


def freeze_startup_objects() -> int:
    """Load the URLconf (every app's views) and move everything alive so far out of the garbage
    collector's sight; returns how many objects that was.

    What a web process loads at start-up lives as long as the process, yet each full collection
    scanned it again: on the queue and ticket pages that was about 0.35 ms of each request
    (0.5 against 0.2 ms, measured in one process over 200 requests).
    """
    import gc

    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - compiles every route now, not on a first request
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()

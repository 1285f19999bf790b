"""A channel layer for one machine that crosses processes: the default when there is no Redis.

`manage.py serve` runs several web processes on one port and the task worker once, in the
supervisor above them. A console websocket lives in one web process, while the event meant for it
is published in any other (a request served elsewhere, the task worker). channels'
`InMemoryChannelLayer` sees its own process only, so this layer extends it:

- Each process keeps the groups of the websockets it holds in memory, as before.
- `group_send` delivers to the local members, and sends the message once, as one Unix datagram,
  to every other process's socket in a shared private directory. A process receiving it delivers
  it to its own members only and never passes it on, so a message crosses at most one hop.
- A process binds its socket the first time it joins a group, in the event loop of the server,
  which reads it; a process that only publishes (the supervisor) binds nothing.

Why datagrams: one message is one non-blocking `sendto`, which works from any thread and from the
short-lived event loops `async_to_sync` makes, with no connection to open, keep or repair and no
broker to run. The kernel keeps each message whole, and the list of peers is the directory itself:
a process removes its file at exit, and the file of one that could not (killed by a signal, as
uvicorn ends itself after a SIGTERM) answers "connection refused" and the next sender removes it.

Delivery is at most once, as with every channel layer (channels_redis too). A message that cannot
be encoded as JSON or does not fit in one datagram (`MAX_DATAGRAM_BYTES`) is delivered locally
only, with a warning. A peer's queue holds few datagrams (`net.unix.max_dgram_qlen`, 10 by
default): the sender waits up to about a quarter of a second for room, then drops the message for
that peer with a warning, and for a while (`CONGESTED_SECONDS`) does not wait for it again. A page
that missed an event shows the truth on its next load.

One machine only: the directory is local. For several machines, set REDIS_URL and the layer is
channels_redis. Only groups cross processes: `send` to a single channel stays in its process, and
the console's consumers never send to one another.
"""

import asyncio
import atexit
import json
import logging
import os
import secrets
import socket
import stat
import time
from pathlib import Path

from channels.layers import InMemoryChannelLayer
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("aftercare.realtime")

# Well under what one Unix datagram carries with Linux's default buffers (about 200 KB); a
# console event is a few hundred bytes.
MAX_DATAGRAM_BYTES = 60_000
# How long a sender waits, in turn, for room in a peer's full queue (about 0.25 s in all).
FULL_QUEUE_WAITS = (0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128)
# After a peer dropped a message, how long its full queue drops messages without waiting.
CONGESTED_SECONDS = 10.0
# AF_UNIX paths are limited to 108 bytes, the final NUL included; room for "<pid>-<hex>.sock".
MAX_DIRECTORY_LENGTH = 107 - len("/4194304-0123456789abcdef.sock")

SENT, FULL = "sent", "full"


class CrossProcessChannelLayer(InMemoryChannelLayer):
    """InMemoryChannelLayer whose group messages also reach the other processes of the machine
    that share its directory, through Unix datagrams."""

    def __init__(self, directory: str, **kwargs) -> None:
        """Keep the shared directory; nothing is created or bound until it is needed."""
        super().__init__(**kwargs)
        if len(os.fsencode(directory)) > MAX_DIRECTORY_LENGTH:
            raise ImproperlyConfigured(
                f"The channel layer's directory {directory!r} is too long for a Unix socket "
                f"path (at most {MAX_DIRECTORY_LENGTH} bytes)."
            )
        self.directory = Path(directory)
        self._receiver: socket.socket | None = None
        self._path = ""
        self._owner_pid = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task] = set()
        self._congested: dict[str, float] = {}
        self._exit_registered = False

    # The groups extension, across processes.

    async def group_add(self, group: str, channel: str) -> None:
        """Join as before, and make sure this process listens for the other processes."""
        await super().group_add(group, channel)
        self._listen(asyncio.get_running_loop())

    async def group_send(self, group: str, message: dict) -> None:
        """Deliver to this process's members, then to every other process's."""
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        await self._send_local(group, message)
        payload = self._encode(group, message)
        if payload is not None:
            await self._broadcast(payload, group)

    async def flush(self) -> None:
        """Forget every channel and group, and stop listening."""
        await super().flush()
        self._unbind()

    async def close(self) -> None:
        """Stop listening: the socket and its file go."""
        await super().close()
        self._unbind()

    # Local delivery.

    async def _deliver_local(self, group: str, message: dict) -> None:
        """InMemoryChannelLayer's group_send: this process's members only."""
        await InMemoryChannelLayer.group_send(self, group, message)

    async def _send_local(self, group: str, message: dict) -> None:
        """Deliver to local members in the loop their queues belong to.

        A publish from a web thread runs in a loop of its own; asyncio queues are not thread-safe,
        so the delivery is handed to the loop that holds the websockets."""
        home = self._loop
        if home is None or home is asyncio.get_running_loop() or not home.is_running():
            await self._deliver_local(group, message)
            return
        try:
            asyncio.run_coroutine_threadsafe(self._deliver_local(group, message), home)
        except RuntimeError:
            logger.warning("The loop of this process's websockets closed; %s not delivered.", group)

    def _spawn(self, coroutine) -> None:
        """Run a delivery in the listening loop, keeping a reference until it is done."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Sending to the other processes.

    def _encode(self, group: str, message: dict) -> bytes | None:
        """The datagram for a group message, or None (with a warning) if it cannot be one."""
        try:
            payload = json.dumps(
                {"group": group, "message": message}, ensure_ascii=False, separators=(",", ":")
            ).encode()
        except (TypeError, ValueError):
            logger.warning("A message to %s is not JSON: delivered in this process only.", group)
            return None
        if len(payload) > MAX_DATAGRAM_BYTES:
            logger.warning(
                "A message to %s is %d bytes, over %d: delivered in this process only.",
                group,
                len(payload),
                MAX_DATAGRAM_BYTES,
            )
            return None
        return payload

    async def _broadcast(self, payload: bytes, group: str) -> None:
        """Send the datagram to every peer; wait a little for peers whose queue is full."""
        peers = self._peers()
        if not peers:
            return
        # A socket of its own per message: what waits in a slow peer's queue is charged to the
        # sender's buffer, and must not hold back later messages to the other peers.
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.setblocking(False)
            waiting = [path for path in peers if self._send_to(sender, path, payload) == FULL]
            waiting = self._without_congested(waiting, group)
            for delay in FULL_QUEUE_WAITS:
                if not waiting:
                    return
                await asyncio.sleep(delay)
                waiting = [path for path in waiting if self._send_to(sender, path, payload) == FULL]
        for path in waiting:
            self._congested[path] = time.monotonic() + CONGESTED_SECONDS
            logger.warning("The queue of %s stayed full: a message to %s dropped.", path, group)

    def _without_congested(self, paths: list[str], group: str) -> list[str]:
        """Drop at once the message for peers that recently stayed full; keep the others."""
        now = time.monotonic()
        kept = []
        for path in paths:
            if self._congested.get(path, 0.0) > now:
                logger.warning("%s is still congested: a message to %s dropped.", path, group)
            else:
                kept.append(path)
        return kept

    def _send_to(self, sender: socket.socket, path: str, payload: bytes) -> str:
        """Send one datagram to one peer: SENT (or given up) or FULL. Never raises."""
        try:
            sender.sendto(payload, path)
        except BlockingIOError:
            return FULL
        except (ConnectionRefusedError, FileNotFoundError):
            # Nobody reads that socket any more: its process has gone.
            Path(path).unlink(missing_ok=True)
            self._congested.pop(path, None)
        except OSError:
            logger.warning("Could not send a channel layer message to %s.", path, exc_info=True)
        else:
            self._congested.pop(path, None)
        return SENT

    def _peers(self) -> list[str]:
        """The socket files of the other processes (none if the directory is not ours)."""
        if not self._directory_is_private(create=False):
            return []
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        own = os.path.basename(self._path) if self._owner_pid == os.getpid() else ""
        return [str(self.directory / n) for n in names if n.endswith(".sock") and n != own]

    def _directory_is_private(self, *, create: bool) -> bool:
        """Whether the directory is a real directory of this user that nobody else may enter.

        Its name is predictable: in a shared /tmp another user could have made it first, to read
        the events or inject their own. Such a directory is not used at all."""
        try:
            if create:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.lstat(self.directory)
        except FileNotFoundError:
            return False
        except OSError:
            logger.warning("Cannot use the channel layer directory %s.", self.directory)
            return False
        private = (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.geteuid()
            and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
        )
        if not private:
            logger.error(
                "%s is not a private directory of this user: websocket events stay in their "
                "process.",
                self.directory,
            )
        return private

    # Receiving from the other processes.

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind this process's socket if it has none, and read it in this loop if the loop that
        read it has stopped (tests run one loop after another; a server runs one)."""
        if self._receiver is not None and self._owner_pid != os.getpid():
            self._forget_inherited()
        if self._receiver is None:
            self._bind(loop)
        elif self._loop is not loop and (self._loop is None or not self._loop.is_running()):
            self._stop_reading()
            self._start_reading(loop)

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Create this process's socket file in the directory and read it in this loop."""
        if not self._directory_is_private(create=True):
            return
        path = self.directory / f"{os.getpid()}-{secrets.token_hex(8)}.sock"
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            receiver.setblocking(False)
            receiver.bind(str(path))
        except OSError:
            receiver.close()
            logger.warning("Could not bind %s: events stay in this process.", path, exc_info=True)
            return
        self._receiver, self._path, self._owner_pid = receiver, str(path), os.getpid()
        if not self._exit_registered:
            atexit.register(self._remove_socket_file)
            self._exit_registered = True
        self._start_reading(loop)

    def _start_reading(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read the socket whenever a datagram arrives, in this loop."""
        loop.add_reader(self._receiver.fileno(), self._read)
        self._loop = loop

    def _stop_reading(self, *, close: bool = False) -> None:
        """Stop reading the socket in the loop that did, if that loop still exists, then close
        the socket if asked: in that loop's thread when it runs in another, since the loop's
        selector must forget the descriptor before the number can be used again."""
        loop, self._loop = self._loop, None
        receiver = self._receiver
        fileno = receiver.fileno()

        def stop() -> None:
            if loop is not None and not loop.is_closed():
                loop.remove_reader(fileno)
            if close:
                receiver.close()

        if loop is not None and loop.is_running() and loop is not _running_loop():
            try:
                loop.call_soon_threadsafe(stop)
                return
            except RuntimeError:
                pass  # closed meanwhile: nothing reads the descriptor any more
        stop()

    def _read(self) -> None:
        """Deliver every datagram waiting on the socket to this process's members."""
        while self._receiver is not None:
            try:
                data = self._receiver.recv(MAX_DATAGRAM_BYTES + 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                logger.warning("Could not read the channel layer socket.", exc_info=True)
                return
            decoded = self._decode(data)
            if decoded is not None:
                self._spawn(self._deliver_local(*decoded))

    def _decode(self, data: bytes) -> tuple[str, dict] | None:
        """The (group, message) a datagram carries, or None if it is not one of ours."""
        try:
            envelope = json.loads(data)
            group, message = envelope["group"], envelope["message"]
            self.require_valid_group_name(group)
        except (ValueError, TypeError, KeyError):
            logger.warning("Ignored a malformed channel layer datagram.")
            return None
        if not isinstance(message, dict):
            logger.warning("Ignored a channel layer datagram whose message is not an object.")
            return None
        return group, message

    # Cleaning up.

    def _unbind(self) -> None:
        """Close the socket and remove its file (this process's only)."""
        if self._receiver is None:
            return
        if self._owner_pid != os.getpid():
            self._forget_inherited()
            return
        self._stop_reading(close=True)
        self._receiver = None
        self._remove_socket_file()
        self._path = ""

    def _forget_inherited(self) -> None:
        """After a fork: the socket and its file are the parent's; this process makes its own."""
        self._receiver.close()
        self._receiver, self._path, self._owner_pid, self._loop = None, "", 0, None

    def _remove_socket_file(self) -> None:
        """Remove this process's socket file (at exit, or when the layer is flushed or closed)."""
        if self._path and self._owner_pid == os.getpid():
            Path(self._path).unlink(missing_ok=True)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, if any."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None

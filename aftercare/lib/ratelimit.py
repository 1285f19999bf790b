"""Fixed-window rate limits, counted where every web process of the installation sees them.

Two stores, chosen by the settings:

- Redis (when `REDIS_URL` is set), through the cache: `INCR` is atomic across machines.
- Files under `RATE_LIMIT_DIRECTORY` (one machine, the default): each attempt appends one byte to
  the key's file of the current window, and where the byte landed is the attempt's number. An
  append is atomic between processes, so each attempt gets its own number however many arrive
  at once (the file cache's read-then-write increment could give two the same count), and it
  costs one small write instead of rewriting and renaming a file and listing the cache
  directory. A window's directory is removed once a later window has begun.

Without either (the test settings), the configured cache counts, as in one process.
"""

import hashlib
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache


def _digest(key: str) -> str:
    # Hashed: keys hold user input (emails), which file names and Redis keys must not carry raw.
    return hashlib.sha256(key.encode()).hexdigest()


def rate_limit_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True while the window has room, False past `limit`."""
    digest = _digest(key)
    directory = getattr(settings, "RATE_LIMIT_DIRECTORY", None)
    if directory:
        attempts = _file_count(Path(directory), digest, window_seconds)
    else:
        attempts = _cache_count(digest, window_seconds)
    return attempts <= limit


def rate_limit_count(*, key: str, window_seconds: int) -> int:
    """How many attempts `key` has counted in the current window, counting none."""
    digest = _digest(key)
    directory = getattr(settings, "RATE_LIMIT_DIRECTORY", None)
    if directory:
        try:
            return os.stat(_window_path(Path(directory), window_seconds)[1] / digest).st_size
        except FileNotFoundError:
            return 0
    return cache.get("ratelimit:" + digest) or 0


def _cache_count(digest: str, window_seconds: int) -> int:
    cache_key = "ratelimit:" + digest
    # add() opens a window only when none is open, so the count resets once it expires.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window_seconds)
        return 1


def _window_path(root: Path, window_seconds: int) -> tuple[int, Path]:
    """The current window's number and directory."""
    window = int(time.time() // window_seconds)
    return window, root / f"{window_seconds}-{window}"


def _file_count(root: Path, digest: str, window_seconds: int) -> int:
    window, directory = _window_path(root, window_seconds)
    path = directory / digest
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except FileNotFoundError:
        _window_open(root, directory, window_seconds, window)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, b".")
        # Where this append ended in the file, which no other process's append can move: the
        # attempt's own number in the window.
        return os.lseek(descriptor, 0, os.SEEK_CUR)
    finally:
        os.close(descriptor)


def _window_open(root: Path, directory: Path, window_seconds: int, window: int) -> None:
    """Make the window's directory; the process that makes it removes the windows before it."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        directory.mkdir(mode=0o700)
    except FileExistsError:
        return
    prefix = f"{window_seconds}-"
    for entry in os.scandir(root):
        number = entry.name.removeprefix(prefix)
        if entry.name.startswith(prefix) and number.isdigit() and int(number) < window:
            shutil.rmtree(entry.path, ignore_errors=True)


def client_ip(request) -> str:
    """The peer address; behind a proxy, run uvicorn with --proxy-headers so this is the client."""
    return request.META.get("REMOTE_ADDR") or "unknown"

"""Progress of a long preparation (`manage.py prepare`), told on one line.

On a terminal the line is rewritten in place, at most ten times a second, and each finished step
leaves one line behind; anywhere else (a log, a pipe, CI) every step is a plain line when it
starts and one when it ends, and counts are not repeated, so the output never floods.
"""

import shutil
import time
from collections.abc import Callable
from typing import TextIO

CLEAR_LINE = "\r\x1b[K"


class Progress:
    """Steps of a preparation and how far the current one is, on `stream`."""

    def __init__(
        self,
        stream: TextIO,
        *,
        live: bool | None = None,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if live is None:
            isatty = getattr(stream, "isatty", None)
            live = bool(isatty and isatty())
        self.live = live
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._shown = ""  # what the live line says now
        self._last = float("-inf")

    def step(self, text: str) -> None:
        """A step begins: shown at once, in place or on a line of its own."""
        if self.live:
            self._show(text)
        else:
            self._write(text + "\n")

    def update(self, text: str) -> None:
        """How far the current step is: on a terminal only, and not more often than the interval."""
        if not self.live or text == self._shown:
            return
        now = self._clock()
        if now - self._last >= self._interval:
            self._show(text)

    def done(self, text: str) -> None:
        """The current step ended: its last word stays on a line of its own."""
        if self.live:
            self._write(CLEAR_LINE + self._fit(text) + "\n")
            self._shown = ""
        else:
            self._write(text + "\n")

    def note(self, text: str) -> None:
        """A line of its own while a step goes on (the live line comes back below it)."""
        if self.live:
            self._write(CLEAR_LINE + self._fit(text) + "\n" + self._fit(self._shown))
        else:
            self._write(text + "\n")

    def close(self) -> None:
        """End a live line left unfinished (the preparation stopped short), so that what follows
        starts on a line of its own."""
        if self.live and self._shown:
            self._write("\n")
            self._shown = ""

    def _show(self, text: str) -> None:
        self._shown = text
        self._last = self._clock()
        self._write(CLEAR_LINE + self._fit(text))

    def _fit(self, text: str) -> str:
        """The text cut to the terminal's width: a wrapped line could not be rewritten."""
        width = shutil.get_terminal_size().columns - 1
        return text if len(text) <= width else text[: max(width - 1, 0)] + "…"

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

"""Asking for a background run at most so often per process: when one run does everything that
is due (send the due notices, process the stored mail), a burst of commits needs one task, not
one each; whatever a skipped ask would have covered, the periodic sweep picks up."""

import time
from collections.abc import Callable


class AtMostEvery:
    """`ready()` is true at most once per `seconds()` (read each time: a setting) per process."""

    def __init__(self, seconds: Callable[[], float]) -> None:
        self._seconds = seconds
        self._last = float("-inf")

    def ready(self) -> bool:
        now = time.monotonic()
        if now - self._last < self._seconds():
            return False
        self._last = now
        return True

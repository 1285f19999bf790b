"""Rate limits counted in files (one machine without Redis): exact across processes, reset by
the next window, old windows removed, private to the installation."""

import hashlib
import multiprocessing
import os
import stat

import pytest

from aftercare.lib import ratelimit
from aftercare.lib.ratelimit import _file_count, rate_limit_hit


@pytest.fixture
def counters(settings, tmp_path):
    settings.RATE_LIMIT_DIRECTORY = tmp_path / "ratelimit"
    return tmp_path / "ratelimit"


def test_a_key_is_refused_past_its_limit_and_others_are_not(counters):
    answers = [rate_limit_hit(key="signin:a@example.com", limit=3, window_seconds=600)]
    answers += [rate_limit_hit(key="signin:a@example.com", limit=3, window_seconds=600)]
    answers += [rate_limit_hit(key="signin:a@example.com", limit=3, window_seconds=600)]
    answers += [rate_limit_hit(key="signin:a@example.com", limit=3, window_seconds=600)]
    assert answers == [True, True, True, False]
    assert rate_limit_hit(key="signin:b@example.com", limit=3, window_seconds=600)
    # The same key under another window length is another count.
    assert rate_limit_hit(key="signin:a@example.com", limit=3, window_seconds=60)
    # Keys are hashed: what a user typed never becomes a file name.
    names = {path.name for path in counters.rglob("*") if path.is_file()}
    assert hashlib.sha256(b"signin:a@example.com").hexdigest() in names
    assert not any("example" in name for name in names)


def test_the_next_window_starts_again_and_removes_the_old_one(counters, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    for _ in range(2):
        rate_limit_hit(key="k", limit=2, window_seconds=600)
    rate_limit_hit(key="short", limit=2, window_seconds=60)
    assert not rate_limit_hit(key="k", limit=2, window_seconds=600)
    first = sorted(path.name for path in counters.iterdir())
    assert first == ["60-30000000", "600-3000000"]
    now[0] += 600
    assert rate_limit_hit(key="k", limit=2, window_seconds=600)
    # The 600-second window before is gone; the other length's window is left to its own.
    assert sorted(path.name for path in counters.iterdir()) == ["60-30000000", "600-3000001"]


def test_counters_are_private_to_the_installation(counters):
    rate_limit_hit(key="k", limit=2, window_seconds=600)
    (window,) = counters.iterdir()
    (counter,) = window.iterdir()
    assert stat.S_IMODE(os.stat(counters).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(window).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(counter).st_mode) == 0o600


def _count_many(root, times: int) -> list[int]:
    return [_file_count(root, "shared", 600) for _ in range(times)]


def test_processes_counting_at_once_lose_no_attempt(tmp_path):
    """Four processes, 250 attempts each on one key: every count from 1 to 1000 is seen exactly
    once, so a limit of N lets exactly N through however the attempts interleave."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(_count_many, [(tmp_path, 250)] * 4)
    counts = sorted(count for result in results for count in result)
    assert counts == list(range(1, 1001))

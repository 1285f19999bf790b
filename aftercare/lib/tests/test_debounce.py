"""A run asked for at most once per interval per process."""

from aftercare.lib import debounce
from aftercare.lib.debounce import AtMostEvery


def test_ready_once_per_interval_and_again_after_it(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(debounce.time, "monotonic", lambda: now[0])
    seconds = [1.0]
    ask = AtMostEvery(lambda: seconds[0])
    assert ask.ready()
    assert not ask.ready()
    now[0] += 0.9
    assert not ask.ready()
    now[0] += 0.2
    assert ask.ready()
    seconds[0] = 0  # the interval is read each time (the tests set it to 0)
    assert ask.ready() and ask.ready()

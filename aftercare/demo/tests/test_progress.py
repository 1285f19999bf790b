"""How `manage.py prepare` tells its progress, and when it collects the static files."""

import io
import time

import pytest
from django.core.management.base import CommandError

from aftercare.demo.management.commands import prepare
from aftercare.demo.progress import CLEAR_LINE, Progress


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_one_line_is_rewritten_and_each_finished_step_stays():
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, live=True, interval=0.1, clock=clock)

    progress.step("Preparing the database: 0/80 migrations")
    progress.update("Preparing the database: 1/80 migrations")  # too soon: not shown
    clock.now += 0.2
    progress.update("Preparing the database: 2/80 migrations")
    progress.note("Static files collected.")
    progress.done("Database ready: 80 migrations applied (9.0 s).")

    assert out.getvalue() == (
        f"{CLEAR_LINE}Preparing the database: 0/80 migrations"
        f"{CLEAR_LINE}Preparing the database: 2/80 migrations"
        f"{CLEAR_LINE}Static files collected.\n"
        "Preparing the database: 2/80 migrations"
        f"{CLEAR_LINE}Database ready: 80 migrations applied (9.0 s).\n"
    )


def test_elsewhere_a_plain_line_per_step_and_no_counts():
    out = io.StringIO()
    progress = Progress(out, clock=Clock())  # a StringIO is no terminal

    progress.step("Loading demo data: requests…")
    for done in range(1, 301):
        progress.update(f"Loading demo data: requests {done}/300")
    progress.note("Static files collected.")
    progress.done("Demo data loaded.")

    assert not progress.live
    assert out.getvalue() == (
        "Loading demo data: requests…\nStatic files collected.\nDemo data loaded.\n"
    )


def test_a_live_line_left_unfinished_is_ended_when_preparing_stops_short():
    out = io.StringIO()
    progress = Progress(out, live=True)
    progress.step("Loading demo data: requests 12/312")

    progress.close()
    progress.close()

    assert out.getvalue() == f"{CLEAR_LINE}Loading demo data: requests 12/312\n"


def test_a_live_line_is_cut_to_the_terminal_width(monkeypatch):
    monkeypatch.setattr(
        "aftercare.demo.progress.shutil.get_terminal_size", lambda: type("T", (), {"columns": 20})
    )
    out = io.StringIO()

    Progress(out, live=True).step("Loading demo data: help centre and canned answers…")

    assert out.getvalue() == f"{CLEAR_LINE}Loading demo data:…"


@pytest.fixture
def static_dirs(settings, tmp_path):
    """A var/ and a static root of their own, and one static file of the project's."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.STATIC_ROOT = tmp_path / "static"
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    return tmp_path


def _collect(monkeypatch, script: str) -> prepare.StaticCollection:
    """A collection whose collectstatic is this Python script; run to its end."""
    monkeypatch.setattr(prepare, "COLLECTSTATIC", ["-c", script])
    collection = prepare.StaticCollection()
    collection.start()
    while not collection.finished():
        time.sleep(0.01)
    return collection


def test_static_files_are_collected_again_only_when_they_changed(static_dirs, monkeypatch):
    assert not prepare.StaticCollection().is_current()  # never collected

    said = "print(\"Copying 'app.css'\"); print(\"Post-processed 'app.css' as 'app.1.css'\")"
    collection = _collect(monkeypatch, said)
    collection.check()
    (static_dirs / "static").mkdir()
    (static_dirs / "static" / prepare.MANIFEST).write_text("{}")

    described = collection.describe()
    assert described.startswith("1 of ") and described.endswith(" files copied, 1 written")
    assert prepare.StaticCollection().is_current()
    (static_dirs / "source" / "app.css").write_text("body { color: navy; }")
    assert not prepare.StaticCollection().is_current()


def test_static_files_are_collected_again_when_the_collected_ones_are_gone(
    static_dirs, monkeypatch
):
    _collect(monkeypatch, "print('done')").check()
    assert not prepare.StaticCollection().is_current()  # no manifest: nothing was written


def test_a_failed_collection_stops_prepare_with_what_it_said(static_dirs, monkeypatch):
    script = "import sys; print('Copying \\'a\\''); print('No space left'); sys.exit(3)"
    collection = _collect(monkeypatch, script)

    with pytest.raises(CommandError, match="collectstatic failed \\(3\\):\nNo space left"):
        collection.check()
    assert not (static_dirs / "var" / prepare.STATIC_STAMP).exists()


def test_a_collection_stopped_short_leaves_no_process(static_dirs, monkeypatch):
    monkeypatch.setattr(prepare, "COLLECTSTATIC", ["-c", "import time; time.sleep(60)"])
    collection = prepare.StaticCollection()
    collection.start()

    collection.stop()

    assert collection.finished()

"""The layers contract (pyproject.toml, docs/architecture.md) is real: `lint-imports` fails on a
copy of the package where a lower app imports an upper one, or where an app is not in it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package and its contract, copied so that they can be broken."""
    shutil.copytree(
        ROOT / "aftercare",
        tmp_path / "aftercare",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint(root: Path) -> subprocess.CompletedProcess:
    """Run `lint-imports` on the package under `root`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_untouched_copy_keeps_every_contract(copy):
    result = lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_upward_import_breaks_the_layers(copy):
    add_line(
        copy / "aftercare" / "customers" / "selectors.py",
        "from aftercare.tickets.models import Ticket  # noqa: E402,F401",
    )
    result = lint(copy)
    assert result.returncode == 1
    assert "Dependencies point down the layers BROKEN" in result.stdout
    assert "aftercare.customers is not allowed to import aftercare.tickets" in result.stdout
    assert "aftercare.customers.selectors -> aftercare.tickets.models" in result.stdout


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("lib/text.py", "aftercare.accounts.models"),
        ("api/schemas.py", "aftercare.accounts.models"),
        ("accounts/services/memberships.py", "aftercare.console.pages"),
        ("console/pages.py", "aftercare.customers.models"),
        ("sla/services/policies.py", "aftercare.tickets.choices"),
        ("catalog/models.py", "aftercare.customers.models"),
    ],
)
def test_each_lower_layer_is_guarded(copy, importer, imported):
    add_line(copy / "aftercare" / importer, f"import {imported}  # noqa: E402,F401")
    result = lint(copy)
    assert result.returncode == 1, result.stdout
    assert "Dependencies point down the layers BROKEN" in result.stdout


def test_another_apps_pages_are_not_imported(copy):
    add_line(
        copy / "aftercare" / "portal" / "views.py",
        "from aftercare.tickets.views import queue_view  # noqa: E402,F401",
    )
    result = lint(copy)
    assert result.returncode == 1
    assert "An app's pages and API handlers are reached only from the wiring BROKEN" in (
        result.stdout
    )
    assert "aftercare.portal.views -> aftercare.tickets.views" in result.stdout


def test_a_new_app_must_take_its_place_in_the_contract(copy):
    app = copy / "aftercare" / "newapp"
    app.mkdir()
    (app / "__init__.py").write_text("")
    result = lint(copy)
    assert result.returncode == 1
    assert "aftercare.newapp" in result.stdout
    assert "not listed as layers" in result.stdout

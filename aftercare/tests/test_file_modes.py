"""What aftercare writes is readable by its own user only (finding 10 of the outside review:
files and the database were created world-readable)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile

from aftercare.lib.uploads import private_storage

REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_installation_keeps_its_files_to_itself(tmp_path):
    var = tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "AFTERCARE_UMASK")
    }
    env.update(DJANGO_SETTINGS_MODULE="aftercare.settings", AFTERCARE_VAR_DIR=str(var))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    database = var / "aftercare.sqlite3"
    assert database.exists()
    for path in (var, database, var / "secret_key"):
        assert _mode(path) & 0o077 == 0, (path, oct(_mode(path)))


def test_stored_uploads_are_private(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    storage = private_storage()
    name = storage.save("warranty/proof/2026/12/invoice.pdf", ContentFile(b"%PDF-1.4"))
    stored = Path(storage.path(name))
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700

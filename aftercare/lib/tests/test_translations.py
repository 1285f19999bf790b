"""Every user-facing string is in the catalogues, translated, and compiled."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from aftercare.lib.languages import language_codes

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "aftercare" / "locale"
# Every language but the one the sources are written in.
LANGUAGES = tuple(code for code in language_codes() if code != settings.LANGUAGE_CODE)
# The same ignores as `make messages`.
MAKEMESSAGES_IGNORES = ["--no-obsolete", "--ignore=*/tests/*", "--ignore=aftercare/e2e/*"]


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> dict[str, list[str]]:
    """msgid (with context and plural joined as gettext keys them) → its msgstr forms."""
    entries: dict[str, list[str]] = {}
    current: dict[str, str | list] = {}
    field = None

    def flush():
        if "msgid" in current and current["msgid"] != "" and not current.get("obsolete"):
            key = current["msgid"]
            if "msgctxt" in current:
                key = f"{current['msgctxt']}\x04{key}"
            strings = current.get("msgstr_plural") or [current.get("msgstr", "")]
            entries[key] = strings
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            current["obsolete"] = True
            continue
        if not line:
            flush()
            field = None
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgctxt "):
            if "msgid" in current:
                flush()
            field = "msgctxt"
            current[field] = _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            current[field] = _unquote(line[13:])
        elif line.startswith("msgid "):
            if "msgid" in current:
                flush()
            field = "msgid"
            current[field] = _unquote(line[6:])
        elif line.startswith("msgstr["):
            index, _, rest = line[7:].partition("] ")
            current.setdefault("msgstr_plural", [])
            current["msgstr_plural"].append(_unquote(rest))
            field = ("plural", int(index))
        elif line.startswith("msgstr "):
            field = "msgstr"
            current[field] = _unquote(line[7:])
        elif line.startswith('"'):
            if isinstance(field, tuple):
                current["msgstr_plural"][field[1]] += _unquote(line)
            elif field:
                current[field] += _unquote(line)
    flush()
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_fully_translated_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    entries = parse_po(po)
    assert len(entries) > 100
    untranslated = [msgid for msgid, strings in entries.items() if not all(strings)]
    assert untranslated == []
    assert (
        "#, fuzzy"
        not in "\n".join(
            line for line in po.read_text().splitlines() if not line.startswith("#~")
        ).split('msgid ""', 1)[1]
    )
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, strings in entries.items():
        if "\x04" not in msgid and len(strings) == 1:
            assert compiled.gettext(msgid) == strings[0], f"{language}: stale .mo for {msgid!r}"


def test_every_marked_string_is_in_the_catalogues(tmp_path):
    """makemessages over the sources finds no msgid the committed catalogues lack."""
    if shutil.which("xgettext") is None:
        if os.environ.get("AFTERCARE_REQUIRE_GETTEXT") == "1":
            pytest.fail("xgettext (Debian package gettext) is required here")
        pytest.skip("xgettext is not installed (Debian package gettext)")
    work = tmp_path / "src"
    # A copy, so makemessages writes its catalogue there and never over the committed one.
    shutil.copytree(
        ROOT / "aftercare",
        work / "aftercare",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "static"),
    )
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    (work / "aftercare" / "locale").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "DJANGO_SETTINGS_MODULE": "aftercare.settings",
        "AFTERCARE_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fa", *MAKEMESSAGES_IGNORES],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = parse_po(work / "aftercare" / "locale" / "fa" / "LC_MESSAGES" / "django.po")
    committed = parse_po(LOCALE / "fa" / "LC_MESSAGES" / "django.po")
    missing = sorted(set(fresh) - set(committed))
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"

"""Content-Security-Policy on every page (finding 6 of the outside review: there was none).
Scripts run only from our own files, so no template may carry inline script or an inline event
handler: this scans them all, and the Python that writes HTML."""

import re
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {parts[0]: parts[1:] for parts in directives if parts}


def test_pages_send_a_policy_that_runs_only_our_scripts(org, agent_client):
    for client, path in (
        (Client(), "/accounts/login/"),
        (agent_client, "/"),
        (Client(), "/api/v1/docs"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
    portal = Client().get(f"/portal/{org.slug}/login/")
    assert _policy(portal)["script-src"] == ["'self'"]


def test_no_template_or_html_writer_carries_inline_script():
    sources = [
        path
        for pattern in ("**/templates/**/*.html", "**/templatetags/*.py", "**/renderers.py")
        for path in ROOT.glob(pattern)
        if "/tests/" not in str(path) and "/e2e/" not in str(path)
    ]
    assert len(sources) > 100
    offenders = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for pattern in (HANDLER, INLINE_SCRIPT):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []

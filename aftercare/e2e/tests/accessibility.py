"""An accessibility check of the page a test is on: axe-core (vendored under `vendor/`) run in
the browser against the WCAG 2.x A and AA rules."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Desktop and phone: every page is checked at both sizes.
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def axe_violations(page) -> list[dict]:
    """What axe finds wrong on the page as it is now: rule, impact, help and where."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the test's driver, not added as a <script>: the pages' policy runs no
        # inline script, and it must not be loosened for the check.
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


def assert_accessible(page, label: str) -> None:
    """Fail, saying what and where, if axe finds anything on the page."""
    violations = axe_violations(page)
    assert not violations, f"axe on {label} ({page.url}):\n" + "\n".join(
        f"  {v['rule']} ({v['impact']}): {v['help']} at {v['where']}" for v in violations
    )

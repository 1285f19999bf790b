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


def _settle(page) -> None:
    """Take the pointer off the page's controls and let transitions end: axe measures the
    colours of a control caught mid-way through its hover transition, not a state it stays in."""
    if page.viewport_size:
        page.mouse.move(page.viewport_size["width"] - 1, page.viewport_size["height"] - 1)
    page.wait_for_timeout(250)


def axe_violations(page) -> list[dict]:
    """What axe finds wrong on the page as it is now: rule, impact, help and where."""
    _settle(page)
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


# The sweep of every page (test_accessibility_sweep.py): a common laptop and a phone.
SWEEP_VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 850}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# What fails the sweep; what axe rates lower is reported.
FAILING_IMPACTS = frozenset({"serious", "critical"})


def axe_findings(page) -> list[dict]:
    """What axe finds wrong on the page as it is now, node by node: rule, impact, help, where
    (its selector and the start of its markup) and, for contrast, the colours and their ratio.
    Loads axe if the page has not got it yet (a context's init script may have given it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    findings = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            data = next(
                (check.get("data") for check in node.get("any", []) if check.get("data")), None
            )
            colours = ""
            if isinstance(data, dict) and "contrastRatio" in data:
                colours = (
                    f"{data.get('fgColor')} on {data.get('bgColor')} = "
                    f"{data.get('contrastRatio')}:1, {data.get('expectedContrastRatio')} needed"
                )
            findings.append(
                {
                    "rule": violation["id"],
                    "impact": node.get("impact") or violation["impact"],
                    "help": violation["help"],
                    "target": " ".join(str(part) for part in node["target"]),
                    "html": " ".join(node["html"].split())[:160],
                    "colours": colours,
                }
            )
    return findings

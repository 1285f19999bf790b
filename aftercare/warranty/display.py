"""A coverage check as people read it, in the reader's language and calendar: "In warranty
until 1405/11/10", "Not covered: expired on 2025-01-31". Shared by the console, the request
page and the portal."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from aftercare.lib.dates import format_date


@dataclass(frozen=True)
class CoverageLine:
    """A coverage check's one-line summary and whether it covers (for the badge's colour)."""

    covered: bool
    text: str
    reason: str


def coverage_line(coverage) -> CoverageLine:
    """The sentence for a `coverage.Coverage`: by what and until when, or why not."""
    until = format_date(coverage.until) if coverage.until else ""
    if coverage.covered:
        if coverage.by == "extended":
            text = _("Covered by an extended warranty until %(date)s")
        elif coverage.by == "goodwill":
            text = _("Covered by goodwill until %(date)s")
        else:
            text = _("In warranty until %(date)s")
        return CoverageLine(covered=True, text=text % {"date": until}, reason="")
    if coverage.reason == "expired" and until:
        text = _("Not covered: expired on %(date)s") % {"date": until}
    else:
        text = _("Not covered: %(reason)s") % {"reason": coverage.reason_text}
    return CoverageLine(covered=False, text=text, reason=coverage.reason)

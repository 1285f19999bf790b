"""A work order's coverage snapshot as people read it, in the reader's language: the
warranty's own sentence ("In warranty until 1405/11/10"), from what the check said when the
work order was opened."""

import datetime

from aftercare.warranty.coverage import REASONS, Coverage
from aftercare.warranty.display import CoverageLine, coverage_line


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def coverage_summary(snapshot: dict | None) -> CoverageLine | None:
    """The sentence for a stored coverage check; None when there was none (no unit)."""
    if not snapshot:
        return None
    covered = bool(snapshot.get("covered"))
    reason = snapshot.get("reason") or ""
    if not covered and reason not in REASONS:
        return None
    coverage = Coverage(
        covered=covered,
        by=snapshot.get("by") or "",
        contract=None,
        starts_on=_date(snapshot.get("starts_on")),
        until=_date(snapshot.get("until")),
        covers_parts=bool(snapshot.get("covers_parts")),
        covers_labour=bool(snapshot.get("covers_labour")),
        covers_travel=bool(snapshot.get("covers_travel")),
        reason=reason,
    )
    return coverage_line(coverage)

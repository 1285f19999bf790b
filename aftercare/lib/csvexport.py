"""CSV files written a row at a time, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# (OWASP's "CSV injection"): a customer's name or a user agent must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A value as a CSV cell: text that a spreadsheet would run as a formula gets a leading
    apostrophe; None is empty; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


class _Line:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The header and each row as UTF-8 CSV lines, for a streaming response. A byte order mark
    comes first, so that spreadsheets read Persian, Turkish and Kazakh text right."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([csv_cell(name) for name in header]).encode()
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row]).encode()

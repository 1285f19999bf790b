"""Small text helpers every app shares: digits between scripts, invisible characters, cleaned
input, HTML escaping. The folding of text for search (letters, case, accents, ZWNJ) is the
search app's normalizer, `aftercare.search.normalize`, which indexed text and queries both go
through."""

import html
import re

from django.utils.functional import Promise


def normalize_digits(value: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, nothing else changed."""
    return value.translate(
        {**{0x06F0 + i: str(i) for i in range(10)}, **{0x0660 + i: str(i) for i in range(10)}}
    )


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_digits(value: str) -> str:
    """ASCII digits to Persian digits."""
    return value.translate(_PERSIAN_DIGITS)


def html_escape(value) -> str:
    """What Django's `conditional_escape` returns, without its lazy-string wrapper: for HTML
    built in Python once per row of a long list, where that wrapper was most of the cost."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# Characters that change how text around them is shown without being seen: direction overrides,
# embeddings and isolates (a queue row could show "gpj.exe" as "exe.jpg"), zero-width spaces and
# joiners other than ZWNJ/ZWJ, the BOM, soft hyphens, fillers and tag characters; and control
# characters other than tab and line breaks. ZWNJ and ZWJ stay: Persian words need them
# (می‌شود), as do LRM and RLM, which only mark a direction and override nothing.
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000e0000-\U000e007f"
    "]"
)


def strip_invisible(value: str) -> str:
    """`value` without direction overrides, invisible characters and control characters."""
    return _INVISIBLE.sub("", value or "")

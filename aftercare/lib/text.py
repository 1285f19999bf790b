"""Text normalization shared by indexing and queries, so both sides agree.

Persian and Arabic letters that look alike are folded (ي→ی, ك→ک, ة→ه), ZWNJ and tatweel
become spaces or vanish, Arabic diacritics are dropped, Persian and Arabic-Indic digits become
ASCII, and case folding follows Turkish and Kazakh rules (İ→i, I→ı for Turkish text would break
English, so both dotted and dotless i fold to plain i).
"""

import html
import re
import unicodedata

from django.utils.functional import Promise

_CHAR_MAP = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "\u200c": " ",  # ZWNJ: a word part boundary, searched as a space
        "\u200d": "",
        "\u0640": "",  # tatweel
        "İ": "i",
        "I": "i",
        "ı": "i",
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    }
)
_SPACES = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """Fold a string for matching: letters, digits, case and diacritics made uniform."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).translate(_CHAR_MAP)
    value = "".join(
        ch for ch in unicodedata.normalize("NFD", value) if not unicodedata.combining(ch)
    )
    value = unicodedata.normalize("NFC", value).casefold()
    return _SPACES.sub(" ", value).strip()


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

"""The text normalizer that indexed text and queries both go through, so that they meet.

`normalize(text)` gives lower-case words separated by single spaces:

- Unicode NFKC first: presentation forms (ﻙ, ﻻ), full-width letters and digits, ligatures and
  decomposed letters become the ordinary characters.
- Persian and Arabic spellings of one letter become the Persian one: ي ى ئ → ی, ك → ک,
  أ إ ٱ آ → ا, ة ۀ → ه, ؤ → و. Tatweel, harakat (U+064B–U+065F), the superscript alef
  (U+0670) and the Quranic marks are dropped. ئ → ی because Persian writes پائیز and پاییز
  alike; the lone hamza ء stays, as dropping it would turn جزء into the other word جز.
- ZWNJ is dropped, so میشود and می‌شود are one word. It is dropped rather than read as a space
  because Persian writers put a ZWNJ, a space or nothing at the same joint, and only "nothing"
  can be matched exactly: a word can be joined back from its parts, but a word written solid
  cannot be split into the parts without a dictionary. The space form (می شود) meets the other
  two through `index_tokens` and `query_tokens` below. ZWJ, direction marks and overrides
  (U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), zero-width space, word joiner, BOM, soft
  hyphen and variation selectors are dropped too: inside a word they are accidents of copying.
- Persian (۰–۹) and Arabic-Indic (٠–٩) digits become ASCII digits.
- Case is folded with `str.casefold` (Latin, Cyrillic with the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І,
  Greek...). Turkish İ, I, ı and i all become i: folding the Turkish way (I → ı) would break
  English ("IMPORT" would no longer find "import"), and Turkish users type i for ı and I for İ
  anyway. The price: Turkish pairs that differ only by the dot (sık/sik) meet.
- Latin letters lose their accents: café → cafe, and the Turkish ç ş ğ ö ü â î û become
  c s g o u a i u, so that "sikayet", typed without a Turkish keyboard, finds "şikâyet".
  Only precomposed Latin letters are mapped (plus ø ł đ ħ æ œ, which have no decomposition),
  and the combining accents (U+0300–U+036F and their supplements) that NFKC could not attach
  to a letter are dropped. Cyrillic letters are left whole: NFKC has already composed й and ё,
  so they stay distinct from и and е (мой/мои, всё/все), and the Kazakh letters stay distinct
  from the Russian ones (қ ≠ к, і ≠ и, ө ≠ о): folding those would merge different words.
- Every character that is not a letter or a digit (Unicode L* or N*) separates words, and runs
  of separators become one space; the text is stripped. That includes - _ . @ + ' and /:
  "AS-000301" gives the words "as" and "000301", "İstanbul'da" gives "istanbul" and "da". The
  result holds only letters, digits and single spaces, so an engine that splits it on spaces
  sees the same words as `tokens` (SQLite FTS5's ascii and unicode61 tokenizers do), and no
  engine's own rules for hyphens, emails or URLs come into play. Identifiers, which must match
  whole, have their own key: `identifier_key`.

`normalize` is idempotent: `normalize(normalize(x)) == normalize(x)`.
"""

import re
import unicodedata

from aftercare.lib.errors import ApplicationError
from aftercare.lib.phone import normalize_phone


def _ranges(*pairs: tuple[int, int]) -> list[int]:
    return [code for start, end in pairs for code in range(start, end + 1)]


# Latin letters without a decomposition, folded as their look suggests.
_LATIN_EXTRAS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "ı": "i"}
)


def _latin_folds() -> dict[int, str]:
    """Each precomposed Latin letter to its letters without accents, case folded."""
    folds = dict(_LATIN_EXTRAS)
    for code in _ranges(
        (0x00C0, 0x024F),  # Latin-1 Supplement, Extended-A and -B
        (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese...)
        (0x2C60, 0x2C7F),  # Latin Extended-C
        (0xA720, 0xA7FF),  # Latin Extended-D
    ):
        char = chr(code)
        if not char.isalpha():
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        base = base.casefold().translate(_LATIN_EXTRAS)
        if base and base != char and base.isalpha():
            folds[code] = base
    return folds


_DIGITS = {0x06F0 + i: str(i) for i in range(10)} | {0x0660 + i: str(i) for i in range(10)}

_ARABIC_LETTERS = {
    ord(k): v
    for k, v in {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "آ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ؤ": "و",
    }.items()
}

_DROPPED = dict.fromkeys(
    _ranges(
        # Arabic: tatweel, harakat and small signs, superscript alef, Quranic annotation marks.
        (0x0640, 0x0640),
        (0x0610, 0x061A),
        (0x064B, 0x065F),
        (0x0670, 0x0670),
        (0x06D6, 0x06DC),
        (0x06DF, 0x06E4),
        (0x06E7, 0x06E8),
        (0x06EA, 0x06ED),
        # Invisible: soft hyphen, grapheme joiner, Arabic letter mark, Mongolian vowel separator,
        # zero-width space, ZWNJ, ZWJ, LRM, RLM, embeddings and overrides, word joiner and
        # invisible operators, isolates, deprecated format controls, variation selectors, BOM.
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        # Combining accents left over once NFKC has composed what it can (é stays é here, é
        # is then folded by the Latin table; a stress mark on а́ or the dot of a lower-cased İ
        # is dropped).
        (0x0300, 0x036F),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x20D0, 0x20FF),
        (0xFE20, 0xFE2F),
    )
)

# Applied after casefold: what it maps to is already lower case.
_MAPPING = _latin_folds() | _DIGITS | _ARABIC_LETTERS | _DROPPED
_TABLE = str.maketrans(_MAPPING)


def _fast_table(size: int) -> list[str]:
    """`_MAPPING` for the first `size` code points, with every other character that is neither
    a letter nor a digit made a space, as a list: str.translate looks a character up in a list
    about five times faster than in a dict, where each character it does not map costs a
    KeyError. Code points past the end of the list are left as they are."""
    table = []
    for code in range(size):
        char = chr(code)
        if code in _MAPPING:
            table.append(_MAPPING[code] or "")
        elif char.isalnum():
            table.append(char)
        else:
            table.append(" ")
    return table


# Up to U+2100: Latin, Greek, Cyrillic, Arabic and the other alphabets, Latin Extended
# Additional, the general punctuation with ZWNJ and the bidi controls, combining marks for
# symbols. What the fast table does not reach and the mapping changes is rare; `_RARE` finds it.
_FAST_TABLE = _fast_table(0x2100)
_RARE = re.compile("[" + "".join(re.escape(chr(code)) for code in _MAPPING if code >= 0x2100) + "]")
_ASCII_TABLE = _fast_table(0x80)

# Everything but letters and digits (Python's \w is L*, N* and "_").
_SEPARATORS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    if text.isascii():
        # NFKC changes no ASCII character and casefold is lower.
        return " ".join(text.lower().translate(_ASCII_TABLE).split())
    value = unicodedata.normalize("NFKC", text).casefold().translate(_FAST_TABLE)
    if _RARE.search(value):
        value = value.translate(_TABLE)
    value = " ".join(value.split())
    if value and not value.replace(" ", "").isalnum():
        # Punctuation and symbols past the fast table (、, ‰, ☎, emoji).
        value = " ".join(_SEPARATORS.sub(" ", value).split())
    return value


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, with letters, digits, case and accents made
    uniform across Persian, Arabic, Turkish, Kazakh and English spellings."""
    value = _fold(text)
    # Dropping a character can let NFKC join its neighbours (Hangul jamo around a ZWNJ); another
    # pass then reaches what a second call would give. Not seen in the languages served.
    for _ in range(3):
        if value.isascii() or unicodedata.is_normalized("NFKC", value):
            break
        value = _fold(value)
    return value


def tokens(text: str) -> list[str]:
    """The normalized words of `text`."""
    return normalize(text).split()


# Persian affixes written solid, with a ZWNJ, or with a space: the verb prefixes می/نمی and the
# plural and comparative suffixes ها/های/تر/ترین.
PREFIXES = frozenset({"می", "نمی"})
SUFFIXES = frozenset({"ها", "های", "تر", "ترین"})


def _persian(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _joins(first: str, second: str) -> bool:
    return (first in PREFIXES or second in SUFFIXES) and _persian(first) and _persian(second)


def index_tokens(text: str) -> list[str]:
    """The words to index for `text`: its `tokens`, then, for each Persian affix written apart
    (می شود, کتاب ها), the two words joined (میشود, کتابها), so that a query written solid or
    with a ZWNJ finds it. The joined words come last, leaving the positions of the others as
    they are for phrase queries."""
    words = tokens(text)
    joined = [a + b for a, b in zip(words, words[1:], strict=False) if _joins(a, b)]
    return words + joined


def query_tokens(text: str) -> list[str]:
    """The words to look up for a query: its `tokens`, with each Persian affix written apart
    joined to its word (می شود → میشود). Every text that has the two words side by side has
    the joined word in its `index_tokens`, so joining loses no match, and finds the text that
    writes the word solid."""
    words = tokens(text)
    result = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and _joins(words[i], words[i + 1]):
            result.append(words[i] + words[i + 1])
            i += 2
        else:
            result.append(words[i])
            i += 1
    return result


_IDENTIFIER_TABLE = str.maketrans(_DIGITS | _DROPPED)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def identifier_key(text: str) -> str:
    """The key an identifier (request number, serial, phone, email) is matched by, whole:
    digits in ASCII, case folded, every separator dropped ("۱۲۳۴۵-ARY", "12345 ary" and
    "12345ARY" give "12345ary"; "+98 912 345 6789" gives "989123456789"). An email is kept
    whole, lower-cased. A phone typed without its country code gives its digits as typed; see
    `phone_key` for reading it in the organization's country."""
    value = unicodedata.normalize("NFKC", text).translate(_IDENTIFIER_TABLE).strip()
    if _EMAIL.fullmatch(value):
        return value.casefold()
    return "".join(tokens(value))


_PHONE_LIKE = re.compile(r"\+?[\d\s()\-./]{6,}")


def phone_key(text: str, *, region: str | None) -> str | None:
    """The `identifier_key` of a phone number typed in any format, read in `region` (ISO 3166
    country code) when it has no country code: the E.164 digits without "+", which is also the
    key of the E.164 value customers' contact points are stored with. None when `text` is not a
    valid phone number, or has no country code and no region is given."""
    value = unicodedata.normalize("NFKC", text).translate(_IDENTIFIER_TABLE).strip()
    if not _PHONE_LIKE.fullmatch(value):
        return None
    try:
        return normalize_phone(value, region=region).removeprefix("+")
    except ApplicationError:
        return None

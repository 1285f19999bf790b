"""Highlighted titles and snippets, cut from the original text in Python, so that both databases
give the same (and neither keeps a copy of the text for the purpose).

A word of the text is marked when one of its normalized words starts with one of the query's
words: the same rule the index matched it by, so "كولر" in a query marks "کولر" in the text and
"sikayet" marks "Şikâyet".
"""

import functools
import re
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from aftercare.lib.text import html_escape as escape
from aftercare.search.normalize import tokens

# A run of word characters, with the joiners and marks that can sit inside a written word.
_WORD = re.compile(r"[\w\u200c\u200d\u064b-\u065f\u0670\u0640]+")
# How far into a text a match is looked for.
_SCAN = 20_000


@functools.lru_cache(maxsize=8192)
def _pieces(word: str) -> tuple[str, ...]:
    # A plain ASCII word is its own lower case: no need of the whole normalizer. Words come back
    # again and again from one snippet to the next: each is normalized once per process.
    if word.isascii() and word.isalnum():
        return (word.lower(),)
    return tuple(tokens(word))


def _matches(word: str, words: Sequence[str]) -> bool:
    return any(piece.startswith(query) for piece in _pieces(word) for query in words)


def _holds(text: str, words: Sequence[str]) -> bool:
    """Whether a word of `text` (its first _SCAN characters) begins with one of `words`: one
    pass of the normalizer over the text, before looking word by word for where."""
    return any(piece.startswith(query) for piece in set(tokens(text[:_SCAN])) for query in words)


def _marked(text: str, words: Sequence[str]) -> str:
    if not _holds(text, words):
        return escape(text)
    out: list[str] = []
    last = 0
    for found in _WORD.finditer(text):
        if _matches(found.group(), words):
            out.append(escape(text[last : found.start()]))
            out.append("<mark>" + escape(found.group()) + "</mark>")
            last = found.end()
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str, words: Sequence[str]) -> SafeString:
    """`text` escaped, with the words the query matches in <mark>."""
    return mark_safe(_marked(text, words) if words else escape(text))  # noqa: S308


def snippet(texts: Sequence[str], words: Sequence[str], *, width: int = 200) -> SafeString:
    """About `width` characters around the first match in `texts` (tried in order), escaped and
    marked; the start of the first text when none matches (the hit matched an identifier)."""
    chosen, start = "", None
    for text in texts:
        if not text:
            continue
        chosen = chosen or text
        if words and _holds(text, words):
            for found in _WORD.finditer(text, 0, min(len(text), _SCAN)):
                if _matches(found.group(), words):
                    chosen, start = text, found.start()
                    break
        if start is not None:
            break
    text = " ".join(chosen.split())
    if start is not None:
        # Whitespace was collapsed: find the match again in the collapsed text.
        prefix = " ".join(chosen[:start].split())
        start = len(prefix) + (1 if prefix else 0)
        begin = max(0, start - width // 3)
        if begin:
            space = text.find(" ", begin)
            begin = space + 1 if 0 <= space < start else begin
    else:
        begin = 0
    end = begin + width
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    piece = text[begin:end]
    result = ("… " if begin else "") + _marked(piece, words) + (" …" if end < len(text) else "")
    return mark_safe(result)  # noqa: S308


def words_found(texts: Sequence[str], words: Sequence[str]) -> set[str]:
    """Which of the query's `words` begin a word of `texts` (to rank suggestions by)."""
    found: set[str] = set()
    for text in texts:
        for piece in tokens(text[:_SCAN]):
            found.update(word for word in words if piece.startswith(word))
            if len(found) == len(words):
                return found
    return found

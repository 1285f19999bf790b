"""What the words of a message say about it: the language it is written in."""

import re

_PERSIAN = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters only Turkish writes (case-sensitive: a case-folded ı or İ would match a plain i), and
# common short words.
_TURKISH_LETTERS = re.compile(r"[ğşıİĞŞ]")
_TURKISH_WORDS = re.compile(r"\b(ve|bir|için|bu|çalışmıyor|merhaba|teşekkür)\b", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str) -> str:
    """fa, kk, tr or en by the letters the text is written in; '' when it cannot tell (Russian,
    too little text)."""
    sample = text[:4000]
    letters = {
        "fa": len(_PERSIAN.findall(sample)),
        "cyrillic": len(_CYRILLIC.findall(sample)),
        "latin": len(_LATIN.findall(sample)),
    }
    script = max(letters, key=letters.get)
    if letters[script] < 3:
        return ""
    if script == "fa":
        return "fa"
    if script == "cyrillic":
        return "kk" if _KAZAKH.search(sample) else ""
    turkish = len(_TURKISH_LETTERS.findall(sample)) + len(_TURKISH_WORDS.findall(sample))
    return "tr" if turkish >= 2 else "en"

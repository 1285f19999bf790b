"""Where a reply's own words end and the message it quotes begins, for showing the quote folded
(the full text is always stored): the header line mail clients write above a quote, in the
languages our customers' clients use, or a tail made only of quoted lines."""

import re

_HEADERS = re.compile(
    r"^\s*("
    r"on\b.{0,300}\bwrote:?"  # Gmail, Apple Mail, Thunderbird
    r"|-{2,}\s*(original message|forwarded message|ursprüngliche nachricht)\s*-{2,}"
    r"|در تاریخ.{0,300}نوشت:?"  # Gmail in Persian
    r"|.{0,300}(tarihinde|zamanında).{0,300}(şunu )?yazdı:?"  # Turkish
    r"|.{0,300}(написал|написала|жазды)\s*\(?.{0,3}\)?:"  # Russian, Kazakh
    r")\s*$",
    re.IGNORECASE,
)
# Outlook: a block of "From:", then "Sent:"/"Date:" within the next lines.
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|от|kimden|از)\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(
    r"^\s*\*?(sent|date|отправлено|gönderildi|tarih|تاریخ|ارسال)\s*:", re.IGNORECASE
)


def _starts_quote(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _HEADERS.match(line):
        return True
    # "On ..., Name <address>" wrapped before "wrote:"
    wrapped = index + 1 < len(lines) and lines[index + 1].strip().endswith(":")
    if wrapped and _HEADERS.match(f"{line} {lines[index + 1]}"):
        return True
    if _OUTLOOK_FROM.match(line):
        return any(_OUTLOOK_SENT.match(following) for following in lines[index + 1 : index + 4])
    return line.startswith(">") and all(
        rest.startswith(">") or not rest.strip() for rest in lines[index:]
    )


def split_quoted(text: str) -> tuple[str, str]:
    """(the new words, the quoted rest); the rest is '' when nothing is quoted, and nothing is
    split off when it would leave no new words."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if _starts_quote(lines, index):
            head = lines[:index]
            if not any(line.strip() and not line.startswith(">") for line in head):
                return text, ""
            return "\n".join(head).rstrip(), "\n".join(lines[index:]).strip("\n")
    return text, ""

"""A reply's own words are told from what it quotes, as the common mail clients write quotes."""

import pytest

from aftercare.lib.quoting import split_quoted

CASES = [
    (
        "Monday is fine.\n\nOn Mon, 7 Dec 2026 at 10:00, Support <s@x.example> wrote:\n> We come.",
        "Monday is fine.",
    ),
    ("Fine.\n\nOn Mon, 7 Dec 2026 at 10:00, Support <s@x.example>\nwrote:\n> We come.", "Fine."),
    ("Thanks.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nText", "Thanks."),
    ("Thanks.\n\nFrom: Support <s@x.example>\nSent: Monday, 7 December\nTo: me\n\nText", "Thanks."),
    ("ممنون.\n\nدر تاریخ دوشنبه ۱۷ آذر ۱۴۰۵، پشتیبانی <s@x.example> نوشت:\n> متن", "ممنون."),
    (
        "Teşekkürler.\n\n7 Ara 2026 Pzt, 10:00 tarihinde Destek <s@x.example> şunu yazdı:\n> metin",
        "Teşekkürler.",
    ),
    ("Рахмет.\n\n7 дек. 2026 г., в 10:00, Қолдау <s@x.example> жазды:\n> мәтін", "Рахмет."),
    ("Yes.\n\n> quoted\n> more\n\n>", "Yes."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "head"), CASES)
def test_the_quote_is_split_off(text, head):
    new, quoted = split_quoted(text)
    assert new == head
    assert quoted and quoted in text and not quoted.startswith("\n")


@pytest.mark.parametrize(
    "text",
    [
        "No quote here.\nJust lines.",
        "On Monday it broke.\nIt wrote: error 5",  # a sentence, not a quote header
        "> only a quote\n> nothing new",
        "Answer\n> inline quote\nmore answer",  # interleaved answers stay whole
    ],
)
def test_nothing_is_split_off_when_there_is_no_quote_to_fold(text):
    assert split_quoted(text) == (text, "")

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.search.normalize import (
    identifier_key,
    index_tokens,
    normalize,
    phone_key,
    query_tokens,
    tokens,
)
from aftercare.search.tests.pairs import (
    KEY_PAIRS,
    KEYS_APART,
    PHONE_PAIRS,
    TEXT_APART,
    TEXT_PAIRS,
)


def meets(query: str, document: str) -> bool:
    """Every word of the query is a word of the document, as the search layer will look them up."""
    words = query_tokens(query)
    indexed = set(index_tokens(document))
    return bool(words) and all(word in indexed for word in words)


def key_meets(query: str, stored: str, region: str | None = None) -> bool:
    """The query's identifier key, or its phone key in the organization's region, is the
    stored identifier's key."""
    key = identifier_key(stored)
    return key != "" and key in {identifier_key(query), phone_key(query, region=region)}


@pytest.mark.parametrize(("language", "query", "document"), TEXT_PAIRS)
def test_query_finds_the_document(language, query, document):
    assert meets(query, document), (query_tokens(query), index_tokens(document))


@pytest.mark.parametrize(("language", "query", "stored"), KEY_PAIRS)
def test_identifiers_typed_differently_have_one_key(language, query, stored):
    assert identifier_key(query) == identifier_key(stored)


@pytest.mark.parametrize(("language", "query", "region", "stored"), PHONE_PAIRS)
def test_phone_typed_in_any_format_finds_the_contact_point(language, query, region, stored):
    assert key_meets(query, stored, region)


@pytest.mark.parametrize(("language", "query", "document"), TEXT_APART)
def test_different_words_stay_apart(language, query, document):
    assert not meets(query, document), (query_tokens(query), index_tokens(document))


@pytest.mark.parametrize(("language", "query", "stored", "region"), KEYS_APART)
def test_different_identifiers_stay_apart(language, query, stored, region):
    assert not key_meets(query, stored, region)


def test_table_is_as_large_as_promised():
    assert len(TEXT_PAIRS) + len(KEY_PAIRS) + len(PHONE_PAIRS) >= 80
    assert {row[0] for row in TEXT_PAIRS + KEY_PAIRS + PHONE_PAIRS} == {"fa", "tr", "kk", "en"}
    assert len(TEXT_APART) + len(KEYS_APART) >= 15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  \t\n ", ""),
        ("İSTANBUL'da", "istanbul da"),
        ("AS-000301", "as 000301"),
        ("a.b@example.com", "a b example com"),
        ("نمي\u200cشود", "نمیشود"),
        ("كِتابُ  ـــ  ۱۲۳", "کتاب 123"),
        ("ŞİKÂYET ılık", "sikayet ilik"),
        ("ТОҢАЗЫТҚЫШ Йогурт Ёлка", "тоңазытқыш йогурт ёлка"),
        ("Fridge\u3001leaking\u2030 ☎ 😀 x", "fridge leaking x"),
    ],
)
def test_normalize_gives_words_separated_by_single_spaces(text, expected):
    assert normalize(text) == expected


def test_persian_affixes_written_apart_are_joined():
    assert index_tokens("کتاب ها می شود") == ["کتاب", "ها", "می", "شود", "کتابها", "میشود"]
    assert query_tokens("کتاب ها می شود") == ["کتابها", "میشود"]
    assert query_tokens("نمی") == ["نمی"]
    assert query_tokens("ها 12") == ["ها", "12"]


def test_phone_key_needs_a_country():
    assert phone_key("0912-345-6789", region=None) is None
    assert phone_key("AS-000301", region="IR") is None
    assert phone_key("12", region="IR") is None


_SCRIPTS = st.text(
    alphabet=st.sampled_from(
        list("كيىأإٱآةۀؤئءکیاهوگپچژ ـ\u064b\u064e\u0650\u0651\u0654\u0670")
        + list("\u200b\u200c\u200d\u200e\u200f\u202b\u202c\u2066\u2069\ufeff\u00ad")
        + list("۰۱۲۳٤٥0123456789İIıiŞşÇçĞğÖöÜüÂâ'’")
        + list("ӘҒҚҢӨҰҮҺІәғқңөұүһійёЙЁи\u0301\u0306\u0308 -_.@+/()")
        + list("각가\u3000\uff21\ufb01\ufedbﷲ")
    )
)


@settings(max_examples=300)
@given(st.text() | _SCRIPTS)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(st.text() | _SCRIPTS)
def test_nothing_raises_and_words_are_clean(text):
    words = tokens(text)
    assert all(word and " " not in word for word in words)
    assert normalize(text) == " ".join(words)
    index_tokens(text)
    query_tokens(text)
    identifier_key(text)
    phone_key(text, region="IR")

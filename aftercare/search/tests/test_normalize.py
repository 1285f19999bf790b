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


# (language, query, document): the query finds the document.
TEXT_PAIRS = [
    # Persian: Arabic letters typed on an Arabic keyboard.
    ("fa", "كولر", "کولر روشن نمی‌شود"),
    ("fa", "کولر", "كولر گازي"),
    ("fa", "يخچال", "یخچال صدا می‌دهد"),
    ("fa", "یخچال", "يخچال ساید باي ساید"),
    ("fa", "ماشين لباسشويي", "ماشین لباسشویی خراب است"),
    ("fa", "مصطفى", "آقای مصطفی کریمی"),
    ("fa", "پائیز", "از پاییز گذشته"),
    ("fa", "خانۀ", "خانه ما"),
    ("fa", "مراجعة", "مراجعه حضوری"),
    ("fa", "مؤسسه", "موسسه خیریه"),
    # Persian: alef with hamza or madda.
    ("fa", "اسانسور", "آسانسور خراب است"),
    ("fa", "آسانسور", "اسانسور"),
    ("fa", "تاخیر", "تأخیر در ارسال"),
    ("fa", "إصلاح", "اصلاح قطعه"),
    ("fa", "ٱب", "آب می‌چکد"),
    # Persian: ZWNJ, space or nothing at the joint.
    ("fa", "میشود", "این دستگاه روشن می‌شود"),
    ("fa", "می‌شود", "روشن میشود"),
    ("fa", "می شود", "روشن میشود"),
    ("fa", "می شود", "روشن می‌شود"),
    ("fa", "میشود", "روشن می شود"),
    ("fa", "می‌شود", "روشن می شود"),
    ("fa", "نمی شود", "روشن نمی‌شود"),
    ("fa", "نميشود", "روشن نمی شود"),
    ("fa", "کار نميكند", "کار نمی‌کند"),
    ("fa", "کتابها", "کتاب‌ها"),
    ("fa", "کتاب ها", "کتابها"),
    ("fa", "کتاب‌ها", "کتاب ها"),
    ("fa", "قطعه های", "قطعه‌های یدکی"),
    ("fa", "بزرگترین", "بزرگ‌ترین مشکل"),
    ("fa", "بزرگ ترین", "بزرگترین مشکل"),
    ("fa", "سریع تر", "سریع‌تر لطفا"),
    ("fa", "میشود", "روشن می\u200dشود"),
    # Persian: diacritics and tatweel.
    ("fa", "کتاب", "كِتابُ"),
    ("fa", "مشکل", "مُشکِل دارد"),
    ("fa", "لطفا", "لطفاً تماس بگیرید"),
    ("fa", "رحمن", "رحمٰن"),
    ("fa", "تعمیر", "تعمـــیر"),
    ("fa", "ســلام", "سلام"),
    # Persian: digits, invisible characters, presentation forms.
    ("fa", "۱۲۳۴۵", "سریال 12345"),
    ("fa", "12345", "سریال ۱۲۳۴۵"),
    ("fa", "١٢٣", "کد 123"),
    ("fa", "1403", "تاریخ ۱۴۰۳/۰۲/۱۵"),
    ("fa", "کولر", "\u202bکولر\u202c"),
    ("fa", "یخچال", "یخ\u200bچال"),
    ("fa", "کولر", "\ufeffکولر"),
    ("fa", "ﻛﻮﻟﺮ", "کولر"),
    # Turkish: dotted and dotless i.
    ("tr", "SIZIYOR", "buzdolabı sızıyor"),
    ("tr", "sızıyor", "SU SIZIYOR"),
    ("tr", "siziyor", "su sızıyor"),
    ("tr", "İSTANBUL", "istanbul servisi"),
    ("tr", "istanbul", "İSTANBUL"),
    ("tr", "ISTANBUL", "İstanbul"),
    ("tr", "ılık", "ILIK SU"),
    ("tr", "IŞIK", "ışık yanmıyor"),
    ("tr", "garanti belgesi", "GARANTİ BELGESİ"),
    ("tr", "klima", "KLİMA"),
    ("tr", "istanbul", "i\u0307stanbul"),
    # Turkish: typed without a Turkish keyboard.
    ("tr", "sikayet", "şikâyet"),
    ("tr", "şikayet", "ŞİKÂYET"),
    ("tr", "calismiyor", "çalışmıyor"),
    ("tr", "guncelleme", "güncelleme yapıldı"),
    ("tr", "urun iade", "Ürün iade"),
    ("tr", "dogru", "doğru"),
    # Turkish: the apostrophe before a suffix of a proper name.
    ("tr", "Ankara", "Ankara'da servis"),
    ("tr", "bursa", "Bursa’ya gönderildi"),
    ("tr", "istanbul", "İstanbul'daki servis"),
    # Kazakh and Russian.
    ("kk", "ТОҢАЗЫТҚЫШ", "тоңазытқыш істемейді"),
    ("kk", "тоңазытқыш", "ТОҢАЗЫТҚЫШ"),
    ("kk", "ҚАЗАҚСТАН", "Қазақстан"),
    ("kk", "әлем", "ӘЛЕМ"),
    ("kk", "ғылым", "ҒЫЛЫМ"),
    ("kk", "ӨНІМ", "өнім"),
    ("kk", "ұялы", "ҰЯЛЫ ТЕЛЕФОН"),
    ("kk", "ҮЙ", "үй"),
    ("kk", "һәм", "ҺӘМ"),
    ("kk", "ІСТЕМЕЙДІ", "істемейді"),
    ("kk", "кір жуғыш машина", "КІР ЖУҒЫШ МАШИНА"),
    ("kk", "шағым", "ШАҒЫМ"),
    ("kk", "ЙОГУРТ", "йогурт"),
    ("kk", "ЁЛКА", "ёлка"),
    ("kk", "атом", "а\u0301том"),
    ("kk", "АЛМАТЫ", "Алматы қаласы"),
    # English and Latin accents.
    ("en", "leaking", "The fridge is LEAKING water."),
    ("en", "café", "CAFE"),
    ("en", "cafe", "Café"),
    ("en", "naive", "naïve"),
    ("en", "resume", "résumé"),
    ("en", "zoe", "Zoë"),
    ("en", "angstrom", "Ångström"),
    ("en", "strasse", "Straße"),
    ("en", "filter", "ﬁlter"),
    ("en", "ＦＲＩＤＧＥ", "fridge"),
    ("en", "wi fi", "Wi-Fi"),
    ("en", "warranty", "(warranty),"),
    ("en", "don't", "I don't know"),
]

# (language, query, stored identifier): the keys are equal.
KEY_PAIRS = [
    ("fa", "۱۲۳۴۵-ARY", "12345 ary"),
    ("fa", "۱۲۳۴۵-ARY", "12345ARY"),
    ("fa", "١٢٣٤٥ ARY", "12345-ARY"),
    ("fa", "\u200e۱۲۳۴۵-ARY\u200f", "12345-ARY"),
    ("en", "AS-000301", "as000301"),
    ("en", "AS 000301", "AS-000301"),
    ("en", "as.000301", "AS_000301"),
    ("en", "AS/000301", "(AS)000301"),
    ("en", "ＡＳ－０００３０１", "AS-000301"),
    ("en", "AS\u2010000301", "AS-000301"),
    ("en", "AS–000301", "AS-000301"),
    ("en", "SN 12 34 56", "sn123456"),
    ("tr", "SN-İ42", "sn-i42"),
    ("en", "A.Karimi@Example.COM", "a.karimi@example.com"),
    ("en", " ali@example.com ", "ALI@EXAMPLE.COM"),
    ("fa", "ali۱۲@example.com", "ALI12@example.com"),
    ("fa", "+98 912 345 6789", "+989123456789"),
    ("fa", "+98 (912) 345-67-89", "+989123456789"),
    ("fa", "0912-345-6789", "0912 345 6789"),
    ("fa", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "09123456789"),
]

# (language, query, region, stored contact point in E.164).
PHONE_PAIRS = [
    ("fa", "0912-345-6789", "IR", "+989123456789"),
    ("fa", "0912 345 6789", "IR", "+989123456789"),
    ("fa", "۰۹۱۲۳۴۵۶۷۸۹", "IR", "+989123456789"),
    ("fa", "٠٩١٢٣٤٥٦٧٨٩", "IR", "+989123456789"),
    ("fa", "9123456789", "IR", "+989123456789"),
    ("fa", "0098 912 345 6789", "IR", "+989123456789"),
    ("fa", "+98 912 345 6789", None, "+989123456789"),
    ("tr", "0532 123 45 67", "TR", "+905321234567"),
    ("tr", "(0532) 123-45-67", "TR", "+905321234567"),
    ("kk", "8 701 234 5678", "KZ", "+77012345678"),
    ("kk", "+7 (701) 234-56-78", None, "+77012345678"),
]

# (language, query, document): different words that too aggressive a fold would merge.
TEXT_APART = [
    ("fa", "گل", "کل"),
    ("fa", "پار", "بار"),
    ("fa", "چای", "جای"),
    ("fa", "ژن", "زن"),
    ("fa", "هال", "حال"),
    ("fa", "مراجعت", "مراجعة"),
    ("fa", "مصطفا", "مصطفى"),
    ("fa", "جز", "جزء"),
    ("fa", "خانهبزرگ", "خانه بزرگ"),
    ("kk", "кол", "қол"),
    ("kk", "от", "өт"),
    ("kk", "ал", "әл"),
    ("kk", "ен", "ең"),
    ("kk", "ун", "ұн"),
    ("kk", "бил", "біл"),
    ("kk", "мои", "мой"),
    ("kk", "все", "всё"),
    ("en", "21", "12"),
    ("en", "125", "12.5"),
]

# (language, query, stored identifier, region): keys that must stay apart.
KEYS_APART = [
    ("en", "12345-ARZ", "12345-ARY", None),
    ("en", "AS-000310", "AS-000301", None),
    ("en", "AS-O00301", "AS-000301", None),
    ("en", "123456", "12345", None),
    ("en", "ab@example.com", "a.b@example.com", None),
    ("fa", "+98 912 345 6788", "+989123456789", "IR"),
    ("fa", "0912-345-6789", "+989123456789", None),
    ("tr", "0532 123 45 67", "+905321234567", "IR"),
]


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

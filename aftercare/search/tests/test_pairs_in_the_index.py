"""Done-when 1 of issue 12: the query/document pairs of `pairs.py` through the index itself. The
suite runs on SQLite and on PostgreSQL in CI, so each pair is checked on both engines, with the
exact result expected: which documents, in which tier, in which order."""

import pytest

from aftercare.search.normalize import index_tokens, query_tokens
from aftercare.search.selectors import (
    TIER_IDENTIFIER,
    TIER_TEXT,
    TIER_TITLE,
    query_parse,
    search_page,
)
from aftercare.search.services import Document, search_documents_put
from aftercare.search.tests.pairs import KEY_PAIRS, KEYS_APART, PHONE_PAIRS, TEXT_APART, TEXT_PAIRS

pytestmark = pytest.mark.django_db


def results(organization, query, *, region=None):
    page = search_page(
        organization_id=organization.pk,
        query=query_parse(query, region=region),
        kinds=["pair"],
        limit=50,
    )
    return [(hit.object_id, hit.tier) for hit in page.items]


def put(organization, *documents):
    search_documents_put(
        [
            Document(organization_id=organization.pk, kind="pair", object_id=number, **values)
            for number, values in enumerate(documents, start=1)
        ]
    )


@pytest.mark.parametrize(("language", "query", "document"), TEXT_PAIRS)
def test_text_pair_is_found_in_the_title_then_in_the_body(org, language, query, document):
    # The same text as a title (document 1), in a message (document 2), and a document that
    # shares no word with it (3).
    put(
        org,
        {"title": document, "language": language},
        {"title": "—", "body": ["first message", document], "language": language},
        {"title": "unrelated", "body": ["nothing in common"]},
    )
    assert results(org, query) == [(1, TIER_TITLE), (2, TIER_TEXT)]


@pytest.mark.parametrize(("language", "query", "stored"), KEY_PAIRS)
def test_identifier_typed_differently_is_found_whole(org, language, query, stored):
    put(org, {"title": "unit", "identifiers": [stored]}, {"title": "unit", "identifiers": ["X-1"]})
    assert results(org, query)[0] == (1, TIER_IDENTIFIER)
    assert (2, TIER_IDENTIFIER) not in results(org, query)


@pytest.mark.parametrize(("language", "query", "region", "stored"), PHONE_PAIRS)
def test_phone_typed_in_any_format_finds_its_customer(org, language, query, region, stored):
    put(org, {"title": "customer", "identifiers": [stored]}, {"title": "customer"})
    assert results(org, query, region=region)[0] == (1, TIER_IDENTIFIER)


def _prefix_of_a_word(query: str, document: str) -> bool:
    words = index_tokens(document)
    return all(any(word.startswith(q) for word in words) for q in query_tokens(query))


# A query's words match as prefixes (what is typed finds the longer word as it is typed), so a
# pair whose query begins a word of the document meets in the index although the words differ:
# جز finds جزء. The others must stay apart in the index too.
INDEX_APART = [row for row in TEXT_APART if not _prefix_of_a_word(row[1], row[2])]


def test_only_prefix_pairs_are_left_out():
    assert [row for row in TEXT_APART if row not in INDEX_APART] == [("fa", "جز", "جزء")]


@pytest.mark.parametrize(("language", "query", "document"), INDEX_APART)
def test_different_words_stay_apart_in_the_index(org, language, query, document):
    put(org, {"title": document, "body": [document]})
    assert results(org, query) == []


@pytest.mark.parametrize(("language", "query", "stored", "region"), KEYS_APART)
def test_different_identifiers_stay_apart_in_the_index(org, language, query, stored, region):
    put(org, {"title": "unit", "identifiers": [stored]})
    assert results(org, query, region=region) == []


def test_the_table_is_as_large_as_promised():
    pairs = TEXT_PAIRS + KEY_PAIRS + PHONE_PAIRS
    assert len(pairs) >= 80
    assert {row[0] for row in pairs} == {"fa", "tr", "kk", "en"}

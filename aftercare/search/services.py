"""Writes to the index. Each app puts its documents in from its own services, inside the
transaction of the write they follow, so that the index never answers for a state the database
does not hold: a rolled-back write takes its index update with it.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from aftercare.search import backends
from aftercare.search.models import Audience, SearchEntry
from aftercare.search.normalize import identifier_key, index_tokens, tokens

# Words longer than this are not words (encoded blobs, long URLs): left out of the index, and
# out of queries alike, so that both engines see the same words.
MAX_WORD_LENGTH = 64
# A field keeps at most this many distinct words (a very long thread keeps its first ones).
MAX_FIELD_WORDS = 20_000


@dataclass(frozen=True)
class Document:
    """What an app gives the index for one of its objects.

    `identifiers` are matched whole, however they are typed (request numbers, serials, phones
    in E.164, emails); `title` and `body` word by word, each word also as a prefix. The filter
    values (`audience`, `customer_id`, `state`, `language`) are what a search may be narrowed
    to."""

    organization_id: int
    kind: str
    object_id: int
    title: str = ""
    body: Sequence[str] = ()
    identifiers: Sequence[str] = ()
    audience: str = Audience.STAFF
    customer_id: int | None = None
    state: str = ""
    language: str = ""


def _distinct(words: Iterable[str]) -> list[str]:
    kept: dict[str, None] = {}
    for word in words:
        # An identifier of punctuation alone ("-", "./") has no word: PostgreSQL refuses an
        # empty lexeme in a tsvector, and it would find nothing anyway.
        if word and len(word) <= MAX_WORD_LENGTH:
            kept[word] = None
            if len(kept) >= MAX_FIELD_WORDS:
                break
    return list(kept)


def _identifier_word(value: str) -> str:
    key = identifier_key(value)
    word = "".join(tokens(key))
    if word == key:
        return word
    # An email keeps its dots and @ (a.b@x.com is not ab@x.com), which no engine keeps inside a
    # word: its word is a digest of the whole key, found only by the same key.
    return "m" + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def identifier_words(values: Iterable[str]) -> list[str]:
    """The whole-match words of identifiers: each one's `identifier_key`, letters and digits
    as they are, an email as a digest."""
    return _distinct(_identifier_word(value) for value in values if value and value.strip())


def document_words(document: Document) -> backends.Words:
    return backends.Words(
        ident=identifier_words(document.identifiers),
        title=_distinct(index_tokens(document.title)),
        body=_distinct(word for text in document.body if text for word in index_tokens(text)),
    )


def _filters(document: Document) -> dict:
    return {
        "organization_id": document.organization_id,
        "kind": document.kind,
        "audience": document.audience,
        "customer_id": document.customer_id,
        "state": document.state,
        "language": document.language,
    }


def search_documents_put(documents: Sequence[Document], *, new: bool = False) -> None:
    """Put documents in the index, replacing what it held for the same objects. Call it in the
    transaction of the write; a batch costs the same few statements as one document. `new`
    says that the objects were made in this transaction, so the index cannot hold them yet."""
    if not documents:
        return
    by_object = {(document.kind, document.object_id): document for document in documents}
    updated_at = connection.ops.adapt_datetimefield_value(timezone.now())
    backends.entries_put(
        [
            (
                {**_filters(document), "object_id": document.object_id, "updated_at": updated_at},
                document_words(document),
            )
            for document in by_object.values()
        ],
        new=new,
    )


def search_document_put(document: Document) -> None:
    """Put one document in the index (see `search_documents_put`)."""
    search_documents_put([document])


def search_documents_remove(*, kind: str, object_ids: Sequence[int]) -> None:
    """Take objects out of the index (an article unpublished for good, a request merged away).
    Harmless for objects that are not in it."""
    entry_ids = list(
        SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list(
            "id", flat=True
        )
    )
    if entry_ids:
        backends.entries_delete(entry_ids)
        SearchEntry.objects.filter(pk__in=entry_ids).delete()

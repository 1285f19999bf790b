"""Reads of the index: one search for the console, the portal, the API and every app's search box.

Ranking is by tier, the same on SQLite and PostgreSQL, then newest first inside a tier:

0. an identifier typed whole, in any format (a request number, a serial, a phone, an email);
1. every word of the query in the title (a request's subject, a customer's name...);
2. every word of the query anywhere in the document.

Each word of the query matches as a prefix ("yخچ" finds "یخچال"), after the normalizer. A
page asks the index for at most `limit + 1` ids per tier, each lookup ordered by the index
itself, so a page costs the same few statements whether the word is in ten documents or in a
million, and keyset paging (the cursor is the tier and the last id) never repeats or skips.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, decode_cursor, encode_cursor
from aftercare.search import backends
from aftercare.search.kinds import kind_get
from aftercare.search.kinds import kinds as registered_kinds
from aftercare.search.models import Audience
from aftercare.search.normalize import phone_key, query_tokens, tokens
from aftercare.search.services import MAX_WORD_LENGTH, identifier_words
from aftercare.search.snippets import highlight, snippet

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
TIER_IDENTIFIER, TIER_TITLE, TIER_TEXT = 0, 1, 2


@dataclass(frozen=True)
class Query:
    """A query as the index looks it up: its words (each matched as a prefix) and the keys it
    would have as an identifier typed whole."""

    words: tuple[str, ...]
    keys: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words or self.keys)


def query_parse(text: str, *, region: str | None = None, field: str = "q") -> Query:
    """The `Query` of what someone typed. `region` (the organization's country) reads a phone
    number typed without its country code."""
    if len(text) > MAX_QUERY_LENGTH:
        raise ApplicationError(
            _("A search can be at most %(count)d characters long.") % {"count": MAX_QUERY_LENGTH},
            field=field,
        )
    words = tuple(dict.fromkeys(w for w in query_tokens(text) if len(w) <= MAX_WORD_LENGTH))[
        :MAX_QUERY_WORDS
    ]
    keys: tuple[str, ...] = ()
    # Only something with a digit or an @ can be an identifier: a plain word costs no lookup.
    if any(ch.isdigit() or ch == "@" for ch in text):
        found = identifier_words([text])
        phone = phone_key(text, region=region)
        if phone:
            found.append(phone)
        keys = tuple(dict.fromkeys(key for key in found if len(key) <= MAX_WORD_LENGTH))
    return Query(words=words, keys=keys)


@dataclass(frozen=True)
class Hit:
    """One document found: which object, and the tier it was found in."""

    entry_id: int
    kind: str
    object_id: int
    tier: int


def _tiers(query: Query) -> list[tuple[int, backends.Match]]:
    tiers = []
    if query.keys:
        tiers.append(
            (TIER_IDENTIFIER, backends.Match(words=query.words, keys=query.keys, keys_only=True))
        )
    if query.words:
        tiers.append(
            (
                TIER_TITLE,
                backends.Match(words=query.words, keys=query.keys, fields="t", exclude_keys=True),
            )
        )
        tiers.append(
            (
                TIER_TEXT,
                backends.Match(
                    words=query.words,
                    keys=query.keys,
                    fields="a",
                    exclude_title=True,
                    exclude_keys=True,
                ),
            )
        )
    return tiers


def _cursor_values(cursor: str | None) -> tuple[int, int | None]:
    if not cursor:
        return TIER_IDENTIFIER, None
    tier, entry_id = decode_cursor(cursor, size=2)
    if (
        not isinstance(tier, int)
        or isinstance(tier, bool)
        or tier not in (TIER_IDENTIFIER, TIER_TITLE, TIER_TEXT)
        or not isinstance(entry_id, int)
        or isinstance(entry_id, bool)
    ):
        raise ApplicationError(_("The cursor is not valid."), field="cursor")
    return tier, entry_id


def search_page(
    *,
    organization_id: int,
    query: Query,
    kinds: Sequence[str],
    audiences: Sequence[str] = (Audience.STAFF, Audience.CUSTOMER, Audience.PUBLIC),
    customer_id: int | None = None,
    states: Sequence[str] = (),
    languages: Sequence[str] = (),
    cursor: str | None = None,
    limit: int = 25,
) -> Page:
    """A page of `Hit`s of one organization, best tier first, newest first inside a tier.

    `kinds` and `audiences` say what the searcher may find; `customer_id`, `states` and
    `languages` narrow it (an empty sequence: any)."""
    start_tier, before_id = _cursor_values(cursor)
    if not query or not kinds or not audiences:
        return Page(items=[], next_cursor=None)
    filters = _filters(
        organization_id=organization_id,
        kinds=kinds,
        audiences=audiences,
        customer_id=customer_id,
        states=states,
        languages=languages,
    )
    found: list[tuple[int, tuple[int, str, int]]] = []
    for tier, match in _tiers(query):
        if tier < start_tier:
            continue
        rows = backends.entries_matching(
            match=match,
            filters=filters,
            before_id=before_id if tier == start_tier else None,
            limit=limit + 1 - len(found),
        )
        found.extend((tier, row) for row in rows)
        if len(found) > limit:
            break
    more = len(found) > limit
    found = found[:limit]
    hits = [
        Hit(entry_id=entry_id, kind=kind, object_id=object_id, tier=tier)
        for tier, (entry_id, kind, object_id) in found
    ]
    next_cursor = encode_cursor([hits[-1].tier, hits[-1].entry_id]) if more and hits else None
    return Page(items=hits, next_cursor=next_cursor)


def _filters(
    *,
    organization_id: int,
    kinds: Sequence[str],
    audiences: Sequence[str],
    customer_id: int | None = None,
    states: Sequence[str] = (),
    languages: Sequence[str] = (),
) -> dict[str, Sequence]:
    filters: dict[str, Sequence] = {"organization_id": [organization_id], "kind": list(kinds)}
    # Every audience allowed is no filter at all.
    if set(audiences) != set(Audience.values):
        filters["audience"] = list(audiences)
    if customer_id is not None:
        filters["customer_id"] = [customer_id]
    if states:
        filters["state"] = list(states)
    if languages:
        filters["language"] = list(languages)
    return filters


def search_object_ids(
    *,
    organization_id: int,
    query: Query,
    kind: str,
    audiences: Sequence[str] = (Audience.STAFF, Audience.CUSTOMER, Audience.PUBLIC),
    customer_id: int | None = None,
    limit: int = 500,
) -> list[int]:
    """The ids of the objects of one kind that a query finds, best first, at most `limit`: for
    an app's own list narrowed by a search box."""
    page = search_page(
        organization_id=organization_id,
        query=query,
        kinds=[kind],
        audiences=audiences,
        customer_id=customer_id,
        limit=limit,
    )
    return [hit.object_id for hit in page.items]


# Words too common to suggest anything by, in the languages of the product's users.
STOP_WORDS = frozenset(
    tokens(
        # Persian
        "و از به که را با در این آن است هست نیست من ما شما او یک هم تا برای شد شده شود "
        "می نمی ها های ای بود دارد ندارد کنم کند کرد چرا چه وقتی اما یا "
        # Turkish
        "ve bir bu şu da de ile için çok ama ne mi mı gibi daha var yok olarak ben biz "
        # Kazakh
        "және бұл мен бір да де үшін не ма ме бар жоқ өте әлі "
        # English
        "the a an is are was it its my i to of and in on at not no does do did with for "
        "this that be been have has had me we you our your there can cannot when after"
    )
)


def suggestion_words(text: str) -> tuple[str, ...]:
    """The words a sentence being typed is looked up by: its query words but the common ones
    and those of one letter, from its first MAX_QUERY_LENGTH characters."""
    return tuple(
        word
        for word in dict.fromkeys(query_tokens(text[:MAX_QUERY_LENGTH]))
        if 1 < len(word) <= MAX_WORD_LENGTH and word not in STOP_WORDS
    )[:MAX_QUERY_WORDS]


def search_suggestions(
    *,
    organization_id: int,
    text: str,
    kinds: Sequence[str],
    audiences: Sequence[str],
    states: Sequence[str] = (),
    languages: Sequence[str] = (),
    limit: int = 200,
) -> list[Hit]:
    """Documents with any of the words of `text` (a sentence being typed), its common words
    left out, newest first, at most `limit`: candidates for the caller to rank by how many of the
    words each holds (it has their text). Words of one letter are left out too; text beyond
    MAX_QUERY_LENGTH is cut, not refused."""
    words = suggestion_words(text)
    if not words or not kinds or not audiences:
        return []
    filters = _filters(
        organization_id=organization_id,
        kinds=kinds,
        audiences=audiences,
        states=states,
        languages=languages,
    )
    rows = backends.entries_matching(
        match=backends.Match(words=words, keys=(), any_word=True),
        filters=filters,
        before_id=None,
        limit=limit,
    )
    return [
        Hit(entry_id=entry_id, kind=kind, object_id=object_id, tier=TIER_TEXT)
        for entry_id, kind, object_id in rows
    ]


@dataclass(frozen=True)
class Result:
    """A hit as a result list shows it."""

    kind: str
    kind_label: str
    object_id: int
    tier: int
    url: str
    title_text: str
    title: SafeString
    snippet: SafeString
    facts: Sequence[str]


def search_results(
    *, organization_id: int, query: Query, hits: Sequence[Hit], viewer: str
) -> list[Result]:
    """The `Result`s of a page of hits, each kind's objects shown by the kind in one call."""
    by_kind: dict[str, list[int]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit.object_id)
    shown = {}
    for name, object_ids in by_kind.items():
        kind = kind_get(name)
        if kind is None:
            continue
        for object_id, item in kind.show(organization_id, object_ids, viewer).items():
            shown[(name, object_id)] = (kind, item)
    results = []
    for hit in hits:
        if (hit.kind, hit.object_id) not in shown:
            continue
        kind, item = shown[(hit.kind, hit.object_id)]
        results.append(
            Result(
                kind=hit.kind,
                kind_label=str(kind.label),
                object_id=hit.object_id,
                tier=hit.tier,
                url=item.url,
                title_text=item.title,
                title=highlight(item.title, query.words),
                snippet=snippet(item.texts, query.words),
                facts=item.facts,
            )
        )
    return results


@dataclass(frozen=True)
class ResultPage:
    """A page of results and the cursor of the next one."""

    results: list[Result]
    next_cursor: str | None
    query: Query


def staff_search(
    *,
    organization: Organization,
    role: str,
    text: str,
    kinds: Sequence[str] = (),
    states: Sequence[str] = (),
    cursor: str | None = None,
    limit: int = 25,
) -> ResultPage:
    """What a member of staff of `role` finds: every registered kind whose pages the role may
    open (or those of `kinds`), every audience, narrowed to `states` if given. An unknown kind,
    or one the role may not open, names the field `kind`."""
    known = [kind.name for kind in registered_kinds(role=role)]
    unknown = [name for name in kinds if name not in known]
    if unknown:
        raise ApplicationError(
            _("Unknown kind of result: %(kinds)s.") % {"kinds": ", ".join(unknown)}, field="kind"
        )
    query = query_parse(text, region=organization.country)
    page = search_page(
        organization_id=organization.pk,
        query=query,
        kinds=list(kinds) or known,
        states=states,
        cursor=cursor,
        limit=limit,
    )
    results = search_results(
        organization_id=organization.pk, query=query, hits=page.items, viewer="staff"
    )
    return ResultPage(results=results, next_cursor=page.next_cursor, query=query)

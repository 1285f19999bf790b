"""The two engines behind the index, written so that they answer alike.

Every word reaches the engine already normalized (`aftercare.search.normalize`): lower-case
letters and digits only. Neither engine's own text rules run: SQLite's FTS5 table uses the
`ascii` tokenizer, which only splits on the spaces between our words, and PostgreSQL's vector
is written as a `tsvector` literal, not through a text-search configuration's parser. So a word
is the same word on both, and a query matches the same documents.

A document has three fields, each searched separately:

- `ident`: identifier keys (request numbers, serials, phones, emails), matched whole;
- `title`: the subject or name;
- `body`: everything else (messages, contact points, models...).

On SQLite every word of the FTS5 table starts with its organization's id and a "z" (`12zکولر`):
a query looks up its own organization's words only, so a word common in other organizations
costs nothing, and no filter has to be intersected with a list of a whole organization's
documents inside FTS5 (which reads such a list whole). The other filters are the entry's own
columns, joined by rowid as the FTS5 lookup yields its rows, newest first, until the page is
full. On PostgreSQL every filter is the entry's own column. The vector gives each word one
position per field it is in, weighted A (ident), B (title) or C (body), so that a query can ask
for a field by weight.

Results come back newest entry first (`id` descending) inside a tier; tiers are the ranking
(`selectors.search_page`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

# The filters a search may ask for: columns of the entry.
FILTERS = ("organization_id", "kind", "audience", "customer_id", "state", "language")


def _own(organization_id: int, word: str) -> str:
    """A word as the FTS5 table holds it: in its organization's own words."""
    return f"{organization_id}z{word}"


@dataclass(frozen=True)
class Words:
    """A document's words per field, each list without repeats."""

    ident: Sequence[str]
    title: Sequence[str]
    body: Sequence[str]


@dataclass(frozen=True)
class Match:
    """What a tier asks of a document: any of `keys` in ident (`keys_only`), or every word of
    `words` (or any, `any_word`) as a prefix in the fields `fields` ("t" for title, "a" for any),
    with the documents
    of the tiers above left out (`exclude_keys`, `exclude_title`)."""

    words: Sequence[str]
    keys: Sequence[str]
    keys_only: bool = False
    # Any of the words rather than every one (suggestions from a sentence being typed).
    any_word: bool = False
    fields: str = "a"
    exclude_keys: bool = False
    exclude_title: bool = False


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- writing -------------------------------------------------------------------------------


def _tsvector(words: Words) -> str:
    """The `tsvector` literal of a document: each word at position 1 (A) if an identifier, 2 (B)
    if in the title, 3 (C) if in the body. Words hold letters and digits only; quotes and
    backslashes are escaped all the same."""
    positions: dict[str, list[str]] = {}
    for field, position in ((words.ident, "1A"), (words.title, "2B"), (words.body, "3C")):
        for word in field:
            positions.setdefault(word, []).append(position)
    return " ".join(
        "'" + word.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(places)
        for word, places in positions.items()
    )


_ENTRY_COLUMNS = ("organization_id", "kind", "object_id", "audience", "customer_id", "state")
_ENTRY_COLUMNS += ("language", "updated_at")
# Rows per INSERT: far below either engine's limit of parameters per statement.
_CHUNK = 500


def entries_put(rows: Sequence[tuple[dict, Words]], *, new: bool) -> None:
    """Write entries and their words: (the entry's columns, its words) for each. An entry of the
    same object is replaced in place (it keeps its id, so its place in the results); `new` says
    none can exist yet (the objects were made in this transaction), which saves the lookup of
    old words. One INSERT … ON CONFLICT per chunk, plus on SQLite the words' DELETE and INSERT."""
    postgresql = is_postgresql()
    columns = _ENTRY_COLUMNS + (("vector",) if postgresql else ())
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("kind", "object_id"))
    placeholders = "(" + ", ".join(["%s"] * len(_ENTRY_COLUMNS))
    placeholders += ", %s::tsvector)" if postgresql else ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            params: list = []
            for values, words in chunk:
                params.extend(values[column] for column in _ENTRY_COLUMNS)
                if postgresql:
                    params.append(_tsvector(words))
            cursor.execute(
                f"INSERT INTO search_searchentry ({', '.join(columns)}) "  # noqa: S608
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT (kind, object_id) DO UPDATE SET {updates} "
                "RETURNING id, kind, object_id",
                params,
            )
            if postgresql:
                continue
            ids = {(kind, object_id): entry_id for entry_id, kind, object_id in cursor.fetchall()}
            keyed = [
                (ids[(values["kind"], values["object_id"])], values, words)
                for values, words in chunk
            ]
            if not new:
                cursor.execute(
                    "DELETE FROM search_fts WHERE rowid IN "  # noqa: S608
                    f"({', '.join(['%s'] * len(keyed))})",
                    [entry_id for entry_id, _, _ in keyed],
                )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, ident, title, body) VALUES (%s, %s, %s, %s)",
                [
                    (
                        entry_id,
                        " ".join(_own(values["organization_id"], w) for w in words.ident),
                        " ".join(_own(values["organization_id"], w) for w in words.title),
                        " ".join(_own(values["organization_id"], w) for w in words.body),
                    )
                    for entry_id, values, words in keyed
                ],
            )


def entries_delete(entry_ids: Sequence[int]) -> None:
    """Take the words of these entries out (their rows go separately)."""
    if not entry_ids or is_postgresql():
        return  # On PostgreSQL the words are a column of the row itself.
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM search_fts WHERE rowid = %s", [(entry_id,) for entry_id in entry_ids]
        )


# --- reading -------------------------------------------------------------------------------


def _fts_phrase(word: str, *, prefix: bool) -> str:
    return '"' + word + '"' + ("*" if prefix else "")


def _fts_all(words: Sequence[str], *, prefix: bool, joiner: str = " AND ") -> str:
    return "(" + joiner.join(_fts_phrase(word, prefix=prefix) for word in words) + ")"


def _fts_match(match: Match, organization_id: int) -> str:
    words = [_own(organization_id, word) for word in match.words]
    keys = (
        "ident : "
        + _fts_all([_own(organization_id, k) for k in match.keys], prefix=False, joiner=" OR ")
        if match.keys
        else ""
    )
    if match.keys_only:
        return keys
    columns = "title" if match.fields == "t" else "{ident title body}"
    joiner = " OR " if match.any_word else " AND "
    expression = f"({columns} : {_fts_all(words, prefix=True, joiner=joiner)})"
    if match.exclude_title:
        expression += f" NOT (title : {_fts_all(words, prefix=True)})"
    if match.exclude_keys and keys:
        expression += f" NOT ({keys})"
    return expression


def _ts_word(word: str, *, weights: str, prefix: bool) -> str:
    return "'" + word + "':" + ("*" if prefix else "") + weights


def _ts_all(words: Sequence[str], *, weights: str, joiner: str = " & ") -> str:
    return "(" + joiner.join(_ts_word(w, weights=weights, prefix=True) for w in words) + ")"


def _ts_query(match: Match) -> str:
    keys = "(" + " | ".join(_ts_word(k, weights="A", prefix=False) for k in match.keys) + ")"
    if match.keys_only:
        return keys
    expression = _ts_all(
        match.words,
        weights="B" if match.fields == "t" else "ABC",
        joiner=" | " if match.any_word else " & ",
    )
    if match.exclude_title:
        expression += " & !" + _ts_all(match.words, weights="B")
    if match.exclude_keys and match.keys:
        expression += " & !" + keys
    return expression


def entries_matching(
    *, match: Match, filters: dict[str, Sequence], before_id: int | None, limit: int
) -> list[tuple[int, str, int]]:
    """(id, kind, object id) of the entries that pass `filters` (column → allowed values; the
    organization's one id is required) and `match`, newest first, below `before_id` if given,
    at most `limit`."""
    [organization_id] = filters["organization_id"]
    conditions: list[str] = []
    params: list = []
    postgresql = is_postgresql()
    for column, values in filters.items():
        if column not in FILTERS:
            raise ValueError(f"Unknown filter {column!r}.")
        if postgresql:
            conditions.append(f"e.{column} = ANY(%s)")
            params.append(list(values))
        elif column != "organization_id":  # the words are the organization's own
            conditions.append(f"e.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    if before_id is not None:
        conditions.append("e.id < %s" if postgresql else "f.rowid < %s")
        params.append(before_id)
    where = "".join(f" AND {condition}" for condition in conditions)
    with connection.cursor() as cursor:
        # The conditions' columns come from FILTERS, their values are parameters.
        if postgresql:
            cursor.execute(
                "SELECT e.id, e.kind, e.object_id FROM search_searchentry e "  # noqa: S608
                "WHERE e.vector @@ %s::tsquery" + where + " ORDER BY e.id DESC LIMIT %s",
                [_ts_query(match), *params, limit],
            )
        else:
            cursor.execute(
                # CROSS JOIN keeps FTS5 the outer loop (SQLite never reorders it): the other
                # way round, each entry would be a lookup in FTS5 of its own.
                "SELECT f.rowid, e.kind, e.object_id FROM search_fts f "  # noqa: S608
                "CROSS JOIN search_searchentry e ON e.id = f.rowid WHERE search_fts MATCH %s"
                + where
                + " ORDER BY f.rowid DESC LIMIT %s",
                [_fts_match(match, organization_id), *params, limit],
            )
        return [tuple(row) for row in cursor.fetchall()]

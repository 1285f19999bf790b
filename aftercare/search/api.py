"""API v1: one search over the organization's requests, customers, units and articles."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from aftercare.api.schemas import LIST, PageQuery, Text, responses
from aftercare.search.selectors import staff_search

router = Router(tags=["search"])


class SearchQuery(PageQuery):
    """What to look for, and in what."""

    q: Text(200, min_length=1) = Field(
        description="Words (each matched as the start of a word, in any script and spelling: "
        "Arabic or Persian letters, with or without ZWNJ, Persian digits, Turkish İ/ı), or an "
        "identifier typed in any format: request number, serial, phone, email."
    )
    kind: list[Text(16)] = Field(
        [], description="Only these kinds: request, customer, unit, article. Default: all."
    )
    state: list[Text(24)] = Field(
        [], description="Only documents in these states (a request's status, an article's state)."
    )


class SearchHitOut(Schema):
    """One result: what it is, where it opens in the console, and why it matched."""

    kind: str
    id: int = Field(description="The id of the request, customer, unit or article translation.")
    tier: int = Field(
        description="0: an identifier typed whole; 1: every word in the title; 2: in the text."
    )
    title: str
    title_html: str = Field(description="The title, HTML-escaped, with matches in <mark>.")
    snippet_html: str = Field(description="A short part of the text around the first match.")
    facts: list[str]
    url: str


class SearchPageOut(Schema):
    """A page of results, best first."""

    items: list[SearchHitOut]
    next_cursor: str | None


@router.get("/", response=responses({200: SearchPageOut}, LIST), summary="Search")
def search_api(request: HttpRequest, filters: Query[SearchQuery]):
    """Search everything of the organization at once: ranked (identifier, then title, then
    text; newest first within each), with highlighted snippets, narrowed by kind and state."""
    page = staff_search(
        organization=request.organization,
        role=request.membership.role,
        text=filters.q,
        kinds=filters.kind,
        states=filters.state,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {
        "items": [
            {
                "kind": result.kind,
                "id": result.object_id,
                "tier": result.tier,
                "title": result.title_text,
                "title_html": str(result.title),
                "snippet_html": str(result.snippet),
                "facts": [str(fact) for fact in result.facts],
                "url": result.url,
            }
            for result in page.results
        ],
        "next_cursor": page.next_cursor,
    }

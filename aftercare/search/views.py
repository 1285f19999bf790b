"""The console's search page: every kind of document of the organization, best match first."""

from django.http import HttpRequest, HttpResponse

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view, next_page_url, query_with, render_console
from aftercare.lib.errors import ApplicationError
from aftercare.search.kinds import kind_get, kinds
from aftercare.search.selectors import staff_search

PAGE_SIZE = 25


@console_view()
def search_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Results for `q`, narrowed to one `kind` and its `state`s if asked."""
    text = (request.GET.get("q") or "").strip()
    kind = request.GET.get("kind") or ""
    states = [value for value in request.GET.getlist("state") if value]
    chosen = kind_get(kind) if kind in {k.name for k in kinds(role=membership.role)} else None
    error, field, page = "", "", None
    if text:
        try:
            page = staff_search(
                organization=membership.organization,
                role=membership.role,
                text=text,
                kinds=[kind] if kind else [],
                states=states if chosen is not None else [],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ApplicationError as problem:
            error, field = problem.message, problem.field
    tabs = [
        {
            "name": "",
            "label": None,
            "url": "?" + query_with(request.GET, kind=None, state=None, cursor=None),
            "current": not kind,
        }
    ] + [
        {
            "name": each.name,
            "label": each.label,
            "url": "?" + query_with(request.GET, kind=each.name, state=None, cursor=None),
            "current": each.name == kind,
        }
        for each in kinds(role=membership.role)
    ]
    context = {
        "q": text,
        "kind": chosen,
        "states": states,
        "tabs": tabs,
        "page": page,
        "error": error,
        "error_field": field,
        "next_url": next_page_url(request, page),
    }
    return render_console(
        request, membership, "search/results.html", context, status=422 if error else 200
    )

"""Reads of canned answers, macros and saved views: what a member may see and use, and the queue
counts of saved views."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.validation import objects_for_input
from aftercare.tickets.models import Ticket
from aftercare.tickets.productivity.models import CannedAnswer, Macro, SavedView, Scope
from aftercare.tickets.productivity.placeholders import reader_language, render_for_ticket
from aftercare.tickets.selectors import QUEUE_QUERY, queue_query_arguments, ticket_filter


def _visible(membership: Membership) -> Q:
    """Shared with the organization, with a team the member is in, or the member's own."""
    return (
        Q(scope=Scope.ORGANIZATION)
        | Q(scope=Scope.TEAM, team__members=membership.user_id)
        | Q(scope=Scope.PERSONAL, owner_id=membership.user_id)
    )


def _scoped(model, membership: Membership) -> QuerySet:
    """The member's organization's rows of `model` they may see; managers see all but others'
    personal ones."""
    return model.objects.filter(organization_id=membership.organization_id).filter(
        _visible(membership) | (Q(scope=Scope.TEAM) if membership.can_manage else Q(pk__in=[]))
    )


# --- Canned answers ---


def canned_answer_list(*, membership: Membership, language: str | None = None) -> list:
    """The canned answers this member may use, by name; with `language`, those for it or for
    every language, the language's own first."""
    queryset = _scoped(CannedAnswer, membership).select_related("team", "owner").distinct()
    answers = list(queryset)
    if language is not None:
        answers = [answer for answer in answers if answer.language in ("", language)]
        answers.sort(key=lambda answer: (answer.language != language, answer.name.lower()))
    return answers


def canned_answer_page(
    *,
    membership: Membership,
    language: str | None = None,
    scope: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of the canned answers this member may use, by name: with `language`, those
    offered on a request in it (written in it or for every language); with `scope`, those
    shared so."""
    queryset = _scoped(CannedAnswer, membership).select_related("team", "owner").distinct()
    if language is not None:
        queryset = queryset.filter(language__in=["", language])
    if scope is not None:
        queryset = queryset.filter(scope=scope)
    return keyset_paginate(queryset, ordering=["name", "id"], cursor=cursor, limit=limit)


def canned_answer_get(*, membership: Membership, canned_answer_id: int) -> CannedAnswer:
    """A canned answer this member may see, or 404."""
    answer = (
        _scoped(CannedAnswer, membership)
        .select_related("team", "owner")
        .filter(pk=canned_answer_id)
        .distinct()
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def canned_answer_for_input(
    *, membership: Membership, canned_answer_id: int, field: str = "canned_answer_id"
) -> CannedAnswer:
    """A canned answer named in input; one the member may not use is a field error."""
    try:
        return canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)
    except Http404:
        raise ApplicationError(_("No such canned answer."), field=field) from None


@dataclass(frozen=True)
class RenderedAnswer:
    """A canned answer filled in for one request."""

    answer: CannedAnswer
    text: str


def canned_answers_for_ticket(*, membership: Membership, ticket: Ticket) -> list[RenderedAnswer]:
    """The canned answers offered on a request (for its reader's language), each filled in."""
    language = reader_language(ticket)
    return [
        RenderedAnswer(answer, render_for_ticket(answer.body, ticket=ticket, agent=membership.user))
        for answer in canned_answer_list(membership=membership, language=language)
    ]


# --- Macros ---


def macro_list(*, membership: Membership) -> list[Macro]:
    """The macros this member may apply, by name."""
    return list(
        _scoped(Macro, membership)
        .select_related("team", "set_team", "set_assignee", "canned_answer")
        .distinct()
    )


def macro_page(
    *, membership: Membership, scope: str | None = None, cursor: str | None = None, limit: int = 50
) -> Page:
    """One page of the macros this member may apply, by name; with `scope`, those shared so."""
    queryset = (
        _scoped(Macro, membership)
        .select_related("team", "owner", "set_team", "set_assignee", "canned_answer")
        .distinct()
    )
    if scope is not None:
        queryset = queryset.filter(scope=scope)
    return keyset_paginate(queryset, ordering=["name", "id"], cursor=cursor, limit=limit)


def macro_get(*, membership: Membership, macro_id: int) -> Macro:
    """A macro this member may see, or 404."""
    macro = (
        _scoped(Macro, membership)
        .select_related("team", "owner", "set_team", "set_assignee", "canned_answer")
        .filter(pk=macro_id)
        .distinct()
        .first()
    )
    if macro is None:
        raise Http404
    return macro


def macro_for_input(*, membership: Membership, macro_id: int, field: str = "macro_id") -> Macro:
    """A macro named in input; one the member may not apply is a field error."""
    try:
        return macro_get(membership=membership, macro_id=macro_id)
    except Http404:
        raise ApplicationError(_("No such macro."), field=field) from None


# --- Saved views ---

# What a saved view keeps of the queue's query: the same keys as the queue's address.
VIEW_FILTERS = QUEUE_QUERY


def saved_view_list(*, membership: Membership) -> list[SavedView]:
    """The member's own saved views and those shared with the organization, in order."""
    return list(
        SavedView.objects.filter(organization_id=membership.organization_id).filter(
            Q(owner_id=membership.user_id) | Q(is_shared=True)
        )
    )


def saved_view_page(*, membership: Membership, cursor: str | None = None, limit: int = 50) -> Page:
    """One page of the saved views the member sees, in their order, each with `count`, how
    many requests it holds: two queries a page."""
    queryset = (
        SavedView.objects.filter(organization_id=membership.organization_id)
        .filter(Q(owner_id=membership.user_id) | Q(is_shared=True))
        .select_related("owner")
    )
    page = keyset_paginate(
        queryset, ordering=["position", "name", "id"], cursor=cursor, limit=limit
    )
    for view, count in zip(
        page.items, saved_view_counts(views=page.items, membership=membership), strict=True
    ):
        view.count = count
    return page


def saved_view_get(*, membership: Membership, saved_view_id: int) -> SavedView:
    """A saved view the member may see (their own or a shared one), or 404."""
    view = (
        SavedView.objects.filter(organization_id=membership.organization_id, pk=saved_view_id)
        .filter(Q(owner_id=membership.user_id) | Q(is_shared=True))
        .select_related("owner")
        .first()
    )
    if view is None:
        raise Http404
    return view


def saved_view_queryset(*, view: SavedView, organization: Organization, user) -> QuerySet:
    """The requests a saved view shows, unordered: what the queue shows for the same query
    (`tickets.selectors.ticket_filter`, the one reading of it)."""
    return ticket_filter(
        Ticket.objects.filter(organization=organization),
        user=user,
        **queue_query_arguments(view.filters or {}),
    )


def saved_view_counts(*, views: list[SavedView], membership: Membership) -> list[int]:
    """How many requests each saved view holds, for this member, in one query however many."""
    if not views:
        return []
    counts = Ticket.objects.filter(organization_id=membership.organization_id).aggregate(
        **{
            f"view_{index}": Count(
                "pk",
                filter=Q(
                    pk__in=saved_view_queryset(
                        view=view, organization=membership.organization, user=membership.user
                    ).values("pk")
                ),
            )
            for index, view in enumerate(views)
        }
    )
    return [counts[f"view_{index}"] for index in range(len(views))]


def saved_views_with_counts(*, membership: Membership) -> list[tuple[SavedView, int]]:
    """Each saved view the member sees with how many requests it holds: one query for the views
    and one for every count."""
    views = saved_view_list(membership=membership)
    return list(zip(views, saved_view_counts(views=views, membership=membership), strict=True))


def saved_view_filters_check(filters: dict) -> dict:
    """The filters of a saved view, kept to the queue's query (empty ones left out) and read as
    the queue reads them; a bad one is a field error naming it (`filters.<key>`)."""
    cleaned: dict = {}
    for key, value in (filters or {}).items():
        if key not in VIEW_FILTERS:
            raise ApplicationError(_("Unknown filter."), field=f"filters.{key}")
        if value in (None, ""):
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ApplicationError(_("Not a valid value for this filter."), field=f"filters.{key}")
        cleaned[key] = str(value)
    try:
        queue_query_arguments(cleaned)
    except ApplicationError as error:
        raise ApplicationError(
            error.message, field=f"filters.{error.field}", code=error.code
        ) from None
    return cleaned


def tickets_for_input(
    *, organization: Organization, ticket_ids: list[int], field: str = "ticket_ids"
) -> list[Ticket]:
    """The requests named in input, in the order named; an id not of this organization is a
    field error."""
    return objects_for_input(
        Ticket.objects.filter(organization=organization).select_related("organization"),
        ticket_ids,
        field=field,
        message=_("No such request."),
    )

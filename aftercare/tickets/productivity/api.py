"""API v1: canned answers, macros and saved views, and the actions on requests that use them
(a canned answer filled in for a request, a macro applied) or act on many at once (bulk changes,
merging duplicates).

Every operation runs as the token's member (`request.membership`). Personal canned answers,
macros and views are their owner's alone (another member's are 404); what is shared with a team
or the organization is changed by admins and supervisors only: those handlers ask for MANAGE
(`require_manager`) on top of their operation's level, so a write token of an admin is refused
them as well.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import BaseModel, ConfigDict

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import member_get, team_for_input
from aftercare.api.base import json_answer
from aftercare.api.fields import api_field_names
from aftercare.api.permissions import require_manager
from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    BodySchema,
    ErrorOut,
    Id,
    KindName,
    Language,
    LanguageCode,
    PageQuery,
    PriorityValue,
    RefOut,
    StatusName,
    Text,
    UserRefOut,
    responses,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.vocabulary import Status
from aftercare.tickets.api_schemas import SortName, TicketOut, ticket_out
from aftercare.tickets.productivity.models import Macro, SavedView, Scope
from aftercare.tickets.productivity.placeholders import reader_language
from aftercare.tickets.productivity.selectors import (
    canned_answer_for_input,
    canned_answer_get,
    canned_answer_page,
    macro_get,
    macro_page,
    saved_view_counts,
    saved_view_get,
    saved_view_page,
    tickets_for_input,
)
from aftercare.tickets.productivity.services import (
    BULK_ACTIONS,
    BULK_MAX,
    NAME_MAX,
    TAGS_MAX,
    canned_answer_create,
    canned_answer_delete,
    canned_answer_render,
    canned_answer_update,
    macro_apply,
    macro_create,
    macro_delete,
    macro_update,
    saved_view_create,
    saved_view_delete,
    saved_view_update,
    tickets_bulk_apply,
)
from aftercare.tickets.selectors import QUEUES, SLA_FILTERS, ticket_get, tickets_get
from aftercare.tickets.services import BODY_MAX

canned_answers_router = Router(tags=["agent productivity"])
macros_router = Router(tags=["agent productivity"])
saved_views_router = Router(tags=["agent productivity"])
# Mounted on /tickets/ before the requests' own router: `/tickets/bulk` is no request id.
tickets_router = Router(tags=["tickets"])

ScopeName = Literal[tuple(Scope.values)]
QueueName = Literal[QUEUES]
SlaFilterName = Literal[tuple(SLA_FILTERS)]
AssignName = Literal["", "me", "none", "member"]
MacroMessageKind = Literal[tuple(Macro.MessageKind.values)]
BulkActionName = Literal[BULK_ACTIONS]
TagName = Text(50, min_length=1)
ViewName = Text(60, min_length=1)
Name = Text(NAME_MAX, min_length=1)
StatusOrBlank = Literal[("", *Status.values)]
# Canned answers and macros are read at WRITE (as in the console, viewers have no use for them):
# their reads may be refused too.
LIST_WRITE = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
READ_WRITE = WRITE


@contextmanager
def _refusals_as_403() -> Iterator[None]:
    """A service's refusal of the member (not of the input) answered 403, as the matrix's are."""
    try:
        yield
    except ApplicationError as error:
        if error.code == "permission":
            raise PermissionDenied(error.message) from error
        raise


def _membership(request: HttpRequest) -> Membership:
    return request.membership


def _require_manager_for_shared(request: HttpRequest, *, shared: bool) -> None:
    if shared:
        require_manager(request)


# --- Canned answers ---


class CannedAnswerOut(Schema):
    """A reply written once, with placeholders such as `{{ customer_name }}`."""

    id: int
    name: str
    body: str
    language: str = Field(description="The language it is offered in; '' for every language.")
    scope: str = Field(description="Who uses it: personal (its owner), team or organization.")
    team: RefOut | None
    owner: UserRefOut | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CannedAnswerPageOut(Schema):
    """One page of canned answers."""

    items: list[CannedAnswerOut]
    next_cursor: str | None


class CannedAnswerListQuery(PageQuery):
    """Filters of the canned answers."""

    language: LanguageCode | None = Field(
        None, description="Only those offered in this language: its own and every language's."
    )
    scope: ScopeName | None = None


class CannedAnswerIn(BodySchema):
    """A new canned answer; sharing it with a team or the organization needs MANAGE."""

    name: Name
    body: Text(BODY_MAX, min_length=1)
    language: Language = ""
    scope: ScopeName = Scope.PERSONAL.value
    team_id: Id | None = Field(None, description="The team, for scope `team`.")


class CannedAnswerUpdateIn(BodySchema):
    """Fields to change; absent ones stay as they are."""

    # Not nullable: a canned answer always has a name, a text and a scope.
    name: Name = None
    body: Text(BODY_MAX, min_length=1) = None
    language: Language | None = None
    scope: ScopeName = None
    team_id: Id | None = None


class RenderedAnswerOut(Schema):
    """A canned answer filled in for one request, in the language its customer reads."""

    canned_answer_id: int
    ticket_id: int
    language: str
    text: str


@canned_answers_router.get(
    "/", response=responses({200: CannedAnswerPageOut}, LIST_WRITE), summary="List canned answers"
)
def canned_answer_list_api(request: HttpRequest, filters: Query[CannedAnswerListQuery]):
    """The canned answers the token's member may use (their own, their teams', the
    organization's), by name."""
    return canned_answer_page(
        membership=_membership(request),
        language=filters.language,
        scope=filters.scope,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@canned_answers_router.post(
    "/", response=responses({201: CannedAnswerOut}, CREATE), summary="Create a canned answer"
)
def canned_answer_create_api(request: HttpRequest, payload: CannedAnswerIn):
    """A canned answer for oneself, a team (`team_id`) or the organization."""
    membership = _membership(request)
    _require_manager_for_shared(request, shared=payload.scope != Scope.PERSONAL)
    team = None
    if payload.team_id is not None:
        team = team_for_input(organization=request.organization, team_id=payload.team_id)
    with _refusals_as_403():
        answer = canned_answer_create(
            membership=membership,
            name=payload.name,
            body=payload.body,
            language=payload.language,
            scope=payload.scope,
            team=team,
        )
    return Answer(201, canned_answer_get(membership=membership, canned_answer_id=answer.pk))


@canned_answers_router.get(
    "/{canned_answer_id}",
    response=responses({200: CannedAnswerOut}, READ_WRITE),
    summary="Get a canned answer",
)
def canned_answer_get_api(request: HttpRequest, canned_answer_id: Id):
    """One canned answer the member may use."""
    return canned_answer_get(membership=_membership(request), canned_answer_id=canned_answer_id)


@canned_answers_router.patch(
    "/{canned_answer_id}",
    response=responses({200: CannedAnswerOut}, WRITE),
    summary="Update a canned answer",
)
def canned_answer_update_api(
    request: HttpRequest, canned_answer_id: Id, payload: CannedAnswerUpdateIn
):
    """Change one's own canned answer, or (admins and supervisors) a shared one."""
    membership = _membership(request)
    answer = canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)
    changes = payload.model_dump(exclude_unset=True)
    shares = changes.get("scope", Scope.PERSONAL) != Scope.PERSONAL
    _require_manager_for_shared(request, shared=answer.scope != Scope.PERSONAL or shares)
    if "language" in changes:
        changes["language"] = changes["language"] or ""
    if "team_id" in changes:
        team_id = changes.pop("team_id")
        changes["team"] = (
            None
            if team_id is None
            else team_for_input(organization=request.organization, team_id=team_id)
        )
    with _refusals_as_403():
        canned_answer_update(membership=membership, answer=answer, **changes)
    return canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)


@canned_answers_router.delete(
    "/{canned_answer_id}",
    response=responses({204: None}, WRITE),
    summary="Delete a canned answer",
)
def canned_answer_delete_api(request: HttpRequest, canned_answer_id: Id):
    """Delete a canned answer no macro uses (422 on `canned_answer_id` if one does); replies
    already sent with it stay on their requests."""
    membership = _membership(request)
    answer = canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)
    _require_manager_for_shared(request, shared=answer.scope != Scope.PERSONAL)
    with _refusals_as_403():
        canned_answer_delete(membership=membership, answer=answer)
    return Answer(204, None)


@tickets_router.get(
    "/{ticket_id}/canned-answers/{canned_answer_id}/render",
    response=responses({200: RenderedAnswerOut}, READ_WRITE),
    summary="Fill in a canned answer",
)
def canned_answer_render_api(request: HttpRequest, ticket_id: Id, canned_answer_id: Id):
    """The canned answer's text with its placeholders filled in for this request, in its
    customer's language and calendar. Nothing is sent or saved."""
    membership = _membership(request)
    ticket = ticket_get(organization=request.organization, ticket_id=ticket_id)
    answer = canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)
    text = canned_answer_render(membership=membership, answer=answer, ticket=ticket)
    return {
        "canned_answer_id": answer.pk,
        "ticket_id": ticket.pk,
        "language": reader_language(ticket),
        "text": text,
    }


# --- Macros ---


class MacroOut(Schema):
    """Named changes applied to a request in one step; empty values leave a field as it is."""

    id: int
    name: str
    scope: str
    team: RefOut | None
    owner: UserRefOut | None
    status: str
    priority: int | None
    set_team: RefOut | None
    assign: str = Field(
        description="'' leaves the assignee, `me` whoever applies it, `none` back to the queue, "
        "`member` gives it to `set_assignee`."
    )
    set_assignee: UserRefOut | None
    tags_add: list[str]
    tags_remove: list[str]
    message_kind: str = Field(description="'' (no message), `reply` or `note`.")
    canned_answer: RefOut | None
    body: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MacroPageOut(Schema):
    """One page of macros."""

    items: list[MacroOut]
    next_cursor: str | None


class MacroListQuery(PageQuery):
    """Filters of the macros."""

    scope: ScopeName | None = None


class MacroIn(BodySchema):
    """A new macro; it must change something. Sharing it needs MANAGE."""

    name: Name
    scope: ScopeName = Scope.PERSONAL.value
    team_id: Id | None = None
    status: StatusOrBlank = ""
    priority: PriorityValue | None = None
    set_team_id: Id | None = None
    assign: AssignName = ""
    set_assignee_id: Id | None = Field(None, description="The member, for assign `member`.")
    tags_add: list[TagName] = Field([], max_length=TAGS_MAX)
    tags_remove: list[TagName] = Field([], max_length=TAGS_MAX)
    message_kind: MacroMessageKind = ""
    canned_answer_id: Id | None = Field(None, description="The message: this canned answer...")
    body: Text(BODY_MAX) = Field("", description="...or this text (placeholders too).")


class MacroUpdateIn(BodySchema):
    """Fields to change; absent ones stay as they are, null clears one."""

    name: Name = None
    scope: ScopeName = None
    team_id: Id | None = None
    status: StatusOrBlank = None
    priority: PriorityValue | None = None
    set_team_id: Id | None = None
    assign: AssignName = None
    set_assignee_id: Id | None = None
    tags_add: list[TagName] = Field(None, max_length=TAGS_MAX)
    tags_remove: list[TagName] = Field(None, max_length=TAGS_MAX)
    message_kind: MacroMessageKind = None
    canned_answer_id: Id | None = None
    body: Text(BODY_MAX) = None


def _macro_objects(request: HttpRequest, changes: dict) -> dict:
    """The ids of a macro's body turned into objects of the organization (or the member's
    canned answers); one that is not is an error on its field."""
    organization = request.organization
    resolved = dict(changes)
    if "team_id" in resolved:
        team_id = resolved.pop("team_id")
        resolved["team"] = (
            None if team_id is None else team_for_input(organization=organization, team_id=team_id)
        )
    if "set_team_id" in resolved:
        team_id = resolved.pop("set_team_id")
        with api_field_names({"team_id": "set_team_id"}):
            resolved["set_team"] = (
                None
                if team_id is None
                else team_for_input(organization=organization, team_id=team_id)
            )
    if "set_assignee_id" in resolved:
        user_id = resolved.pop("set_assignee_id")
        resolved["set_assignee"] = (
            None
            if user_id is None
            else member_get(organization=organization, user_id=user_id, field="set_assignee_id")
        )
    if "canned_answer_id" in resolved:
        answer_id = resolved.pop("canned_answer_id")
        resolved["canned_answer"] = (
            None
            if answer_id is None
            else canned_answer_for_input(
                membership=_membership(request), canned_answer_id=answer_id
            )
        )
    return resolved


@macros_router.get("/", response=responses({200: MacroPageOut}, LIST_WRITE), summary="List macros")
def macro_list_api(request: HttpRequest, filters: Query[MacroListQuery]):
    """The macros the token's member may apply, by name."""
    return macro_page(
        membership=_membership(request),
        scope=filters.scope,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@macros_router.post("/", response=responses({201: MacroOut}, CREATE), summary="Create a macro")
def macro_create_api(request: HttpRequest, payload: MacroIn):
    """A macro for oneself, a team (`team_id`) or the organization."""
    membership = _membership(request)
    _require_manager_for_shared(request, shared=payload.scope != Scope.PERSONAL)
    values = _macro_objects(request, payload.model_dump())
    with _refusals_as_403():
        macro = macro_create(membership=membership, **values)
    return Answer(201, macro_get(membership=membership, macro_id=macro.pk))


@macros_router.get(
    "/{macro_id}", response=responses({200: MacroOut}, READ_WRITE), summary="Get a macro"
)
def macro_get_api(request: HttpRequest, macro_id: Id):
    """One macro the member may apply."""
    return macro_get(membership=_membership(request), macro_id=macro_id)


@macros_router.patch(
    "/{macro_id}", response=responses({200: MacroOut}, WRITE), summary="Update a macro"
)
def macro_update_api(request: HttpRequest, macro_id: Id, payload: MacroUpdateIn):
    """Change one's own macro, or (admins and supervisors) a shared one."""
    membership = _membership(request)
    macro = macro_get(membership=membership, macro_id=macro_id)
    changes = payload.model_dump(exclude_unset=True)
    shares = changes.get("scope", Scope.PERSONAL) != Scope.PERSONAL
    _require_manager_for_shared(request, shared=macro.scope != Scope.PERSONAL or shares)
    changes = _macro_objects(request, changes)
    for name in ("status", "assign", "message_kind", "body"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    for name in ("tags_add", "tags_remove"):
        if name in changes and changes[name] is None:
            changes[name] = []
    with _refusals_as_403():
        macro_update(membership=membership, macro=macro, **changes)
    return macro_get(membership=membership, macro_id=macro_id)


@macros_router.delete(
    "/{macro_id}", response=responses({204: None}, WRITE), summary="Delete a macro"
)
def macro_delete_api(request: HttpRequest, macro_id: Id):
    """Delete a macro; what it did stays on the requests' timelines."""
    membership = _membership(request)
    macro = macro_get(membership=membership, macro_id=macro_id)
    _require_manager_for_shared(request, shared=macro.scope != Scope.PERSONAL)
    with _refusals_as_403():
        macro_delete(membership=membership, macro=macro)
    return Answer(204, None)


@tickets_router.post(
    "/{ticket_id}/macros/{macro_id}/apply",
    response=responses({200: TicketOut}, WRITE),
    summary="Apply a macro",
)
def macro_apply_api(request: HttpRequest, ticket_id: Id, macro_id: Id):
    """Apply a macro to the request through the same steps as by hand (its message, status,
    priority, team, assignee, tags), all or nothing; the request as it is then."""
    membership = _membership(request)
    organization = request.organization
    ticket = ticket_get(organization=organization, ticket_id=ticket_id)
    macro = macro_get(membership=membership, macro_id=macro_id)
    macro_apply(membership=membership, macro=macro, ticket=ticket)
    return json_answer(ticket_out(ticket_get(organization=organization, ticket_id=ticket_id)))


# --- Saved views ---


class SavedViewFiltersIn(BaseModel):
    """The queue's query a saved view keeps, as the queue's address names it; absent or null
    for any."""

    # A plain pydantic model, read as strictly as a body: ninja's Schema would read any value
    # (a string, a number) as an object whose fields are all absent.
    model_config = ConfigDict(strict=True)

    queue: QueueName | None = None
    status: StatusName | None = None
    kind: KindName | None = None
    priority: PriorityValue | None = None
    team: Id | None = Field(None, description="A team's id.")
    assignee: Id | Literal["none"] | None = Field(
        None, description="A member's id, or `none` for unassigned requests."
    )
    sla: SlaFilterName | None = None
    sort: SortName | None = None


class SavedViewFiltersOut(Schema):
    """The queue's query a saved view keeps; null for any."""

    queue: str | None = None
    status: str | None = None
    kind: str | None = None
    priority: int | None = None
    team: int | None = None
    assignee: int | Literal["none"] | None = None
    sla: str | None = None
    sort: str | None = None


class SavedViewOut(Schema):
    """The queue's filters and sort saved under a name, and how many requests it holds now."""

    id: int
    name: str
    owner: UserRefOut
    is_shared: bool
    position: int
    filters: SavedViewFiltersOut
    count: int = Field(description="How many requests the view holds now.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_filters(view: SavedView) -> dict:
        stored = view.filters or {}
        filters: dict = {}
        for key, value in stored.items():
            if key in ("priority", "team") or (key == "assignee" and value != "none"):
                value = int(value)
            filters[key] = value
        return filters


class SavedViewPageOut(Schema):
    """One page of saved views."""

    items: list[SavedViewOut]
    next_cursor: str | None


class SavedViewIn(BodySchema):
    """A new saved view; sharing it with the organization needs MANAGE."""

    name: ViewName
    filters: SavedViewFiltersIn = Field(default_factory=SavedViewFiltersIn)
    is_shared: bool = False


class SavedViewUpdateIn(BodySchema):
    """Fields to change; absent ones stay as they are. `filters` replaces them all."""

    name: ViewName = None
    filters: SavedViewFiltersIn = None
    is_shared: bool = None
    position: int = Field(None, ge=0, le=10_000)


def _filters(filters: SavedViewFiltersIn) -> dict:
    return {key: str(value) for key, value in filters.model_dump().items() if value is not None}


def _view_answer(membership: Membership, view: SavedView) -> SavedView:
    view.count = saved_view_counts(views=[view], membership=membership)[0]
    return view


@saved_views_router.get(
    "/", response=responses({200: SavedViewPageOut}, LIST), summary="List saved views"
)
def saved_view_list_api(request: HttpRequest, page: Query[PageQuery]):
    """The member's own saved views and those shared with the organization, in their order,
    each with how many requests it holds (the same count as the queue shows)."""
    return saved_view_page(membership=_membership(request), cursor=page.cursor, limit=page.limit)


@saved_views_router.post(
    "/", response=responses({201: SavedViewOut}, CREATE), summary="Create a saved view"
)
def saved_view_create_api(request: HttpRequest, payload: SavedViewIn):
    """Save the queue's filters and sort under a name."""
    membership = _membership(request)
    _require_manager_for_shared(request, shared=payload.is_shared)
    with _refusals_as_403():
        view = saved_view_create(
            membership=membership,
            name=payload.name,
            filters=_filters(payload.filters),
            is_shared=payload.is_shared,
        )
    view = saved_view_get(membership=membership, saved_view_id=view.pk)
    return Answer(201, _view_answer(membership, view))


@saved_views_router.get(
    "/{saved_view_id}",
    response=responses({200: SavedViewOut}, READ),
    summary="Get a saved view",
)
def saved_view_get_api(request: HttpRequest, saved_view_id: Id):
    """One of the member's own saved views or a shared one, with its count."""
    membership = _membership(request)
    view = saved_view_get(membership=membership, saved_view_id=saved_view_id)
    return _view_answer(membership, view)


@saved_views_router.patch(
    "/{saved_view_id}",
    response=responses({200: SavedViewOut}, WRITE),
    summary="Update a saved view",
)
def saved_view_update_api(request: HttpRequest, saved_view_id: Id, payload: SavedViewUpdateIn):
    """Change one's own saved view, or (admins and supervisors) a shared one."""
    membership = _membership(request)
    view = saved_view_get(membership=membership, saved_view_id=saved_view_id)
    changes = payload.model_dump(exclude_unset=True)
    _require_manager_for_shared(request, shared=view.is_shared or bool(changes.get("is_shared")))
    if "filters" in changes:
        changes["filters"] = _filters(payload.filters)
    with _refusals_as_403():
        saved_view_update(membership=membership, view=view, **changes)
    view = saved_view_get(membership=membership, saved_view_id=saved_view_id)
    return _view_answer(membership, view)


@saved_views_router.delete(
    "/{saved_view_id}", response=responses({204: None}, WRITE), summary="Delete a saved view"
)
def saved_view_delete_api(request: HttpRequest, saved_view_id: Id):
    """Delete one's own saved view, or (admins and supervisors) a shared one."""
    membership = _membership(request)
    view = saved_view_get(membership=membership, saved_view_id=saved_view_id)
    _require_manager_for_shared(request, shared=view.is_shared)
    with _refusals_as_403():
        saved_view_delete(membership=membership, view=view)
    return Answer(204, None)


# --- Many requests at once ---


class BulkIn(BodySchema):
    """One action on many requests of the organization: all change, or none."""

    ticket_ids: list[Id] = Field(min_length=1, max_length=BULK_MAX)
    action: BulkActionName = Field(
        description="`assign` (to `assignee_id`, or null for the queue), `status`, `priority`, "
        "`tag_add` or `tag_remove` (`tags`), or `merge` (into `target_id`: the others are "
        "closed and their timelines shown on it; one customer's requests only)."
    )
    assignee_id: Id | None = None
    status: StatusName | None = None
    priority: PriorityValue | None = None
    tags: list[TagName] = Field([], max_length=TAGS_MAX)
    target_id: Id | None = None


class BulkOut(Schema):
    """The requests as they are after the action (for a merge, the one merged into)."""

    items: list[TicketOut]


@tickets_router.post(
    "/bulk", response=responses({200: BulkOut}, CREATE), summary="Change many requests"
)
def tickets_bulk_api(request: HttpRequest, payload: BulkIn):
    """Assign, move to a status, set the priority, add or remove tags, or merge duplicates, for
    every request named, each through the same steps as by hand. Any refusal changes nothing
    and names the request; an id of another organization is 422 on `ticket_ids`."""
    membership = _membership(request)
    organization = request.organization
    tickets = tickets_for_input(organization=organization, ticket_ids=payload.ticket_ids)
    action = payload.action
    if action == "status" and payload.status is None:
        raise ApplicationError(_("Choose the status."), field="status", code="required")
    if action == "priority" and payload.priority is None:
        raise ApplicationError(_("Choose the priority."), field="priority", code="required")
    assignee = None
    if action == "assign" and payload.assignee_id is not None:
        assignee = member_get(organization=organization, user_id=payload.assignee_id)
    target = None
    if action == "merge":
        if payload.target_id is None:
            raise ApplicationError(
                _("Choose the request to merge into."), field="target_id", code="required"
            )
        target = tickets_for_input(
            organization=organization, ticket_ids=[payload.target_id], field="target_id"
        )[0]
    done = tickets_bulk_apply(
        membership=membership,
        tickets=tickets,
        action=action,
        assignee=assignee,
        status=payload.status or "",
        priority=payload.priority,
        tags=payload.tags,
        target=target,
    )
    items = tickets_get(organization=organization, ticket_ids=[ticket.pk for ticket in done])
    return json_answer({"items": [ticket_out(ticket) for ticket in items]})

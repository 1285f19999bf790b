"""Every write of canned answers, macros and saved views, and the actions on many requests at once
(bulk changes, merging duplicates). Changes to requests go through the ticket services, so their
events, SLA clocks and notices happen as when an agent makes them by hand."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Team, User
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import clean_text
from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets import events
from aftercare.tickets.indexing import requests_index
from aftercare.tickets.models import Ticket
from aftercare.tickets.productivity.models import CannedAnswer, Macro, SavedView, Scope
from aftercare.tickets.productivity.placeholders import placeholders_check, render_for_ticket
from aftercare.tickets.productivity.selectors import saved_view_filters_check
from aftercare.tickets.services import (
    BODY_MAX,
    ticket_assign,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.services import sla as sla_services
from aftercare.tickets.services.requests import lock_ticket, set_status

NAME_MAX = 100
TAGS_MAX = 20
BULK_MAX = 200


def may_edit(membership: Membership, item: CannedAnswer | Macro | SavedView) -> bool:
    """Whether the member may change or delete a canned answer, macro or saved view: their own
    personal ones; shared ones if they manage the organization's work."""
    shared = item.is_shared if isinstance(item, SavedView) else item.scope != Scope.PERSONAL
    if shared:
        return membership.can_manage
    return item.owner_id == membership.user_id


def _refuse_unless_may_edit(membership: Membership, item) -> None:
    if not may_edit(membership, item):
        raise ApplicationError(
            _("Only admins and supervisors change what is shared; personal ones only their owner."),
            field="scope",
            code="permission",
        )


def _check_scope(
    membership: Membership, *, scope: str, team: Team | None
) -> tuple[str, Team | None]:
    if scope not in Scope.values:
        raise ApplicationError(_("Choose who it is shared with."), field="scope")
    if scope != Scope.PERSONAL and not membership.can_manage:
        raise ApplicationError(
            _("Only admins and supervisors share with a team or the organization."),
            field="scope",
            code="permission",
        )
    if scope == Scope.TEAM:
        if team is None:
            raise ApplicationError(_("Choose the team."), field="team_id")
        if team.organization_id != membership.organization_id:
            raise ApplicationError(_("No such team."), field="team_id")
    else:
        team = None
    return scope, team


def _clean_language(language: str) -> str:
    if language and not is_language(language):
        raise ApplicationError(_("Unknown language."), field="language")
    return language or ""


# --- Canned answers ---


def canned_answer_create(
    *,
    membership: Membership,
    name: str,
    body: str,
    language: str = "",
    scope: str = Scope.PERSONAL,
    team: Team | None = None,
) -> CannedAnswer:
    """A canned answer for oneself, a team or the organization (sharing needs MANAGE)."""
    name = clean_text(name, field="name", required=True, max_length=NAME_MAX)
    body = clean_text(body, field="body", required=True, max_length=BODY_MAX)
    placeholders_check(body, field="body")
    language = _clean_language(language)
    scope, team = _check_scope(membership, scope=scope, team=team)
    return CannedAnswer.objects.create(
        organization_id=membership.organization_id,
        name=name,
        body=body,
        language=language,
        scope=scope,
        team=team,
        owner_id=membership.user_id,
    )


def canned_answer_update(
    *,
    membership: Membership,
    answer: CannedAnswer,
    name: str | Unset = UNSET,
    body: str | Unset = UNSET,
    language: str | Unset = UNSET,
    scope: str | Unset = UNSET,
    team: Team | None | Unset = UNSET,
) -> CannedAnswer:
    """Change the fields given; only who may edit it (see `may_edit`)."""
    _refuse_unless_may_edit(membership, answer)
    if name is not UNSET:
        answer.name = clean_text(name, field="name", required=True, max_length=NAME_MAX)
    if body is not UNSET:
        answer.body = clean_text(body, field="body", required=True, max_length=BODY_MAX)
        placeholders_check(answer.body, field="body")
    if language is not UNSET:
        answer.language = _clean_language(language)
    if scope is not UNSET or team is not UNSET:
        answer.scope, answer.team = _check_scope(
            membership,
            scope=answer.scope if scope is UNSET else scope,
            team=answer.team if team is UNSET else team,
        )
    answer.updated_at = timezone.now()
    answer.save()
    return answer


def canned_answer_delete(*, membership: Membership, answer: CannedAnswer) -> None:
    """Remove a canned answer no macro uses (what was sent with it stays on the timelines)."""
    _refuse_unless_may_edit(membership, answer)
    if answer.macros.exists():
        raise ApplicationError(
            _("A macro uses this canned answer: change the macro first."), field="canned_answer_id"
        )
    answer.delete()


def canned_answer_render(*, membership: Membership, answer: CannedAnswer, ticket: Ticket) -> str:
    """The canned answer filled in for a request of the member's organization."""
    if ticket.organization_id != membership.organization_id:
        raise ApplicationError(_("No such request."), field="ticket_id")
    return render_for_ticket(answer.body, ticket=ticket, agent=membership.user)


# --- Macros ---


def _clean_tags(names: list[str], *, field: str) -> list[str]:
    cleaned: list[str] = []
    for name in names or []:
        name = clean_text(name, field=field, required=False, max_length=50)
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > TAGS_MAX:
        raise ApplicationError(_("At most %(count)s tags.") % {"count": TAGS_MAX}, field=field)
    return cleaned


def _macro_values(membership: Membership, values: dict) -> dict:
    """Macro fields checked: choices known, objects of the organization, a message to send."""
    organization = membership.organization
    if values.get("status") and values["status"] not in Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    if values.get("priority") is not None and values["priority"] not in Priority.values:
        raise ApplicationError(_("Unknown priority."), field="priority")
    set_team = values.get("set_team")
    if set_team is not None and set_team.organization_id != organization.pk:
        raise ApplicationError(_("No such team."), field="set_team_id")
    assign = values.get("assign") or ""
    if assign not in ("", "me", "none", "member"):
        raise ApplicationError(_("Choose whom to assign to."), field="assign")
    set_assignee = values.get("set_assignee")
    if assign == "member":
        if set_assignee is None:
            raise ApplicationError(_("Choose the member."), field="set_assignee_id")
        if not Membership.objects.filter(
            organization=organization, user=set_assignee, is_active=True
        ).exists():
            raise ApplicationError(
                _("No such member in this organization."), field="set_assignee_id"
            )
    else:
        values["set_assignee"] = None
    values["tags_add"] = _clean_tags(values.get("tags_add") or [], field="tags_add")
    values["tags_remove"] = _clean_tags(values.get("tags_remove") or [], field="tags_remove")
    kind = values.get("message_kind") or ""
    if kind not in Macro.MessageKind.values:
        raise ApplicationError(_("Unknown kind of message."), field="message_kind")
    answer = values.get("canned_answer")
    if answer is not None and answer.organization_id != organization.pk:
        raise ApplicationError(_("No such canned answer."), field="canned_answer_id")
    body = clean_text(values.get("body") or "", field="body", required=False, max_length=BODY_MAX)
    placeholders_check(body, field="body")
    values["body"] = body
    if kind and answer is None and not body:
        raise ApplicationError(
            _("Write the message, or choose a canned answer."), field="body", code="required"
        )
    if not kind:
        values["canned_answer"], values["body"] = None, ""
    does_something = (
        values.get("status")
        or values.get("priority") is not None
        or set_team is not None
        or assign
        or values["tags_add"]
        or values["tags_remove"]
        or kind
    )
    if not does_something:
        raise ApplicationError(_("A macro must change something."), field="status")
    return values


_MACRO_FIELDS = (
    "status",
    "priority",
    "set_team",
    "assign",
    "set_assignee",
    "tags_add",
    "tags_remove",
    "message_kind",
    "canned_answer",
    "body",
)


def macro_create(
    *,
    membership: Membership,
    name: str,
    scope: str = Scope.PERSONAL,
    team: Team | None = None,
    status: str = "",
    priority: int | None = None,
    set_team: Team | None = None,
    assign: str = "",
    set_assignee: User | None = None,
    tags_add: list[str] | None = None,
    tags_remove: list[str] | None = None,
    message_kind: str = "",
    canned_answer: CannedAnswer | None = None,
    body: str = "",
) -> Macro:
    """A macro for oneself, a team or the organization (sharing needs MANAGE)."""
    name = clean_text(name, field="name", required=True, max_length=NAME_MAX)
    scope, team = _check_scope(membership, scope=scope, team=team)
    values = _macro_values(
        membership,
        {
            "status": status,
            "priority": priority,
            "set_team": set_team,
            "assign": assign,
            "set_assignee": set_assignee,
            "tags_add": tags_add,
            "tags_remove": tags_remove,
            "message_kind": message_kind,
            "canned_answer": canned_answer,
            "body": body,
        },
    )
    return Macro.objects.create(
        organization_id=membership.organization_id,
        name=name,
        scope=scope,
        team=team,
        owner_id=membership.user_id,
        **values,
    )


def macro_update(*, membership: Membership, macro: Macro, **changes) -> Macro:
    """Change the fields given (any of macro_create's but `membership`)."""
    _refuse_unless_may_edit(membership, macro)
    unknown = set(changes) - {"name", "scope", "team", *_MACRO_FIELDS}
    if unknown:
        raise TypeError(f"macro_update got unknown fields {sorted(unknown)}")
    if "name" in changes:
        macro.name = clean_text(changes["name"], field="name", required=True, max_length=NAME_MAX)
    if "scope" in changes or "team" in changes:
        macro.scope, macro.team = _check_scope(
            membership,
            scope=changes.get("scope", macro.scope),
            team=changes.get("team", macro.team),
        )
    values = {name: changes.get(name, getattr(macro, name)) for name in _MACRO_FIELDS}
    for name, value in _macro_values(membership, values).items():
        setattr(macro, name, value)
    macro.updated_at = timezone.now()
    macro.save()
    return macro


def macro_delete(*, membership: Membership, macro: Macro) -> None:
    """Remove a macro (what it did stays on the timelines)."""
    _refuse_unless_may_edit(membership, macro)
    macro.delete()


@transaction.atomic
def macro_apply(*, membership: Membership, macro: Macro, ticket: Ticket) -> Ticket:
    """Apply a macro to a request in one transaction, through the ticket services: first its
    message (a reply moves a new request on), then status, then priority, team, assignee and
    tags. Any refusal changes nothing."""
    if ticket.organization_id != membership.organization_id:
        raise ApplicationError(_("No such request."), field="ticket_id")
    actor = membership.user
    if macro.message_kind:
        text = macro.canned_answer.body if macro.canned_answer_id else macro.body
        ticket_message_add(
            ticket=ticket,
            kind=macro.message_kind,
            body=render_for_ticket(text, ticket=ticket, agent=actor),
            actor=actor,
        )
    if macro.status:
        ticket = ticket_status_change(
            ticket=ticket, status=macro.status, actor=actor, reason=macro.name
        )
    changes: dict = {}
    if macro.priority is not None:
        changes["priority"] = macro.priority
    if macro.set_team_id is not None:
        changes["team"] = macro.set_team
    if macro.assign == "me":
        changes["assignee"] = actor
    elif macro.assign == "none":
        changes["assignee"] = None
    elif macro.assign == "member":
        changes["assignee"] = macro.set_assignee
    if macro.tags_add or macro.tags_remove:
        current = list(Ticket.objects.get(pk=ticket.pk).tag_names)
        wanted = [name for name in current if name not in macro.tags_remove]
        wanted += [name for name in macro.tags_add if name not in wanted]
        changes["tags"] = wanted
    if changes:
        ticket = ticket_update(ticket=ticket, actor=actor, **changes)
    return ticket


# --- Saved views ---


def _check_view_objects(membership: Membership, filters: dict) -> None:
    organization = membership.organization
    if (
        "team" in filters
        and not Team.objects.filter(organization=organization, pk=int(filters["team"])).exists()
    ):
        raise ApplicationError(_("No such team."), field="filters.team")
    assignee = filters.get("assignee")
    members = Membership.objects.filter(organization=organization)
    if assignee and assignee != "none" and not members.filter(user_id=int(assignee)).exists():
        raise ApplicationError(_("No such member in this organization."), field="filters.assignee")


def saved_view_create(
    *, membership: Membership, name: str, filters: dict, is_shared: bool = False
) -> SavedView:
    """Save the queue's filters and sort under a name; sharing needs MANAGE."""
    name = clean_text(name, field="name", required=True, max_length=60)
    filters = saved_view_filters_check(filters)
    _check_view_objects(membership, filters)
    if is_shared and not membership.can_manage:
        raise ApplicationError(
            _("Only admins and supervisors share views with the organization."),
            field="is_shared",
            code="permission",
        )
    position = SavedView.objects.filter(
        organization_id=membership.organization_id, owner_id=membership.user_id
    ).count()
    return SavedView.objects.create(
        organization_id=membership.organization_id,
        owner_id=membership.user_id,
        name=name,
        filters=filters,
        is_shared=is_shared,
        position=position,
    )


def saved_view_update(
    *,
    membership: Membership,
    view: SavedView,
    name: str | Unset = UNSET,
    filters: dict | Unset = UNSET,
    is_shared: bool | Unset = UNSET,
    position: int | Unset = UNSET,
) -> SavedView:
    """Change the fields given; only who may edit it (see `may_edit`)."""
    _refuse_unless_may_edit(membership, view)
    if name is not UNSET:
        view.name = clean_text(name, field="name", required=True, max_length=60)
    if filters is not UNSET:
        view.filters = saved_view_filters_check(filters)
        _check_view_objects(membership, view.filters)
    if is_shared is not UNSET:
        if is_shared and not membership.can_manage:
            raise ApplicationError(
                _("Only admins and supervisors share views with the organization."),
                field="is_shared",
                code="permission",
            )
        view.is_shared = is_shared
    if position is not UNSET:
        view.position = position
    view.updated_at = timezone.now()
    view.save()
    return view


def saved_view_delete(*, membership: Membership, view: SavedView) -> None:
    """Remove a saved view."""
    _refuse_unless_may_edit(membership, view)
    view.delete()


# --- Many requests at once ---

BULK_ACTIONS = ("assign", "status", "priority", "tag_add", "tag_remove", "merge")


@transaction.atomic
def tickets_bulk_apply(
    *,
    membership: Membership,
    tickets: list[Ticket],
    action: str,
    assignee: User | None = None,
    status: str = "",
    priority: int | None = None,
    tags: list[str] | None = None,
    target: Ticket | None = None,
) -> list[Ticket]:
    """One change to many requests of the member's organization, each through the ticket
    service a single change uses; all or nothing (a refusal on any changes none)."""
    if action not in BULK_ACTIONS:
        raise ApplicationError(_("Unknown action."), field="action")
    if not tickets:
        raise ApplicationError(_("Choose at least one request."), field="ticket_ids")
    if len(tickets) > BULK_MAX:
        raise ApplicationError(
            _("At most %(count)s requests at once.") % {"count": BULK_MAX}, field="ticket_ids"
        )
    if any(ticket.organization_id != membership.organization_id for ticket in tickets):
        raise ApplicationError(_("No such request."), field="ticket_ids")
    actor = membership.user
    if action == "merge":
        if target is None:
            raise ApplicationError(_("Choose the request to merge into."), field="target_id")
        duplicates = [ticket for ticket in tickets if ticket.pk != target.pk]
        return [tickets_merge(membership=membership, target=target, duplicates=duplicates)]
    if action == "status" and status not in Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    if action == "priority" and priority not in Priority.values:
        raise ApplicationError(_("Unknown priority."), field="priority")
    names = _clean_tags(tags or [], field="tags") if action in ("tag_add", "tag_remove") else []
    if action in ("tag_add", "tag_remove") and not names:
        raise ApplicationError(_("Enter at least one tag."), field="tags")
    done = []
    for ticket in sorted(tickets, key=lambda ticket: ticket.pk):
        try:
            if action == "assign":
                ticket = ticket_assign(ticket=ticket, assignee=assignee, actor=actor)
            elif action == "status":
                ticket = ticket_status_change(ticket=ticket, status=status, actor=actor)
            elif action == "priority":
                ticket = ticket_update(ticket=ticket, actor=actor, priority=priority)
            else:
                current = list(ticket.tag_names)
                if action == "tag_add":
                    wanted = current + [name for name in names if name not in current]
                else:
                    wanted = [name for name in current if name not in names]
                ticket = ticket_update(ticket=ticket, actor=actor, tags=wanted)
        except ApplicationError as error:
            # Which request refused, so that the agent can take it out of the selection.
            raise ApplicationError(
                _("%(reference)s: %(message)s")
                % {"reference": ticket.reference, "message": error.message},
                field=error.field or "ticket_ids",
                code=error.code,
            ) from error
        done.append(ticket)
    return done


@transaction.atomic
def tickets_merge(*, membership: Membership, target: Ticket, duplicates: list[Ticket]) -> Ticket:
    """Merge duplicate requests of one customer into `target`: each duplicate is closed and points
    to it, and its messages and timeline show on the target's (nothing is moved or deleted).
    Only one customer's requests merge: another customer would see messages not theirs."""
    organization_id = membership.organization_id
    if target.organization_id != organization_id:
        raise ApplicationError(_("No such request."), field="target_id")
    if not duplicates:
        raise ApplicationError(
            _("Choose at least one other request to merge into this one."), field="ticket_ids"
        )
    target = lock_ticket(target)
    if target.merged_into_id is not None:
        raise ApplicationError(
            _("This request was itself merged into another."), field="target_id", code="merged"
        )
    if target.status == Status.CLOSED:
        raise ApplicationError(
            _("Merge into an open request, not a closed one."), field="target_id", code="closed"
        )
    actor = membership.user
    now = timezone.now()
    merged = []
    for duplicate in sorted(duplicates, key=lambda ticket: ticket.pk):
        if duplicate.organization_id != organization_id:
            raise ApplicationError(_("No such request."), field="ticket_ids")
        duplicate = lock_ticket(duplicate)
        if duplicate.pk == target.pk:
            raise ApplicationError(_("A request cannot be merged into itself."), field="ticket_ids")
        if duplicate.customer_id != target.customer_id:
            raise ApplicationError(
                _("%(reference)s is another customer's request: only one customer's merge.")
                % {"reference": duplicate.reference},
                field="ticket_ids",
                code="customer",
            )
        if duplicate.merged_into_id is not None or duplicate.merged_requests.exists():
            raise ApplicationError(
                _("%(reference)s was already merged.") % {"reference": duplicate.reference},
                field="ticket_ids",
                code="merged",
            )
        previous = duplicate.status
        duplicate.merged_into = target
        duplicate.updated_at = now
        if previous != Status.CLOSED:
            set_status(ticket=duplicate, status=Status.CLOSED, now=now)
            sla_services.sla_apply(
                ticket=duplicate,
                changes={sla_services.STATUS},
                actor=actor,
                now=now,
                previous_status=previous,
            )
        duplicate.save()
        if previous != Status.CLOSED:
            events.ticket_status_changed_event(
                ticket=duplicate,
                actor=actor,
                previous=previous,
                reason=_("Merged into %(reference)s") % {"reference": target.reference},
            )
        events.ticket_merged_event(ticket=duplicate, actor=actor, into=target)
        merged.append(duplicate)
    events.ticket_merged_event(ticket=target, actor=actor, merged=merged)
    target.updated_at = now
    target.save(update_fields=["updated_at"])
    # The duplicates are closed now, and the target's document holds their messages.
    requests_index([target.pk, *(duplicate.pk for duplicate in merged)])
    return target


__all__ = [
    "BULK_ACTIONS",
    "canned_answer_create",
    "canned_answer_delete",
    "canned_answer_render",
    "canned_answer_update",
    "macro_apply",
    "macro_create",
    "macro_delete",
    "macro_update",
    "may_edit",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_update",
    "tickets_bulk_apply",
    "tickets_merge",
]

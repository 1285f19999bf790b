"""Console pages for canned answers, macros and saved views, and the actions the queue and the
request page take with them: bulk changes, merging, applying a macro."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import member_list, team_list
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_data,
    form_page,
    parse_id,
    render_console,
)
from aftercare.lib.errors import ApplicationError
from aftercare.tickets.paths import request_number
from aftercare.tickets.productivity.forms import (
    BulkForm,
    CannedAnswerForm,
    MacroForm,
    SavedViewForm,
)
from aftercare.tickets.productivity.models import Scope
from aftercare.tickets.productivity.selectors import (
    VIEW_FILTERS,
    canned_answer_get,
    canned_answer_list,
    macro_get,
    macro_list,
    saved_view_get,
    tickets_for_input,
)
from aftercare.tickets.productivity.services import (
    canned_answer_create,
    canned_answer_delete,
    canned_answer_update,
    macro_apply,
    macro_create,
    macro_delete,
    macro_update,
    may_edit,
    saved_view_create,
    saved_view_delete,
    tickets_bulk_apply,
)
from aftercare.tickets.selectors import ticket_get_by_number

_SECTION = {"settings_section": "canned_answers"}


def _writers(membership: Membership) -> list[Membership]:
    return [
        member for member in member_list(organization=membership.organization) if member.can_write
    ]


# --- Canned answers ---


def _canned_form(request: HttpRequest, membership: Membership, **kwargs) -> CannedAnswerForm:
    return CannedAnswerForm(
        form_data(request),
        teams=team_list(organization=membership.organization),
        can_manage=membership.can_manage,
        **kwargs,
    )


def _canned_arguments(form: CannedAnswerForm) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "body": data["body"],
        "language": data["language"],
        "scope": data["scope"],
        "team": form.object_for("team_id"),
    }


@console_view()
def canned_answer_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The canned answers this member may use, and a form for a new one."""
    form = _canned_form(request, membership, initial={"scope": Scope.PERSONAL})

    def save() -> HttpResponse:
        answer = canned_answer_create(membership=membership, **_canned_arguments(form))
        messages.success(request, _("Canned answer %(name)s saved.") % {"name": answer.name})
        return redirect("tickets:canned_answers")

    answers = canned_answer_list(membership=membership)
    context = {
        **_SECTION,
        "answers": [(answer, may_edit(membership, answer)) for answer in answers],
    }
    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/productivity/canned_answers.html",
        context=context,
        fields={"team_id": "team_id"},
    )


@console_view()
def canned_answer_edit_view(
    request: HttpRequest, membership: Membership, canned_answer_id: int
) -> HttpResponse:
    """Change a canned answer (one's own, or a shared one for admins and supervisors)."""
    answer = canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)
    form = _canned_form(
        request,
        membership,
        initial={
            "name": answer.name,
            "body": answer.body,
            "language": answer.language,
            "scope": answer.scope,
            "team_id": str(answer.team_id or ""),
        },
    )

    def save() -> HttpResponse:
        canned_answer_update(membership=membership, answer=answer, **_canned_arguments(form))
        messages.success(request, _("Canned answer %(name)s saved.") % {"name": answer.name})
        return redirect("tickets:canned_answers")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/productivity/canned_answer_form.html",
        context={**_SECTION, "answer": answer, "editable": may_edit(membership, answer)},
    )


@require_POST
@console_view()
def canned_answer_delete_view(
    request: HttpRequest, membership: Membership, canned_answer_id: int
) -> HttpResponse:
    """Delete a canned answer."""
    answer = canned_answer_get(membership=membership, canned_answer_id=canned_answer_id)
    try:
        canned_answer_delete(membership=membership, answer=answer)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _refused(request, membership, "tickets/productivity/canned_answers.html", error)
    messages.success(request, _("Canned answer %(name)s deleted.") % {"name": answer.name})
    return redirect("tickets:canned_answers")


def _refused(request, membership, template: str, error: ApplicationError) -> HttpResponse:
    """A refused deletion: the list again, the reason on top, 422."""
    if template.endswith("canned_answers.html"):
        answers = canned_answer_list(membership=membership)
        context = {
            **_SECTION,
            "answers": [(answer, may_edit(membership, answer)) for answer in answers],
            "form": CannedAnswerForm(
                teams=team_list(organization=membership.organization),
                can_manage=membership.can_manage,
            ),
        }
    else:
        context = {
            "settings_section": "macros",
            "macros": [
                (macro, may_edit(membership, macro)) for macro in macro_list(membership=membership)
            ],
            "form": _macro_form(None, membership),
        }
    return render_console(request, membership, template, context, status=422)


# --- Macros ---


def _macro_form(data, membership: Membership, **kwargs) -> MacroForm:
    return MacroForm(
        data,
        teams=team_list(organization=membership.organization),
        members=_writers(membership),
        answers=canned_answer_list(membership=membership),
        can_manage=membership.can_manage,
        **kwargs,
    )


def _macro_arguments(form: MacroForm) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "scope": data["scope"],
        "team": form.object_for("team_id"),
        "status": data["status"],
        "priority": data["priority"],
        "set_team": form.object_for("set_team_id"),
        "assign": data["assign"],
        "set_assignee": form.object_for("set_assignee_id"),
        "tags_add": data["tags_add"],
        "tags_remove": data["tags_remove"],
        "message_kind": data["message_kind"],
        "canned_answer": form.object_for("canned_answer_id"),
        "body": data["body"],
    }


@console_view()
def macro_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The macros this member may apply, and a form for a new one."""
    form = _macro_form(form_data(request), membership, initial={"scope": Scope.PERSONAL})

    def save() -> HttpResponse:
        macro = macro_create(membership=membership, **_macro_arguments(form))
        messages.success(request, _("Macro %(name)s saved.") % {"name": macro.name})
        return redirect("tickets:macros")

    context = {
        "settings_section": "macros",
        "macros": [
            (macro, may_edit(membership, macro)) for macro in macro_list(membership=membership)
        ],
    }
    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/productivity/macros.html",
        context=context,
    )


@console_view()
def macro_edit_view(request: HttpRequest, membership: Membership, macro_id: int) -> HttpResponse:
    """Change a macro (one's own, or a shared one for admins and supervisors)."""
    macro = macro_get(membership=membership, macro_id=macro_id)
    form = _macro_form(
        form_data(request),
        membership,
        initial={
            "name": macro.name,
            "scope": macro.scope,
            "team_id": str(macro.team_id or ""),
            "status": macro.status,
            "priority": macro.priority,
            "set_team_id": str(macro.set_team_id or ""),
            "assign": macro.assign,
            "set_assignee_id": str(macro.set_assignee_id or ""),
            "tags_add": ", ".join(macro.tags_add),
            "tags_remove": ", ".join(macro.tags_remove),
            "message_kind": macro.message_kind,
            "canned_answer_id": str(macro.canned_answer_id or ""),
            "body": macro.body,
        },
    )

    def save() -> HttpResponse:
        macro_update(membership=membership, macro=macro, **_macro_arguments(form))
        messages.success(request, _("Macro %(name)s saved.") % {"name": macro.name})
        return redirect("tickets:macros")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/productivity/macro_form.html",
        context={
            "settings_section": "macros",
            "macro": macro,
            "editable": may_edit(membership, macro),
        },
        fields={"set_team_id": "set_team_id", "set_assignee_id": "set_assignee_id"},
    )


@require_POST
@console_view()
def macro_delete_view(request: HttpRequest, membership: Membership, macro_id: int) -> HttpResponse:
    """Delete a macro."""
    macro = macro_get(membership=membership, macro_id=macro_id)
    try:
        macro_delete(membership=membership, macro=macro)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _refused(request, membership, "tickets/productivity/macros.html", error)
    messages.success(request, _("Macro %(name)s deleted.") % {"name": macro.name})
    return redirect("tickets:macros")


@require_POST
@console_view()
def macro_apply_view(request: HttpRequest, membership: Membership, number: int) -> HttpResponse:
    """Apply a macro to the request; a refusal changes nothing and says why."""
    organization = membership.organization
    ticket = ticket_get_by_number(
        organization=organization, number=request_number(organization=organization, number=number)
    )
    macro_id = parse_id(request.POST.get("macro_id"))
    try:
        if macro_id is None:
            raise ApplicationError(_("Choose a macro."), field="macro_id")
        try:
            macro = macro_get(membership=membership, macro_id=macro_id)
        except Http404:
            raise ApplicationError(_("No such macro."), field="macro_id") from None
        macro_apply(membership=membership, macro=macro, ticket=ticket)
    except ApplicationError as error:
        messages.error(request, error.message)
        response = redirect("tickets:detail", number=ticket.number)
        response.status_code = 303
        return response
    messages.success(request, _("Macro %(name)s applied.") % {"name": macro.name})
    return redirect("tickets:detail", number=ticket.number)


# --- Saved views and bulk actions (from the queue) ---


def _back_to_queue(request: HttpRequest, *, status: int = 302) -> HttpResponse:
    """Back to the queue as it was (the query it was posted from)."""
    query = request.POST.get("next") or ""
    url = reverse("tickets:queue")
    if query.startswith("?") and url_has_allowed_host_and_scheme(url + query, allowed_hosts=None):
        url += query
    response = redirect(url)
    response.status_code = status
    return response


@require_POST
@console_view()
def saved_view_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Save the queue's current filters and sort under a name."""
    form = SavedViewForm(request.POST, prefix="view")
    filters = {key: request.POST.get(key, "") for key in VIEW_FILTERS if request.POST.get(key)}
    if form.is_valid():
        try:
            view = saved_view_create(
                membership=membership,
                name=form.cleaned_data["name"],
                filters=filters,
                is_shared=form.cleaned_data["is_shared"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("View %(name)s saved.") % {"name": view.name})
            return redirect(reverse("tickets:queue") + f"?view={view.pk}")
    problems = [str(error) for errors in form.errors.values() for error in errors]
    messages.error(request, " ".join(problems))
    return _back_to_queue(request, status=303)


@require_POST
@console_view()
def saved_view_delete_view(
    request: HttpRequest, membership: Membership, saved_view_id: int
) -> HttpResponse:
    """Delete a saved view."""
    view = saved_view_get(membership=membership, saved_view_id=saved_view_id)
    try:
        saved_view_delete(membership=membership, view=view)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back_to_queue(request, status=303)
    messages.success(request, _("View %(name)s deleted.") % {"name": view.name})
    return redirect(reverse("tickets:queue"))


@require_POST
@console_view()
def bulk_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """One action on every request ticked in the queue: all of them change, or none."""
    ids = [parse_id(value) for value in request.POST.getlist("ticket_ids")]
    form = BulkForm(request.POST, members=_writers(membership), prefix="bulk")
    if not ids:
        form.add_error(None, _("Tick at least one request."))
    elif None in ids:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        try:
            tickets = tickets_for_input(organization=membership.organization, ticket_ids=ids)
        except ApplicationError:
            raise Http404 from None
        target = (
            min(tickets, key=lambda ticket: ticket.number) if data["action"] == "merge" else None
        )
        try:
            done = tickets_bulk_apply(
                membership=membership,
                tickets=tickets,
                action=data["action"],
                assignee=form.object_for("assignee_id"),
                status=data["status"],
                priority=data["priority"],
                tags=data["tags"],
                target=target,
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            if data["action"] == "merge":
                text = _("Merged into %(reference)s.") % {"reference": done[0].reference}
                messages.success(request, text)
                return redirect("tickets:detail", number=done[0].number)
            messages.success(request, _("%(count)s requests changed.") % {"count": len(done)})
            return _back_to_queue(request)
    problems = [str(error) for errors in form.errors.values() for error in errors]
    messages.error(request, " ".join(problems))
    return _back_to_queue(request, status=303)

"""The changes made from the work order page: each action of its forms (see ACTIONS), and the
buttons of a part line and of a visit. Each answers with a redirect back, or the page again with
the refusal (422)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.console.access import Access, allows
from aftercare.console.pages import apply_error, console_view, forbidden
from aftercare.lib.errors import ApplicationError
from aftercare.repairs.forms import (
    AssignForm,
    BillingForm,
    ClaimRejectForm,
    DiagnoseForm,
    LabourForm,
    PartAddForm,
    PartUseForm,
    QuoteForm,
    StageForm,
    VisitForm,
    VisitStatusForm,
    WorkDoneForm,
)
from aftercare.repairs.models import PartLine, WorkOrder
from aftercare.repairs.selectors import (
    part_line_get,
    spare_parts_for,
    stock_location_list,
    technician_list,
    visit_get,
    work_order_get,
)
from aftercare.repairs.services import (
    labour_add,
    part_add,
    part_release,
    part_reserve,
    part_use,
    quote_send,
    quote_withdraw,
    visit_schedule,
    visit_status_set,
    work_order_assign,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_claim_reject,
    work_order_diagnose,
    work_order_stage_set,
    work_order_work_done_set,
)
from aftercare.repairs.stages import next_stages
from aftercare.repairs.views.work_orders import render_work_order, unit_fault_choices

# Service field names that the page's forms call differently.
_FIELDS = {"window_start": "start", "window_end": "end"}


def _back(request: HttpRequest, work_order: WorkOrder) -> str:
    """Where an action returns: the page it was made from (the board, my day) or the work
    order's page."""
    target = {"dispatch": "repairs:dispatch", "day": "repairs:day"}.get(request.POST.get("next"))
    return reverse(target) if target else reverse("repairs:detail", args=[work_order.pk])


def _run(
    request: HttpRequest,
    membership: Membership,
    work_order: WorkOrder,
    *,
    key: str,
    form: forms.Form,
    run: Callable[[forms.Form], object],
    done: str,
) -> HttpResponse:
    """Run a form's action: back to the page with a message, or the page again with the form
    and the refusal on its field (422)."""
    if form.is_valid():
        try:
            run(form)
        except ApplicationError as error:
            apply_error(form, error, fields=_FIELDS)
        else:
            messages.success(request, done)
            return redirect(_back(request, work_order))
    return render_work_order(request, membership, work_order.pk, bound={key: form}, status=422)


def _stage(request, membership, work_order):
    form = StageForm(request.POST, allowed=next_stages(work_order.stage))

    def run(form):
        work_order_stage_set(
            work_order=work_order,
            stage=form.cleaned_data["stage"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )

    return _run(
        request,
        membership,
        work_order,
        key="stage_form",
        form=form,
        run=run,
        done=_("Stage changed."),
    )


def _diagnose(request, membership, work_order):
    keep = [work_order.root_cause] if work_order.root_cause_id else []
    faults = unit_fault_choices(work_order.unit, membership.organization, keep)
    form = DiagnoseForm(request.POST, faults=faults)

    def run(form):
        work_order_diagnose(
            work_order=work_order,
            diagnosis=form.cleaned_data["diagnosis"],
            root_cause=form.object_for("root_cause_id"),
            actor=request.user,
        )

    return _run(
        request,
        membership,
        work_order,
        key="diagnose_form",
        form=form,
        run=run,
        done=_("Diagnosis saved."),
    )


def _work_done(request, membership, work_order):
    form = WorkDoneForm(request.POST)

    def run(form):
        work_order_work_done_set(
            work_order=work_order, work_done=form.cleaned_data["work_done"], actor=request.user
        )

    return _run(
        request,
        membership,
        work_order,
        key="work_done_form",
        form=form,
        run=run,
        done=_("Work done saved."),
    )


def _assign(request, membership, work_order):
    form = AssignForm(
        request.POST, technicians=technician_list(organization=work_order.organization)
    )

    def run(form):
        work_order_assign(
            work_order=work_order, technician=form.object_for("technician_id"), actor=request.user
        )

    return _run(
        request,
        membership,
        work_order,
        key="assign_form",
        form=form,
        run=run,
        done=_("Technician saved."),
    )


def _labour(request, membership, work_order):
    form = LabourForm(request.POST)

    def run(form):
        labour_add(
            work_order=work_order,
            minutes=form.cleaned_data["minutes"],
            description=form.cleaned_data["description"],
            actor=request.user,
        )

    return _run(
        request,
        membership,
        work_order,
        key="labour_form",
        form=form,
        run=run,
        done=_("Labour logged."),
    )


def _part(request, membership, work_order):
    form = PartAddForm(
        request.POST,
        parts=spare_parts_for(work_order=work_order),
        locations=stock_location_list(organization=work_order.organization),
    )
    added: list[PartLine] = []

    def run(form):
        added.append(
            part_add(
                work_order=work_order,
                part=form.object_for("part_id"),
                quantity=form.cleaned_data["quantity"],
                actor=request.user,
                location=form.object_for("location_id"),
            )
        )

    response = _run(
        request,
        membership,
        work_order,
        key="part_form",
        form=form,
        run=run,
        done=_("Part added."),
    )
    if added and added[0].status == PartLine.Status.WAITING:
        messages.warning(request, _("Not enough in stock: the part waits for stock."))
    return response


def _quote(request, membership, work_order):
    form = QuoteForm(request.POST)

    def run(form):
        quote_send(
            work_order=work_order,
            actor=request.user,
            note=form.cleaned_data["note"],
            include_travel=form.cleaned_data["include_travel"],
            labour_minutes=form.cleaned_data["labour_minutes"],
        )

    return _run(
        request,
        membership,
        work_order,
        key="quote_form",
        form=form,
        run=run,
        done=_("Quote sent to the customer."),
    )


def _quote_withdraw(request, membership, work_order):
    form = forms.Form(request.POST)
    return _run(
        request,
        membership,
        work_order,
        key="withdraw_form",
        form=form,
        run=lambda form: quote_withdraw(work_order=work_order, actor=request.user),
        done=_("Quote withdrawn."),
    )


def _visit(request, membership, work_order):
    form = VisitForm(
        request.POST, technicians=technician_list(organization=work_order.organization)
    )

    def run(form):
        start, end = form.window()
        visit_schedule(
            work_order=work_order,
            technician=form.object_for("technician_id"),
            window_start=start,
            window_end=end,
            address=form.cleaned_data["address"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )

    return _run(
        request,
        membership,
        work_order,
        key="visit_form",
        form=form,
        run=run,
        done=_("Visit scheduled."),
    )


def _billing(request, membership, work_order):
    form = BillingForm(request.POST)

    def run(form):
        work_order_billing_set(
            work_order=work_order, billing=form.cleaned_data["billing"], actor=request.user
        )

    return _run(
        request,
        membership,
        work_order,
        key="billing_form",
        form=form,
        run=run,
        done=_("Billing saved."),
    )


def _claim_approve(request, membership, work_order):
    form = forms.Form(request.POST)
    return _run(
        request,
        membership,
        work_order,
        key="claim_approve_form",
        form=form,
        run=lambda form: work_order_claim_approve(work_order=work_order, actor=request.user),
        done=_("Warranty claim approved."),
    )


def _claim_reject(request, membership, work_order):
    form = ClaimRejectForm(request.POST)

    def run(form):
        work_order_claim_reject(
            work_order=work_order, reason=form.cleaned_data["reason"], actor=request.user
        )

    return _run(
        request,
        membership,
        work_order,
        key="claim_form",
        form=form,
        run=run,
        done=_("Warranty claim rejected; the customer pays."),
    )


_MANAGER_ONLY = gettext_lazy("Only admins and supervisors decide billing and warranty claims.")

# Each action of the work order page: who may take it, and what it does.
ACTIONS: dict[str, tuple[Access, Callable]] = {
    "stage": (Access.WRITE, _stage),
    "diagnose": (Access.WRITE, _diagnose),
    "work-done": (Access.WRITE, _work_done),
    "assign": (Access.WRITE, _assign),
    "labour": (Access.WRITE, _labour),
    "parts": (Access.WRITE, _part),
    "quote": (Access.WRITE, _quote),
    "quote-withdraw": (Access.WRITE, _quote_withdraw),
    "visits": (Access.WRITE, _visit),
    "billing": (Access.MANAGE, _billing),
    "claim-approve": (Access.MANAGE, _claim_approve),
    "claim-reject": (Access.MANAGE, _claim_reject),
}


@require_POST
@console_view()
def work_order_action_view(
    request: HttpRequest, membership: Membership, work_order_id: int, action: str
) -> HttpResponse:
    """One change to a work order, named in the address (see ACTIONS)."""
    if action not in ACTIONS:
        raise Http404
    access, handler = ACTIONS[action]
    work_order = work_order_get(organization=membership.organization, work_order_id=work_order_id)
    if not allows(membership, access):
        return forbidden(request, membership, _MANAGER_ONLY)
    return handler(request, membership, work_order)


def _line_refused(request, membership, work_order, error: ApplicationError, *, key: tuple):
    """The page again with a part's or a visit's refusal shown where it was asked (422)."""
    return render_work_order(
        request, membership, work_order.pk, errors={key: error.message}, status=422
    )


@require_POST
@console_view()
def part_line_action_view(
    request: HttpRequest,
    membership: Membership,
    work_order_id: int,
    part_line_id: int,
    action: str,
) -> HttpResponse:
    """Fit a part (with its serial), let it go, or try again to reserve it."""
    if action not in ("use", "release", "reserve"):
        raise Http404
    work_order = work_order_get(organization=membership.organization, work_order_id=work_order_id)
    line = part_line_get(work_order=work_order, part_line_id=part_line_id)
    form = PartUseForm(request.POST)
    form.is_valid()
    try:
        if action == "use":
            part_use(
                part_line=line,
                actor=request.user,
                serial_number=form.cleaned_data.get("serial_number", ""),
            )
            done = _("Part fitted.")
        elif action == "release":
            part_release(part_line=line, actor=request.user)
            done = _("Part let go.")
        else:
            part_reserve(part_line=line, actor=request.user)
            done = _("Part reserved.")
    except ApplicationError as error:
        return _line_refused(request, membership, work_order, error, key=("part", line.pk))
    messages.success(request, done)
    return redirect(_back(request, work_order))


@require_POST
@console_view()
def visit_status_view(
    request: HttpRequest, membership: Membership, work_order_id: int, visit_id: int
) -> HttpResponse:
    """How a visit went: on the way, done, customer not there, cancelled."""
    work_order = work_order_get(organization=membership.organization, work_order_id=work_order_id)
    visit = visit_get(work_order=work_order, visit_id=visit_id)
    form = VisitStatusForm(request.POST)
    if not form.is_valid():
        error = ApplicationError(_("Unknown status."), field="status")
        return _line_refused(request, membership, work_order, error, key=("visit", visit.pk))
    try:
        visit_status_set(
            visit=visit,
            status=form.cleaned_data["status"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        return _line_refused(request, membership, work_order, error, key=("visit", visit.pk))
    messages.success(request, _("Visit updated."))
    return redirect(_back(request, work_order))

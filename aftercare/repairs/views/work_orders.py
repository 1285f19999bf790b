"""Console pages of a work order: opening one from a request, and the work order page with its
stage, diagnosis, labour, parts, quote, visits and warranty claim. The changes made from the page
are in `work_order_actions`."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.catalog.selectors import fault_code_choices
from aftercare.console.forms import date_input_value
from aftercare.console.pages import console_view, form_data, form_page, parse_id, render_console
from aftercare.repairs.display import coverage_summary
from aftercare.repairs.forms import (
    AssignForm,
    BillingForm,
    ClaimRejectForm,
    DiagnoseForm,
    LabourForm,
    PartAddForm,
    QuoteForm,
    StageForm,
    VisitForm,
    WorkDoneForm,
    WorkOrderOpenForm,
)
from aftercare.repairs.models import WorkOrder
from aftercare.repairs.selectors import (
    spare_parts_for,
    stock_location_list,
    technician_list,
    work_order_detail,
)
from aftercare.repairs.services import (
    quote_draft,
    repair_settings_get,
    visit_next_statuses,
    work_order_open,
)
from aftercare.repairs.stages import next_stages
from aftercare.tickets.selectors import ticket_get
from aftercare.warranty.models import WarrantyClaim
from aftercare.warranty.selectors import units_for_customer


def unit_fault_choices(work_order_unit, organization, keep=()) -> list:
    """The fault codes to pick from for a work order's unit (its model's; any model's without a
    unit), and those in `keep`."""
    model = work_order_unit.product_model if work_order_unit is not None else None
    return fault_code_choices(organization=organization, product_model=model, keep=keep)


# --- Opening a work order ---


@console_view()
def work_order_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new work order on a request (`?ticket=<id>`): kind, unit, technician, parts stock and
    the fault reported. Its billing follows from the unit's coverage."""
    organization = membership.organization
    ticket_id = parse_id(request.GET.get("ticket"))
    if ticket_id is None:
        raise Http404
    ticket = ticket_get(organization=organization, ticket_id=ticket_id)
    units = units_for_customer(customer=ticket.customer)
    if ticket.unit_id is not None and all(unit.pk != ticket.unit_id for unit in units):
        units.insert(0, ticket.unit)
    unit = ticket.unit if ticket.unit_id is not None else None
    form = WorkOrderOpenForm(
        form_data(request),
        units=units,
        technicians=technician_list(organization=organization),
        locations=stock_location_list(organization=organization),
        faults=unit_fault_choices(unit, organization),
        initial={
            "kind": WorkOrder.Kind.SERVICE_CENTRE,
            "unit_id": str(ticket.unit_id or ""),
        },
    )

    def save() -> HttpResponse:
        work_order = work_order_open(
            ticket=ticket,
            kind=form.cleaned_data["kind"],
            actor=request.user,
            unit=form.object_for("unit_id"),
            technician=form.object_for("technician_id"),
            stock_location=form.object_for("stock_location_id"),
            reported_fault=form.object_for("reported_fault_id"),
        )
        messages.success(
            request, _("Work order %(reference)s opened.") % {"reference": work_order.reference}
        )
        return redirect("repairs:detail", work_order_id=work_order.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="repairs/create.html",
        context={"ticket": ticket},
    )


# --- The work order page ---


def _forms(work_order: WorkOrder, lists: dict) -> dict:
    """The page's unbound forms, filled from the work order."""
    return {
        "stage_form": StageForm(allowed=next_stages(work_order.stage)),
        "diagnose_form": DiagnoseForm(
            faults=lists["faults"],
            initial={
                "diagnosis": work_order.diagnosis,
                "root_cause_id": str(work_order.root_cause_id or ""),
            },
        ),
        "work_done_form": WorkDoneForm(initial={"work_done": work_order.work_done}),
        "assign_form": AssignForm(
            technicians=lists["technicians"],
            initial={"technician_id": str(work_order.technician_id or "")},
        ),
        "labour_form": LabourForm(),
        "part_form": PartAddForm(parts=lists["parts"], locations=lists["locations"]),
        "quote_form": QuoteForm(),
        "visit_form": VisitForm(
            technicians=lists["technicians"],
            initial={
                "technician_id": str(work_order.technician_id or ""),
                "day": date_input_value(timezone.localdate()),
            },
        ),
        "billing_form": BillingForm(initial={"billing": work_order.billing}),
        "claim_form": ClaimRejectForm(),
    }


def _lists(membership: Membership, work_order: WorkOrder) -> dict:
    organization = membership.organization
    keep = [work_order.root_cause] if work_order.root_cause_id else []
    return {
        "faults": unit_fault_choices(work_order.unit, organization, keep),
        "technicians": technician_list(organization=organization),
        "locations": stock_location_list(organization=organization),
        "parts": spare_parts_for(work_order=work_order),
    }


def render_work_order(
    request: HttpRequest,
    membership: Membership,
    work_order_id: int,
    *,
    bound: dict | None = None,
    errors: dict[tuple[str, int], str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The work order page, with any submitted form left as it was, and a refusal to a part
    or visit shown beside it (`errors`: ("part" or "visit", its id) → the message)."""
    work_order = work_order_detail(
        organization=membership.organization, work_order_id=work_order_id
    )
    lists = _lists(membership, work_order)
    page_forms = _forms(work_order, lists)
    page_forms.update(bound or {})
    rules = repair_settings_get(organization=membership.organization)
    draft = None
    if work_order.billing == WorkOrder.Billing.CUSTOMER and work_order.is_open:
        draft = quote_draft(work_order=work_order, rules=rules)
    errors = errors or {}
    parts = list(work_order.parts.all())
    for line in parts:
        line.error = errors.get(("part", line.pk), "")
    visits = list(work_order.visits.all())
    for visit in visits:
        visit.next_statuses = [
            (value, label)
            for value, label in visit.Status.choices
            if value in visit_next_statuses(visit.status)
        ]
        visit.error = errors.get(("visit", visit.pk), "")
    context = {
        "work_order": work_order,
        "ticket": work_order.ticket,
        "coverage": coverage_summary(work_order.coverage),
        "rules": rules,
        "next_stages": page_forms["stage_form"].fields["stage"].choices,
        "parts": parts,
        "labour": list(work_order.labour.all()),
        "quotes": list(work_order.quotes.all()),
        "visits": visits,
        "draft": draft,
        "can_manage": membership.can_manage,
        "claim_pending": work_order.claim is not None
        and work_order.claim.status == WarrantyClaim.Status.PENDING,
        **page_forms,
    }
    return render_console(request, membership, "repairs/work_order.html", context, status=status)


@console_view()
def work_order_detail_view(
    request: HttpRequest, membership: Membership, work_order_id: int
) -> HttpResponse:
    """The work order page."""
    return render_work_order(request, membership, work_order_id)

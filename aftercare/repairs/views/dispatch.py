"""The technician's day (mobile first) and the supervisor's dispatch board."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view, parse_id, render_console
from aftercare.repairs.forms import AssignForm, DispatchFilterForm
from aftercare.repairs.selectors import dispatch_board, technician_day, technician_list
from aftercare.repairs.services import visit_next_statuses


@console_view()
def technician_day_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """My day: today's visits in time order, with the address and a phone to tap, and the open
    work orders given to me. One column on a phone."""
    day = technician_day(organization=membership.organization, technician=request.user)
    for visit in day.visits:
        visit.next_statuses = [
            (value, label)
            for value, label in visit.Status.choices
            if value in visit_next_statuses(visit.status)
        ]
    context = {"day": day, "can_write": membership.can_write}
    return render_console(request, membership, "repairs/day.html", context)


@console_view(
    refusal=gettext_lazy("Only admins and supervisors dispatch work orders."),
)
def dispatch_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Open work orders by stage, those nobody works and those that need a visit; give them to
    technicians."""
    organization = membership.organization
    technicians = technician_list(organization=organization)
    form = DispatchFilterForm(request.GET, technicians=technicians)
    status = 200
    if not form.is_valid():
        status = 422
    technician_id = parse_id(form.cleaned_data.get("technician")) if status == 200 else None
    board = dispatch_board(organization=organization, technician_id=technician_id)
    context = {
        "form": form,
        "board": board,
        "assign_form": AssignForm(technicians=technicians),
        "technicians": technicians,
    }
    return render_console(request, membership, "repairs/dispatch.html", context, status=status)

"""The SLA page: open requests at risk and breached, breaches by team, who is working."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view, render_console
from aftercare.tickets.agents.selectors import agent_list
from aftercare.tickets.escalation.forms import SummaryPeriodForm
from aftercare.tickets.escalation.selectors import sla_summary

_REFUSAL = gettext_lazy("Only admins and supervisors manage SLAs, escalation and routing.")
_manager_view = console_view(refusal=_REFUSAL)


@_manager_view
def sla_dashboard_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Open requests at risk and breached, breaches by team over a period, and who is working."""
    period = SummaryPeriodForm(request.GET)
    days = period.cleaned_data["days"] if period.is_valid() else 7
    since = timezone.now() - datetime.timedelta(days=days)
    context = {
        "summary": sla_summary(organization=membership.organization, since=since),
        "agents": agent_list(organization=membership.organization),
        "period_form": period if period.is_bound else SummaryPeriodForm(initial={"days": 7}),
        "days": days,
    }
    return render_console(request, membership, "tickets/escalation/sla_dashboard.html", context)

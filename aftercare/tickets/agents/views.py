"""Agents' settings (admins and supervisors) and one's own presence switch."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.catalog.selectors import product_model_list
from aftercare.console.pages import console_view, form_data, form_page, render_console
from aftercare.lib.errors import ApplicationError
from aftercare.tickets.agents.forms import AgentProfileForm
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.agents.selectors import agent_get, agent_list
from aftercare.tickets.agents.services import agent_profile_update

_REFUSAL = gettext_lazy("Only admins and supervisors manage SLAs, escalation and routing.")
_manager_view = console_view(refusal=_REFUSAL)


@require_POST
@console_view()
def presence_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Set one's own presence: available for routing, or away."""
    presence = request.POST.get("presence", "")
    try:
        profile = agent_profile_update(
            organization=membership.organization, user=request.user, presence=presence
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if profile.presence == AgentProfile.Presence.AVAILABLE:
            messages.success(request, _("You are available: routing gives you new requests."))
        else:
            messages.success(request, _("You are away: routing gives you no new requests."))
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and allowed else "tickets:queue")


@_manager_view
def agent_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Staff as routing sees them: presence, capacity, skills and open requests."""
    context = {
        "settings_section": "agents",
        "agents": agent_list(organization=membership.organization),
    }
    return render_console(request, membership, "tickets/agents/agents.html", context)


@_manager_view
def agent_edit_view(request: HttpRequest, membership: Membership, user_id: int):
    """Set a member's presence, capacity and skills."""
    organization = membership.organization
    agent = agent_get(organization=organization, user_id=user_id)
    initial = {
        "presence": agent.presence,
        "capacity": agent.capacity,
        "languages": agent.languages,
        "product_models": [str(pk) for pk in agent.product_model_ids],
    }
    form = AgentProfileForm(
        form_data(request), initial=initial, products=product_model_list(organization=organization)
    )

    def save() -> HttpResponse:
        agent_profile_update(organization=organization, user=agent.user, **form.arguments())
        messages.success(request, _("%(name)s saved.") % {"name": agent.user.display_name})
        return redirect("tickets:settings_agents")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/agents/agent_form.html",
        context={"settings_section": "agents", "agent": agent},
        fields={"product_model_ids": "product_models"},
    )

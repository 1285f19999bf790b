"""Console pages for the SLA at a glance, presence, and the escalation, routing and agent
settings (admins and supervisors; anyone working requests sets their own presence)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import team_list
from aftercare.catalog.selectors import product_model_list
from aftercare.console.access import Access
from aftercare.console.pages import console_view, form_data, form_page, render_console
from aftercare.lib.errors import ApplicationError
from aftercare.lib.vocabulary import Channel, Kind
from aftercare.tickets.forms_routing import (
    AgentProfileForm,
    RoutingRuleForm,
    SummaryPeriodForm,
)
from aftercare.tickets.models import AgentProfile
from aftercare.tickets.selectors import category_list
from aftercare.tickets.selectors_routing import (
    agent_get,
    agent_list,
    routing_rule_get,
    routing_rule_list,
    sla_summary,
)
from aftercare.tickets.services import (
    agent_profile_update,
    routing_rule_create,
    routing_rule_update,
)

_REFUSAL = gettext_lazy("Only admins and supervisors manage SLAs, escalation and routing.")
_manager_view = console_view(Access.MANAGE, refusal=_REFUSAL)


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
    return render_console(request, membership, "tickets/sla_dashboard.html", context)


@require_POST
@console_view(Access.WRITE)
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


# --- Routing rules ---


@_manager_view
def routing_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every routing rule in the order they are matched, and how each team assigns."""
    organization = membership.organization
    kinds, channels = dict(Kind.choices), dict(Channel.choices)
    languages = dict(settings.LANGUAGES)
    rules = [
        (
            rule,
            [str(kinds.get(value, value)) for value in rule.kinds]
            + [str(channels.get(value, value)) for value in rule.channels]
            + [str(languages.get(value, value)) for value in rule.languages]
            + [category.name for category in rule.categories.all()]
            + [str(product) for product in rule.product_models.all()],
        )
        for rule in routing_rule_list(organization=organization)
    ]
    context = {
        "settings_section": "routing",
        "rules": rules,
        "teams": team_list(organization=organization),
    }
    return render_console(request, membership, "tickets/settings/routing_rules.html", context)


def _routing_form(request, membership, *, initial: dict, editing: bool) -> RoutingRuleForm:
    organization = membership.organization
    return RoutingRuleForm(
        form_data(request),
        initial=initial,
        teams=team_list(organization=organization),
        categories=category_list(organization=organization),
        products=product_model_list(organization=organization),
        editing=editing,
    )


_ROUTING_FIELDS = {
    "team_id": "team",
    "category_ids": "categories",
    "product_model_ids": "product_models",
}


@_manager_view
def routing_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new routing rule."""
    form = _routing_form(request, membership, initial={}, editing=False)

    def save() -> HttpResponse:
        rule = routing_rule_create(organization=membership.organization, **form.arguments())
        messages.success(request, _("Routing rule %(name)s created.") % {"name": rule.name})
        return redirect("tickets:settings_routing")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/routing_form.html",
        context={"settings_section": "routing", "rule": None},
        fields=_ROUTING_FIELDS,
    )


@_manager_view
def routing_edit_view(request: HttpRequest, membership: Membership, rule_id: int):
    """Change or retire a routing rule."""
    rule = routing_rule_get(organization=membership.organization, rule_id=rule_id)
    initial = {
        "name": rule.name,
        "position": rule.position,
        "team": str(rule.team_id),
        "kinds": rule.kinds,
        "channels": rule.channels,
        "languages": rule.languages,
        "categories": [str(category.pk) for category in rule.categories.all()],
        "product_models": [str(product.pk) for product in rule.product_models.all()],
        "is_active": rule.is_active,
    }
    form = _routing_form(request, membership, initial=initial, editing=True)

    def save() -> HttpResponse:
        saved = routing_rule_update(rule=rule, **form.arguments())
        messages.success(request, _("Routing rule %(name)s saved.") % {"name": saved.name})
        return redirect("tickets:settings_routing")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/routing_form.html",
        context={"settings_section": "routing", "rule": rule},
        fields=_ROUTING_FIELDS,
    )


# --- Agents ---


@_manager_view
def agent_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Staff as routing sees them: presence, capacity, skills and open requests."""
    context = {
        "settings_section": "agents",
        "agents": agent_list(organization=membership.organization),
    }
    return render_console(request, membership, "tickets/settings/agents.html", context)


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
        template="tickets/settings/agent_form.html",
        context={"settings_section": "agents", "agent": agent},
        fields={"product_model_ids": "product_models"},
    )

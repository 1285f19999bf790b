"""Routing settings: which team new requests go to (admins and supervisors)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import team_list
from aftercare.catalog.selectors import product_model_list
from aftercare.console.pages import console_view, form_data, form_page, render_console
from aftercare.lib.vocabulary import Channel, Kind
from aftercare.tickets.routing.forms import RoutingRuleForm
from aftercare.tickets.routing.selectors import routing_rule_get, routing_rule_list
from aftercare.tickets.routing.services import routing_rule_create, routing_rule_update
from aftercare.tickets.selectors import category_list

_REFUSAL = gettext_lazy("Only admins and supervisors manage SLAs, escalation and routing.")
_manager_view = console_view(refusal=_REFUSAL)


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
    return render_console(request, membership, "tickets/routing/rules.html", context)


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
        template="tickets/routing/rule_form.html",
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
        template="tickets/routing/rule_form.html",
        context={"settings_section": "routing", "rule": rule},
        fields=_ROUTING_FIELDS,
    )

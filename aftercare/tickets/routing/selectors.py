"""Reads about routing rules."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.tickets.models import Category
from aftercare.tickets.routing.models import RoutingRule


def _routing_rules(organization: Organization) -> QuerySet:
    return (
        RoutingRule.objects.filter(organization=organization)
        .select_related("team")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("pk")),
            Prefetch("product_models", queryset=ProductModel.objects.order_by("pk")),
        )
    )


def routing_rule_list(*, organization: Organization) -> list[RoutingRule]:
    """Every routing rule, active or not, in the order they are matched."""
    return list(_routing_rules(organization).order_by("position", "id"))


def routing_rule_get(*, organization: Organization, rule_id: int) -> RoutingRule:
    """A routing rule of this organization, or 404."""
    rule = _routing_rules(organization).filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule

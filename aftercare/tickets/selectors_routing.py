"""Reads for routing and the SLA at a glance: rules, agents with their load, SLA by team."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.lib.validation import objects_for_input
from aftercare.tickets.models import AgentProfile, Category, RoutingRule, SlaMark, Ticket


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


def categories_for_input(
    *, organization: Organization, category_ids: list[int], field: str = "category_ids"
) -> list[Category]:
    """The categories named in input; any id not of this organization is a field error."""
    queryset = Category.objects.filter(organization=organization)
    return objects_for_input(queryset, category_ids, field=field, message=_("No such category."))


@dataclass(frozen=True)
class AgentRow:
    """A member of staff as routing and supervisors see them."""

    user: User
    role: str
    presence: str
    capacity: int | None
    languages: list[str]
    product_model_ids: list[int]
    product_names: list[str]
    open_count: int
    team_names: list[str]

    @property
    def is_full(self) -> bool:
        """At or over capacity: routing gives them nothing more."""
        return self.capacity is not None and self.open_count >= self.capacity


def agent_list(*, organization: Organization, user_id: int | None = None) -> list[AgentRow]:
    """Staff who can work requests (not viewers), with presence, capacity, skills and load."""
    memberships = list(
        Membership.objects.filter(organization=organization, is_active=True)
        .exclude(role=Membership.Role.VIEWER)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__teams",
                queryset=Team.objects.filter(organization=organization).order_by("name"),
            )
        )
        .order_by("user__full_name", "user__email")
    )
    if user_id is not None:
        memberships = [m for m in memberships if m.user_id == user_id]
    user_ids = [m.user_id for m in memberships]
    profiles = {
        profile.user_id: profile
        for profile in AgentProfile.objects.filter(
            organization=organization, user_id__in=user_ids
        ).prefetch_related(
            Prefetch("product_models", queryset=ProductModel.objects.order_by("name"))
        )
    }
    loads = {
        row["assignee_id"]: row["count"]
        for row in Ticket.objects.filter(
            organization=organization, is_open=True, assignee_id__in=user_ids
        )
        .values("assignee_id")
        .annotate(count=Count("id"))
    }
    rows = []
    for membership in memberships:
        profile = profiles.get(membership.user_id)
        products = list(profile.product_models.all()) if profile else []
        rows.append(
            AgentRow(
                user=membership.user,
                role=membership.role,
                presence=profile.presence if profile else AgentProfile.Presence.AVAILABLE,
                capacity=profile.capacity if profile else None,
                languages=list(profile.languages) if profile else [],
                product_model_ids=[product.pk for product in products],
                product_names=[str(product) for product in products],
                open_count=loads.get(membership.user_id, 0),
                team_names=[team.name for team in membership.user.teams.all()],
            )
        )
    return rows


def agent_get(*, organization: Organization, user_id: int) -> AgentRow:
    """One member of staff as routing sees them, or 404."""
    rows = agent_list(organization=organization, user_id=user_id)
    if not rows:
        raise Http404
    return rows[0]


@dataclass(frozen=True)
class TeamSla:
    """One team's SLA at a glance: open requests at risk or breached, breaches in a period."""

    team_id: int | None
    team_name: str
    open_count: int
    at_risk: int
    breached: int
    breaches_in_period: int


@dataclass(frozen=True)
class SlaSummary:
    """The organization's SLA now and over a period, by team."""

    since: datetime.datetime
    open_count: int
    at_risk: int
    breached: int
    paused: int
    breaches_in_period: int
    warnings_in_period: int
    teams: list[TeamSla]


def sla_summary(*, organization: Organization, since: datetime.datetime) -> SlaSummary:
    """Open requests by team and SLA state, and breaches recorded since a moment, by team.

    Two grouped queries over indexed columns, whatever the number of requests.
    """
    states: dict[int | None, Counter] = {}
    for row in (
        Ticket.objects.filter(organization=organization, is_open=True)
        .values("team_id", "sla_state")
        .annotate(count=Count("id"))
    ):
        states.setdefault(row["team_id"], Counter())[row["sla_state"]] += row["count"]
    marks: dict[int | None, Counter] = {}
    for row in (
        SlaMark.objects.filter(
            organization=organization,
            kind__in=[SlaMark.Kind.WARNING, SlaMark.Kind.BREACH],
            recorded_at__gte=since,
        )
        .values("team_id", "kind")
        .annotate(count=Count("id"))
    ):
        marks.setdefault(row["team_id"], Counter())[row["kind"]] += row["count"]
    names = dict(Team.objects.filter(organization=organization).values_list("pk", "name"))
    team_ids = sorted(
        set(states) | set(marks), key=lambda pk: (pk is None, names.get(pk, "").lower())
    )
    teams = [
        TeamSla(
            team_id=team_id,
            team_name=names.get(team_id, ""),
            open_count=sum(states.get(team_id, Counter()).values()),
            at_risk=states.get(team_id, Counter())["warning"],
            breached=states.get(team_id, Counter())["breached"],
            breaches_in_period=marks.get(team_id, Counter())["breach"],
        )
        for team_id in team_ids
    ]
    total = Counter()
    for counter in states.values():
        total.update(counter)
    period = Counter()
    for counter in marks.values():
        period.update(counter)
    return SlaSummary(
        since=since,
        open_count=sum(total.values()),
        at_risk=total["warning"],
        breached=total["breached"],
        paused=total["paused"],
        breaches_in_period=period["breach"],
        warnings_in_period=period["warning"],
        teams=teams,
    )

"""Routing: which team a new request goes to, and which agent of that team takes it.

A request goes to the team of the first active routing rule it matches (kind, category, product,
channel, language), unless one was given. A team that assigns automatically then gives it to an
available member whose skills fit (languages, products) and who is under capacity, by
round-robin or fewest open requests. Manual assignment always wins and ignores capacity; a
request no one can take waits in the team's queue until `routing_dispatch` finds someone.

Capacity holds however many requests arrive at once: the candidates' profiles are locked (in id
order) before their open requests are counted, so two assignments cannot both see the last slot.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import language_codes
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import (
    clean_choices,
    clean_position,
    clean_text,
    next_position,
    save_unless_taken,
)
from aftercare.lib.vocabulary import Channel, Kind
from aftercare.tickets import events
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.models import Category, Ticket
from aftercare.tickets.routing.models import RoutingRule

CAPACITY_MAX = 10_000


@dataclass(frozen=True)
class Routing:
    """What routing decided for a request."""

    rule_name: str
    team: Team | None
    assignee: User | None
    method: str


def _rule_matches(rule: RoutingRule, ticket: Ticket) -> bool:
    """Whether every condition of a rule (prefetched) holds for the request."""
    category_ids = {category.pk for category in rule.categories.all()}
    product_ids = {product.pk for product in rule.product_models.all()}
    return (
        (not rule.kinds or ticket.kind in rule.kinds)
        and (not rule.channels or ticket.channel in rule.channels)
        and (not rule.languages or ticket.language in rule.languages)
        and (not category_ids or ticket.category_id in category_ids)
        and (not product_ids or ticket.product_model_id in product_ids)
    )


def _matching_rule(ticket: Ticket) -> RoutingRule | None:
    """The first active rule, by position, that the request matches and whose team works."""
    rules = (
        RoutingRule.objects.filter(
            organization_id=ticket.organization_id, is_active=True, team__is_active=True
        )
        .select_related("team")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("id")),
            Prefetch("product_models", queryset=ProductModel.objects.only("id")),
        )
        .order_by("position", "id")
    )
    return next((rule for rule in rules if _rule_matches(rule, ticket)), None)


def _speaks(profile: AgentProfile, language: str) -> bool:
    return not language or not profile.languages or language in profile.languages


def _profiles_locked(*, organization_id: int, team: Team) -> list[AgentProfile]:
    """The team's active staff's routing profiles, created when missing, locked in id order."""
    user_ids = list(
        Membership.objects.filter(
            organization_id=organization_id,
            is_active=True,
            user__is_active=True,
            user__teams=team,
        )
        .exclude(role=Membership.Role.VIEWER)
        .values_list("user_id", flat=True)
    )
    if not user_ids:
        return []
    have = set(
        AgentProfile.objects.filter(
            organization_id=organization_id, user_id__in=user_ids
        ).values_list("user_id", flat=True)
    )
    missing = [user_id for user_id in user_ids if user_id not in have]
    if missing:
        AgentProfile.objects.bulk_create(
            [AgentProfile(organization_id=organization_id, user_id=uid) for uid in missing],
            ignore_conflicts=True,
        )
    return list(
        AgentProfile.objects.select_for_update(of=("self",))
        .filter(organization_id=organization_id, user_id__in=user_ids)
        .select_related("user")
        .prefetch_related(Prefetch("product_models", queryset=ProductModel.objects.only("id")))
        .order_by("pk")
    )


def open_loads(*, organization_id: int, user_ids: Iterable[int]) -> dict[int, int]:
    """Open requests assigned to each of these users, in one query."""
    rows = (
        Ticket.objects.filter(
            organization_id=organization_id, is_open=True, assignee_id__in=list(user_ids)
        )
        .values("assignee_id")
        .annotate(count=Count("id"))
    )
    return {row["assignee_id"]: row["count"] for row in rows}


@dataclass(frozen=True)
class Pick:
    """Who takes a request next (None: nobody fits), and whether anyone in the team is free."""

    profile: AgentProfile | None
    anyone_free: bool


def pick_agent(*, ticket: Ticket, team: Team, now: datetime.datetime) -> Pick:
    """The member of an auto-assigning team who takes the request next, marked as such."""
    profiles = _profiles_locked(organization_id=ticket.organization_id, team=team)
    available = [p for p in profiles if p.presence == AgentProfile.Presence.AVAILABLE]
    loads = open_loads(
        organization_id=ticket.organization_id, user_ids=[p.user_id for p in available]
    )
    free = [p for p in available if p.capacity is None or loads.get(p.user_id, 0) < p.capacity]
    product_id = ticket.product_model_id
    fitting = [
        profile
        for profile in free
        if _speaks(profile, ticket.language)
        and (
            not profile.product_models.all()
            or product_id in {product.pk for product in profile.product_models.all()}
        )
    ]
    if not fitting:
        return Pick(profile=None, anyone_free=bool(free))
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    if team.assignment == Team.Assignment.LEAST_OPEN:
        chosen = min(
            fitting, key=lambda p: (loads.get(p.user_id, 0), p.last_assigned_at or never, p.pk)
        )
    else:
        chosen = min(fitting, key=lambda p: (p.last_assigned_at or never, p.pk))
    chosen.last_assigned_at = now
    chosen.save(update_fields=["last_assigned_at"])
    return Pick(profile=chosen, anyone_free=True)


def routing_rule_match(ticket: Ticket) -> RoutingRule | None:
    """The rule that gives a new request its team, if any: a read of the configuration, which
    the creating service does before its transaction so as not to hold the write lock for it."""
    return _matching_rule(ticket)


def routing_decide(
    *,
    ticket: Ticket,
    team_given: bool,
    assignee_given: bool,
    now: datetime.datetime,
    rule: RoutingRule | None | Unset = UNSET,
) -> Routing | None:
    """Choose a new request's team (unless given) and agent (unless given); set them on it.

    Call inside the transaction that creates the request, with the rule `routing_rule_match`
    found (matched here when not given). None when routing changed nothing.
    """
    if team_given:
        rule = None
    elif rule is UNSET:
        rule = _matching_rule(ticket)
    if rule is not None:
        ticket.team = rule.team
    team = ticket.team
    assignee = None
    if not assignee_given and team is not None and team.assignment != Team.Assignment.MANUAL:
        profile = pick_agent(ticket=ticket, team=team, now=now).profile
        if profile is not None:
            assignee = ticket.assignee = profile.user
    if rule is None and assignee is None:
        return None
    method = team.assignment if assignee is not None and team is not None else "rule"
    return Routing(rule_name=rule.name if rule else "", team=team, assignee=assignee, method=method)


def routing_record(*, ticket: Ticket, routing: Routing) -> None:
    """Put routing's decision on the timeline of the (saved) request."""
    events.ticket_routed_event(
        ticket=ticket,
        rule_name=routing.rule_name,
        team_name=routing.team.name if routing.team else "",
        assignee_name=routing.assignee.display_name if routing.assignee else "",
        method=routing.method,
    )


def dispatch_soon(*, organization_id: int, team_id: int | None = None) -> None:
    """Offer waiting requests to agents once the current transaction commits."""
    from aftercare.tickets.tasks import routing_dispatch_task

    transaction.on_commit(
        partial(routing_dispatch_task.enqueue, organization_id=organization_id, team_id=team_id)
    )


def team_dispatch(*, team: Team) -> None:
    """A team began giving its queue to agents: offer what waits in it (accounts' hook)."""
    dispatch_soon(organization_id=team.organization_id, team_id=team.pk)


# --- Routing rules ---


def _rule_fields(*, organization_id: int, name, kinds, channels, languages, team) -> dict:
    fields: dict = {}
    if name is not UNSET:
        fields["name"] = clean_text(name, field="name", required=True, max_length=100)
    if kinds is not UNSET:
        fields["kinds"] = clean_choices(kinds, allowed=Kind.values, field="kinds")
    if channels is not UNSET:
        fields["channels"] = clean_choices(channels, allowed=Channel.values, field="channels")
    if languages is not UNSET:
        fields["languages"] = clean_choices(languages, allowed=language_codes(), field="languages")
    if team is not UNSET:
        if team is None or team.organization_id != organization_id or not team.is_active:
            raise ApplicationError(_("Choose an active team."), field="team_id")
        fields["team"] = team
    return fields


def _check_related(categories, products, organization_id: int):
    categories = None if categories is UNSET else list(categories or [])
    products = None if products is UNSET else list(products or [])
    if categories and any(c.organization_id != organization_id for c in categories):
        raise ApplicationError(_("No such category."), field="category_ids")
    if products and any(p.organization_id != organization_id for p in products):
        raise ApplicationError(_("No such product."), field="product_model_ids")
    return categories, products


def _rule_name_taken() -> ApplicationError:
    return ApplicationError(_("A rule with this name already exists."), field="name")


@transaction.atomic
def routing_rule_create(
    *,
    organization: Organization,
    name: str,
    team: Team,
    kinds: Iterable[str] = (),
    channels: Iterable[str] = (),
    languages: Iterable[str] = (),
    categories: Iterable[Category] = (),
    product_models: Iterable[ProductModel] = (),
    position: int | None = None,
    is_active: bool = True,
) -> RoutingRule:
    """A routing rule, last in order unless a position is given."""
    fields = _rule_fields(
        organization_id=organization.pk,
        name=name,
        kinds=kinds,
        channels=channels,
        languages=languages,
        team=team,
    )
    chosen_categories, chosen_products = _check_related(categories, product_models, organization.pk)
    mine = RoutingRule.objects.filter(organization=organization)
    rule = RoutingRule(
        organization=organization,
        position=clean_position(next_position(mine) if position is None else position),
        is_active=bool(is_active),
        **fields,
    )
    save_unless_taken(rule, taken=mine.filter(name=fields["name"]), error=_rule_name_taken)
    rule.categories.set(chosen_categories or [])
    rule.product_models.set(chosen_products or [])
    return rule


@transaction.atomic
def routing_rule_update(
    *,
    rule: RoutingRule,
    name: str | Unset = UNSET,
    team: Team | Unset = UNSET,
    kinds: Iterable[str] | Unset = UNSET,
    channels: Iterable[str] | Unset = UNSET,
    languages: Iterable[str] | Unset = UNSET,
    categories: Iterable[Category] | Unset = UNSET,
    product_models: Iterable[ProductModel] | Unset = UNSET,
    position: int | None | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> RoutingRule:
    """Change what is given of a routing rule; it applies to requests created from now on."""
    fields = _rule_fields(
        organization_id=rule.organization_id,
        name=name,
        kinds=kinds,
        channels=channels,
        languages=languages,
        team=team,
    )
    chosen_categories, chosen_products = _check_related(
        categories, product_models, rule.organization_id
    )
    if position is not UNSET:
        fields["position"] = clean_position(position)
    if is_active is not UNSET:
        fields["is_active"] = bool(is_active)
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    if "name" in fields:
        taken = (
            RoutingRule.objects.filter(organization_id=rule.organization_id, name=fields["name"])
            .exclude(pk=rule.pk)
            .exists()
        )
        if taken:
            raise _rule_name_taken()
    for field, value in fields.items():
        setattr(rule, field, value)
    rule.updated_at = timezone.now()
    rule.save()
    if chosen_categories is not None:
        rule.categories.set(chosen_categories)
    if chosen_products is not None:
        rule.product_models.set(chosen_products)
    return rule

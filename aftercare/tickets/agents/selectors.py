"""Reads about staff as routing and supervisors see them: presence, capacity, skills, load."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404

from aftercare.accounts.models import Membership, Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.models import Ticket


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

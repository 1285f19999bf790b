"""Helpers of the tests of teams and members, wherever their pages and APIs are."""

from aftercare.accounts.models import Team


def teams_state(organization) -> list[tuple]:
    """Every team's state with its members, to show a refused change changed nothing."""
    return [
        (team.pk, team.name, team.is_active, sorted(team.members.values_list("pk", flat=True)))
        for team in Team.objects.filter(organization=organization).order_by("pk")
    ]

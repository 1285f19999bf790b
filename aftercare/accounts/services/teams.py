"""Teams of staff, and how their requests find an agent."""

from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts import hooks
from aftercare.accounts.models import Membership, Organization, Team, User
from aftercare.accounts.services.audit import AuditAction, audit_record
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text


def _check_member(user: User, organization: Organization) -> None:
    is_member = Membership.objects.filter(
        organization=organization, user=user, is_active=True
    ).exists()
    if not is_member:
        raise ApplicationError(_("No such member in this organization."), field="assignee_id")


@transaction.atomic
def team_create(
    *,
    organization: Organization,
    name: str,
    members: list[User] | None = None,
    assignment: str = Team.Assignment.MANUAL,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Team:
    """A team of staff, and how its requests find an agent (`actor`, `ip` and `user_agent`
    are for the audit trail)."""
    name = clean_text(name, field="name", required=True, max_length=100)
    _check_assignment(assignment)
    if Team.objects.filter(organization=organization, name=name).exists():
        raise ApplicationError(_("A team with this name already exists."), field="name")
    team = Team.objects.create(organization=organization, name=name, assignment=assignment)
    for member in members or []:
        _check_member(member, organization)
    if members:
        team.members.set(members)
    audit_record(
        action=AuditAction.TEAM_CREATED,
        organization=organization,
        actor=actor,
        target=team,
        ip=ip,
        user_agent=user_agent,
        data={
            "assignment": team.assignment,
            "members": sorted(member.email for member in members or []),
        },
    )
    return team


def _check_assignment(assignment: str) -> None:
    if assignment not in Team.Assignment.values:
        raise ApplicationError(_("Unknown way of assigning requests."), field="assignment")


@transaction.atomic
def team_update(
    *,
    team: Team,
    name: str,
    members: list[User],
    is_active: bool,
    assignment: str | None = None,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Team:
    """Rename a team, set its members (active staff of its organization), how it assigns
    requests, and (de)activate it; what changed goes to the audit trail (with `actor`, `ip`
    and `user_agent`)."""
    name = clean_text(name, field="name", required=True, max_length=100)
    if assignment is not None:
        _check_assignment(assignment)
    team = Team.objects.select_for_update().get(pk=team.pk)
    duplicate = (
        Team.objects.filter(organization_id=team.organization_id, name=name)
        .exclude(pk=team.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError(_("A team with this name already exists."), field="name")
    wanted = {member.pk for member in members}
    staff = set(
        Membership.objects.filter(
            organization_id=team.organization_id, user_id__in=wanted, is_active=True
        ).values_list("user_id", flat=True)
    )
    if wanted - staff:
        raise ApplicationError(_("No such member in this organization."), field="members")
    before = {"name": team.name, "is_active": team.is_active, "assignment": team.assignment}
    members_before = dict(team.members.values_list("pk", "email"))
    team.name = name
    team.is_active = is_active
    if assignment is not None:
        team.assignment = assignment
    team.save(update_fields=["name", "is_active", "assignment"])
    team.members.set(members)
    changes: dict = {
        field: {"from": value, "to": getattr(team, field)}
        for field, value in before.items()
        if value != getattr(team, field)
    }
    added = sorted(member.email for member in members if member.pk not in members_before)
    removed = sorted(email for pk, email in members_before.items() if pk not in wanted)
    if added:
        changes["members_added"] = added
    if removed:
        changes["members_removed"] = removed
    if changes:
        audit_record(
            action=AuditAction.TEAM_CHANGED,
            organization=team.organization,
            actor=actor,
            target=team,
            ip=ip,
            user_agent=user_agent,
            data=changes,
        )
    if team.is_active and team.assignment != Team.Assignment.MANUAL:
        hooks.team_assigns_automatically.fire(team=team)
    return team

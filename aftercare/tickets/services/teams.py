"""Every write to teams and problem categories."""

from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, User
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text as _clean_text
from aftercare.tickets.models import Category, Team
from aftercare.tickets.services.requests import _check_assignee, _check_same_org
from aftercare.tickets.services.routing import dispatch_soon


@transaction.atomic
def team_create(
    *,
    organization: Organization,
    name: str,
    members: list[User] | None = None,
    assignment: str = Team.Assignment.MANUAL,
) -> Team:
    """A team of staff, and how its requests find an agent."""
    name = _clean_text(name, field="name", required=True, max_length=100)
    _check_assignment(assignment)
    if Team.objects.filter(organization=organization, name=name).exists():
        raise ApplicationError(_("A team with this name already exists."), field="name")
    team = Team.objects.create(organization=organization, name=name, assignment=assignment)
    for member in members or []:
        _check_assignee(member, organization)
    if members:
        team.members.set(members)
    return team


@transaction.atomic
def category_create(
    *, organization: Organization, name: str, parent: Category | None = None
) -> Category:
    """A problem category."""
    name = _clean_text(name, field="name", required=True, max_length=100)
    _check_same_org(parent, organization, field="parent_id", label=_("category"))
    if Category.objects.filter(organization=organization, parent=parent, name=name).exists():
        raise ApplicationError(_("A category with this name already exists."), field="name")
    return Category.objects.create(organization=organization, name=name, parent=parent)


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
) -> Team:
    """Rename a team, set its members (active staff of its organization), how it assigns
    requests, and (de)activate it."""
    name = _clean_text(name, field="name", required=True, max_length=100)
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
    team.name = name
    team.is_active = is_active
    if assignment is not None:
        team.assignment = assignment
    team.save(update_fields=["name", "is_active", "assignment"])
    team.members.set(members)
    if team.is_active and team.assignment != Team.Assignment.MANUAL:
        dispatch_soon(organization_id=team.organization_id, team_id=team.pk)
    return team


@transaction.atomic
def category_update(*, category: Category, name: str, is_active: bool) -> Category:
    """Rename a category or (de)activate it; an active category never sits under an inactive one."""
    name = _clean_text(name, field="name", required=True, max_length=100)
    category = Category.objects.select_for_update().get(pk=category.pk)
    duplicate = (
        Category.objects.filter(
            organization_id=category.organization_id, parent_id=category.parent_id, name=name
        )
        .exclude(pk=category.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError(_("A category with this name already exists."), field="name")
    deactivating = category.is_active and not is_active
    if deactivating and Category.objects.filter(parent=category, is_active=True).exists():
        raise ApplicationError(_("Deactivate its subcategories first."), field="is_active")
    reactivating = is_active and not category.is_active and category.parent_id is not None
    if reactivating and not Category.objects.filter(pk=category.parent_id, is_active=True).exists():
        raise ApplicationError(_("Reactivate its parent category first."), field="is_active")
    category.name = name
    category.is_active = is_active
    category.save(update_fields=["name", "is_active"])
    return category

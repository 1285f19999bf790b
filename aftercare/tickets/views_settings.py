"""Console settings pages for teams and problem categories, for admins and supervisors."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership, User
from aftercare.accounts.selectors import member_list
from aftercare.console.access import Access
from aftercare.console.forms import EMPTY, ConsoleForm, active_checkbox, text_field
from aftercare.console.pages import console_view, form_data, form_page, render_console
from aftercare.tickets.models import Category, Team
from aftercare.tickets.selectors import (
    CategoryNode,
    category_get,
    category_tree,
    team_get,
    team_list_for_settings,
)
from aftercare.tickets.services import category_create, category_update, team_create, team_update


class TeamForm(ConsoleForm):
    """A team's name and members; on edit, whether it still works the queue."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Members"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    assignment = forms.ChoiceField(
        label=gettext_lazy("Assignment"),
        required=False,
        choices=Team.Assignment.choices,
        initial=Team.Assignment.MANUAL,
        help_text=gettext_lazy(
            "Automatic assignment gives each new request to an available member whose languages "
            "and products fit, up to their capacity (Settings → Agents)."
        ),
    )
    is_active = active_checkbox(gettext_lazy("Inactive teams have no queue and get no requests."))

    def __init__(self, *args, members: list[Membership], editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
        self._users = {str(m.user_id): m.user for m in members}
        self.fields["members"].choices = [
            (key, user.display_name) for key, user in self._users.items()
        ]

    def clean_assignment(self) -> str:
        """Manual unless another way is chosen."""
        return self.cleaned_data.get("assignment") or Team.Assignment.MANUAL

    def member_choices(self) -> list[tuple]:
        """Each member's checkbox with its user, to show the name and email apart."""
        return list(zip(self["members"], self._users.values(), strict=True))

    def chosen_members(self) -> list[User]:
        """The users ticked in the members list."""
        return [self._users[key] for key in self.cleaned_data.get("members", [])]


class CategoryCreateForm(ConsoleForm):
    """A new category's name, and the active category it sits under, if any."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    parent_id = forms.ChoiceField(
        label=gettext_lazy("Parent category"),
        required=False,
        help_text=gettext_lazy("Leave empty for a top-level category."),
    )

    def __init__(self, *args, nodes: list[CategoryNode], **kwargs):
        super().__init__(*args, **kwargs)
        # The full path as the label, computed from the tree: no query per choice.
        active = [node for node in nodes if node.category.is_active]
        self._parents = {str(node.category.pk): node.category for node in active}
        self.fields["parent_id"].choices = [("", EMPTY)] + [
            (str(node.category.pk), node.path) for node in active
        ]

    def parent(self) -> Category | None:
        """The chosen parent category, or None."""
        return self._parents.get(self.cleaned_data.get("parent_id") or "")


class CategoryEditForm(ConsoleForm):
    """A category's name, and whether it is still offered on requests."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    is_active = active_checkbox(gettext_lazy("Inactive categories are no longer offered."))


# Only admins and supervisors may open these pages.
_manager_view = console_view(
    Access.MANAGE,
    refusal=gettext_lazy("Only admins and supervisors manage teams and categories."),
)


def _team_candidates(membership: Membership) -> list[Membership]:
    """Active staff who can work requests (everyone but viewers), by name."""
    members = member_list(organization=membership.organization)
    return [member for member in members if member.can_write]


@_manager_view
def team_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every team, active or not, with its members."""
    context = {
        "settings_section": "teams",
        "teams": team_list_for_settings(organization=membership.organization),
    }
    return render_console(request, membership, "tickets/settings/teams.html", context)


@_manager_view
def team_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new team and its members."""
    form = TeamForm(form_data(request), members=_team_candidates(membership), editing=False)

    def save() -> HttpResponse:
        team = team_create(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            members=form.chosen_members(),
            assignment=form.cleaned_data["assignment"],
        )
        messages.success(request, _("Team %(name)s created.") % {"name": team.name})
        return redirect("tickets:settings_teams")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/team_form.html",
        context={"settings_section": "teams", "team": None},
        fields={"assignee_id": "members"},
    )


@_manager_view
def team_edit_view(request: HttpRequest, membership: Membership, team_id: int) -> HttpResponse:
    """Rename a team, set its members, or deactivate or reactivate it."""
    team = team_get(organization=membership.organization, team_id=team_id)
    initial = {
        "name": team.name,
        "members": [str(user.pk) for user in team.members.all()],
        "is_active": team.is_active,
        "assignment": team.assignment,
    }
    form = TeamForm(
        form_data(request), initial=initial, members=_team_candidates(membership), editing=True
    )

    def save() -> HttpResponse:
        saved = team_update(
            team=team,
            name=form.cleaned_data["name"],
            members=form.chosen_members(),
            is_active=form.cleaned_data["is_active"],
            assignment=form.cleaned_data["assignment"],
        )
        messages.success(request, _("Team %(name)s saved.") % {"name": saved.name})
        return redirect("tickets:settings_teams")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/team_form.html",
        context={"settings_section": "teams", "team": team},
    )


@_manager_view
def category_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every category as a tree: each parent followed by its subcategories."""
    context = {
        "settings_section": "categories",
        "nodes": category_tree(organization=membership.organization),
    }
    return render_console(request, membership, "tickets/settings/categories.html", context)


@_manager_view
def category_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new category, at the top or under an active category."""
    nodes = category_tree(organization=membership.organization)
    form = CategoryCreateForm(form_data(request), nodes=nodes)

    def save() -> HttpResponse:
        category = category_create(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            parent=form.parent(),
        )
        messages.success(request, _("Category %(name)s created.") % {"name": category.name})
        return redirect("tickets:settings_categories")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/category_form.html",
        context={"settings_section": "categories", "category": None},
    )


@_manager_view
def category_edit_view(
    request: HttpRequest, membership: Membership, category_id: int
) -> HttpResponse:
    """Rename a category, or deactivate or reactivate it."""
    category = category_get(organization=membership.organization, category_id=category_id)
    form = CategoryEditForm(
        form_data(request), initial={"name": category.name, "is_active": category.is_active}
    )

    def save() -> HttpResponse:
        saved = category_update(
            category=category,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Category %(name)s saved.") % {"name": saved.name})
        return redirect("tickets:settings_categories")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/category_form.html",
        context={"settings_section": "categories", "category": category},
    )

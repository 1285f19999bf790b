"""Console settings pages for problem categories, for admins and supervisors."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.console.access import Access
from aftercare.console.forms import EMPTY, ConsoleForm, active_checkbox, text_field
from aftercare.console.pages import console_view, form_data, form_page, render_console
from aftercare.tickets.models import Category
from aftercare.tickets.selectors import CategoryNode, category_get, category_tree
from aftercare.tickets.services import category_create, category_update


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

"""Every write to problem categories."""

from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text as _clean_text
from aftercare.tickets.models import Category
from aftercare.tickets.services.requests import _check_same_org


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

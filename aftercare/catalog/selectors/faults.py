"""Reads about fault codes, scoped to one organization."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.indexing import FAULT_CODE
from aftercare.catalog.models import FaultCode, ProductModel
from aftercare.catalog.selectors.products import STATUSES
from aftercare.catalog.selectors.searching import listed_page, searched_page
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page
from aftercare.lib.validation import objects_for_input


def fault_code_get(*, organization: Organization, fault_code_id: int) -> FaultCode:
    """A fault code of this organization with its product models, or 404."""
    fault = (
        FaultCode.objects.filter(organization=organization, pk=fault_code_id)
        .prefetch_related("product_models")
        .first()
    )
    if fault is None:
        raise Http404
    return fault


def fault_code_for_input(
    *, organization: Organization, fault_code_id: int, field: str = "fault_code_id"
) -> FaultCode:
    """A fault code named in input; one of another organization is a field error."""
    fault = FaultCode.objects.filter(organization=organization, pk=fault_code_id).first()
    if fault is None:
        raise ApplicationError(_("No such fault code."), field=field)
    return fault


def fault_codes_for_input(
    *, organization: Organization, fault_code_ids: list[int], field: str = "excluded_fault_ids"
) -> list[FaultCode]:
    """The fault codes named in input; any id not of this organization is a field error."""
    queryset = FaultCode.objects.filter(organization=organization)
    message = _("No such fault code.")
    return objects_for_input(queryset, fault_code_ids, field=field, message=message)


def fault_code_choices(
    *,
    organization: Organization,
    product_model: ProductModel | None = None,
    keep: list[FaultCode] | tuple = (),
) -> list[FaultCode]:
    """Active fault codes to pick from by code (those of `product_model`, or of every model,
    when one is given), and those in `keep` (already picked) even if inactive."""
    condition = Q(is_active=True)
    if product_model is not None:
        # Codes listing no model apply to every model.
        applies = Q(product_models=product_model) | Q(product_models__isnull=True)
        ids = FaultCode.objects.filter(applies, organization=organization).values("pk")
        condition &= Q(pk__in=ids)
    condition |= Q(pk__in=[fault.pk for fault in keep])
    return list(FaultCode.objects.filter(condition, organization=organization))


def fault_code_page(
    *,
    organization: Organization,
    search: str = "",
    status: str = "all",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of fault codes by code, with their product models; with `search`, those the
    search index finds by name or code, the code typed whole first."""
    if status not in STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = FaultCode.objects.filter(organization=organization)
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    queryset = queryset.prefetch_related("product_models")
    if search.strip():
        return searched_page(
            queryset,
            organization=organization,
            kind=FAULT_CODE,
            search=search,
            states=[] if status == "all" else [status],
            cursor=cursor,
            limit=limit,
        )
    return listed_page(queryset, ordering=["code", "id"], cursor=cursor, limit=limit)

"""What the repair handlers share: the work order a path names, the technician a field names."""

from django.http import HttpRequest

from aftercare.repairs.models import WorkOrder
from aftercare.repairs.selectors import technician_for_input, work_order_get


def work_order_or_404(request: HttpRequest, work_order_id: int) -> WorkOrder:
    """The organization's work order the path names (404 if there is none)."""
    return work_order_get(organization=request.organization, work_order_id=work_order_id)


def technician_or_none(request: HttpRequest, user_id: int | None):
    """The organization's technician a field names, or nobody for null."""
    if user_id is None:
        return None
    return technician_for_input(organization=request.organization, user_id=user_id)

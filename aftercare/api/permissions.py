"""Role checks for API writes: the token names the organization, the membership the role."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import membership_get


def _membership(request: HttpRequest) -> Membership | None:
    return membership_get(user=request.auth, organization=request.organization)


def require_writer(request: HttpRequest) -> Membership:
    """The caller's membership, if their role may change requests and customers; else 403."""
    membership = _membership(request)
    if membership is None or not membership.can_write:
        raise PermissionDenied(_("Your role may read but not change anything."))
    return membership


def require_manager(request: HttpRequest) -> Membership:
    """The caller's membership, if they are an admin or a supervisor; else 403."""
    membership = _membership(request)
    if membership is None or not membership.can_manage:
        raise PermissionDenied(_("Only an admin or a supervisor may do this."))
    return membership

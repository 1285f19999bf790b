"""Role checks for API writes: the token names the organization, its membership the role."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _


def require_writer(request: HttpRequest):
    """The caller's membership, if their role may change requests and customers; else 403."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can_write:
        raise PermissionDenied(_("Your role may read but not change anything."))
    return membership


def require_manager(request: HttpRequest):
    """The caller's membership, if they are an admin or a supervisor; else 403."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can_manage:
        raise PermissionDenied(_("Only an admin or a supervisor may do this."))
    return membership


def require_admin(request: HttpRequest):
    """The caller's membership, if they are an admin of the organization; else 403."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only an admin of the organization may do this."))
    return membership

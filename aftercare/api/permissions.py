"""Finer role checks inside a handler, for a check that depends on the input.

Every operation's own level is checked before its handler runs, by the permission matrix
(`aftercare.accounts.permissions`, through `aftercare.api.auth.TokenAuth`): a handler needs
these only when some input asks for more than its operation (an agent may change their own
presence, only a manager someone else's). They read the levels the caller reaches, through
their role and their token's scope, that the check left on the request.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _


def _require(request: HttpRequest, level: str, refusal: str):
    membership = getattr(request, "membership", None)
    if membership is None or level not in getattr(request, "permitted_levels", ()):
        raise PermissionDenied(refusal)
    return membership


def require_writer(request: HttpRequest):
    """The caller's membership, if they may change requests and customers; else 403."""
    return _require(request, "write", _("Your role may read but not change anything."))


def require_manager(request: HttpRequest):
    """The caller's membership, if they may do what admins and supervisors do; else 403."""
    return _require(request, "manage", _("Only an admin or a supervisor may do this."))


def require_admin(request: HttpRequest):
    """The caller's membership, if they may do what admins of the organization do; else 403."""
    return _require(request, "admin", _("Only an admin of the organization may do this."))

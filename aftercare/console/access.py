"""Who may open a console page: the console's name for the permission matrix's levels.

The matrix and every page's level are in `aftercare.accounts.permissions`, written once;
`console.pages.console_view` enforces them, and navigation shows a link to those it lets in.
"""

from aftercare.accounts.models import Membership
from aftercare.accounts.permissions import Level, role_allows

# READ: any active member of staff; PERSONAL: the same, for their own account; WRITE: everyone
# who works requests (all but viewers); MANAGE: admins and supervisors; ADMIN: admins only.
Access = Level


def allows(membership: Membership | None, access: Access) -> bool:
    """Whether `membership` may do what `access` guards."""
    return membership is not None and role_allows(membership.role, access)

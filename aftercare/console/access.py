"""Who may open a console page: the role checks, written once."""

import enum

from aftercare.accounts.models import Membership


class Access(enum.Enum):
    """How much of the organization a page shows or changes."""

    READ = "read"  # any active member of staff
    WRITE = "write"  # everyone who works requests: all but viewers
    MANAGE = "manage"  # admins and supervisors
    ADMIN = "admin"  # admins only


def allows(membership: Membership | None, access: Access) -> bool:
    """Whether `membership` may open what `access` guards."""
    if membership is None:
        return False
    if access is Access.WRITE:
        return membership.can_write
    if access is Access.MANAGE:
        return membership.can_manage
    if access is Access.ADMIN:
        return membership.is_admin
    return True

"""Template context about the signed-in staff member's organization."""

from django.utils.functional import SimpleLazyObject

from aftercare.accounts.selectors import membership_for_session


def tenancy(request):
    """`membership` (lazy) for console templates."""
    if not hasattr(request, "user"):
        return {}
    return {
        "membership": SimpleLazyObject(
            lambda: membership_for_session(user=request.user, session=request.session)
        )
    }

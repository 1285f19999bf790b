"""Template context about the signed-in staff member's organization."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.functional import SimpleLazyObject

from aftercare.accounts.selectors import membership_for_session


def tenancy(request):
    """`membership` (lazy) for console templates, and the console's home address."""
    if not hasattr(request, "user"):
        return {}
    return {
        "membership": SimpleLazyObject(
            lambda: membership_for_session(user=request.user, session=request.session)
        ),
        "console_home": SimpleLazyObject(lambda: resolve_url(settings.LOGIN_REDIRECT_URL)),
    }

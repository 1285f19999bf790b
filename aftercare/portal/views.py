"""The customer portal."""

from django.http import HttpResponse


def home_view(request, org_slug: str) -> HttpResponse:
    """Portal home."""
    return HttpResponse("portal")

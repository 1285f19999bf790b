"""Per-request time zone: the user's, else their organization's."""

import zoneinfo

from django.utils import timezone


class TimezoneMiddleware:
    """Activate the signed-in user's time zone so dates show in local time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = user.time_zone
        if not name:
            name = request.session.get("time_zone", "") if hasattr(request, "session") else ""
        try:
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


def activate_organization_time_zone(request, organization) -> None:
    """Show times in the organization's zone when the user has not chosen one of their own."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.time_zone:
        return
    try:
        timezone.activate(zoneinfo.ZoneInfo(organization.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()

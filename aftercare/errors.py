"""What an address that leads nowhere answers, by where it was: the API's error body, a portal's
own page, or the console's (each in the reader's language, which LocaleMiddleware chose before
the address was resolved)."""

from django.http import HttpRequest, HttpResponse

from aftercare.console.errors import api_not_found, console_not_found
from aftercare.portal.errors import PREFIX as PORTAL_PREFIX
from aftercare.portal.errors import portal_not_found


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler404`."""
    if request.path.startswith("/api/"):
        return api_not_found(request)
    if request.path.startswith(PORTAL_PREFIX):
        page = portal_not_found(request)
        if page is not None:
            return page
    return console_not_found(request)

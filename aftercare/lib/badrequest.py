"""Bodies Django cannot or will not parse, answered as the client's mistake they are.

Django answers a malformed multipart body, too many files or fields, or a body past
`DATA_UPLOAD_MAX_MEMORY_SIZE` with its own HTML 400 page, and logs it with a traceback. Under
/api/ the answer here is the API's error shape, 422 like every other bad input (413 for a body
too large); elsewhere Django's page is kept. (`lib.logfilters` keeps the log of such a
mistake to one line.)
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views import defaults

from aftercare.lib.errors import ApplicationError


def _api_error(exception: Exception | None) -> tuple[ApplicationError, int]:
    if isinstance(exception, TooManyFilesSent):
        message = _("Too many files: send at most %(count)s.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
        return ApplicationError(message, code="too_many_files"), 422
    if isinstance(exception, TooManyFieldsSent):
        return ApplicationError(_("Too many fields in the request."), code="too_many_fields"), 422
    if isinstance(exception, RequestDataTooBig):
        message = _("The request is larger than %(limit)s MB.") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        }
        return ApplicationError(message, code="too_large"), 413
    if isinstance(exception, MultiPartParserError):
        message = _("The request body is not valid multipart form data.")
        return ApplicationError(message, code="multipart"), 422
    return ApplicationError(_("The request is not valid."), code="invalid"), 422


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler400`: the API's error shape under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        error, status = _api_error(exception)
        return JsonResponse(error.as_dict(), status=status)
    return defaults.bad_request(request, exception)

"""Request bodies are capped before they are read, and uploaded files before they reach disk.

Two checks:

- `BodyLimitMiddleware`, first in the chain: a body whose `Content-Length` is above
  `REQUEST_MAX_BYTES` (or its address's limit in `REQUEST_MAX_BYTES_BY_PREFIX`) is answered 413
  at once, before a byte of it is read (the web server streams larger bodies only as Django
  asks for them, aftercare/lib/serving.py). A body of undeclared length (chunked) is no form:
  Django parses no form or file out of it.
- `CappedUploadHandler`, first of the upload handlers: a file is passed on to the handlers that
  keep it (in memory, then a temporary file) only up to `UPLOAD_MAX_FILE_BYTES`. The rest of a
  larger file is read and dropped, and the form receives an `OversizedUpload` of its real size
  and no content, which every upload check refuses naming the field. So no file larger than
  the largest any form accepts is written to disk, and Django's `DATA_UPLOAD_MAX_NUMBER_FILES`
  bounds how many are.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from aftercare.lib.errors import ApplicationError


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_limit(path: str) -> int:
    """The most bytes a request to `path` may declare."""
    for prefix, limit in settings.REQUEST_MAX_BYTES_BY_PREFIX.items():
        if path.startswith(prefix):
            return limit
    return settings.REQUEST_MAX_BYTES


def too_large(request: HttpRequest) -> HttpResponse:
    """413: in the API's error shape under /api/, as a short page elsewhere."""
    limit = body_limit(request.path) // (1024 * 1024)
    message = _("The request is larger than %(limit)s MB.") % {"limit": limit}
    if request.path.startswith("/api/"):
        error = ApplicationError(message, code="too_large")
        response = JsonResponse(error.as_dict(), status=413)
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    # The rest of the body is never read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


class BodyLimitMiddleware:
    """Answer 413 to a request that declares a body above `REQUEST_MAX_BYTES`, unread."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > body_limit(request.path):
            return too_large(request)
        return self.get_response(request)


class OversizedUpload(UploadedFile):
    """A file that was larger than any form accepts: its name and real size, no content."""

    def __init__(self, *, name: str, content_type: str, size: int, charset) -> None:
        super().__init__(
            file=None, name=name, content_type=content_type, size=size, charset=charset
        )

    def chunks(self, chunk_size=None):
        return iter(())

    def read(self, *args) -> bytes:
        return b""

    def seek(self, *args) -> int:
        return 0

    def open(self, mode=None):
        return self

    def close(self) -> None:
        return None


class CappedUploadHandler(FileUploadHandler):
    """Pass each file on only up to `UPLOAD_MAX_FILE_BYTES`; past it, drop the rest and hand
    the form an `OversizedUpload`."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            # Not passed on: the handlers after this one never write it anywhere.
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= settings.UPLOAD_MAX_FILE_BYTES:
            return None  # the next handler's file
        return OversizedUpload(
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
        )

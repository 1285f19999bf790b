"""The API's base: one NinjaAPI class with the error shape every handler answers with.

It imports no app: the wiring at the top (`aftercare.api_v1`) creates the instance with its
authentication and mounts each app's router on it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from aftercare.api import idempotency
from aftercare.lib.errors import ApplicationError

_RENDERER = JSONRenderer()


def json_answer(data: Any, *, status: int = 200) -> HttpResponse:
    """An answer built in Python in its operation's documented shape, written as ninja writes
    every other answer (same encoder, same content type).

    For hot paths only: ninja validates a returned object field by field through its schema,
    which costs more than building the page. Each such builder has a test that compares its
    output with the schema's own for the same objects, so the two cannot drift apart.
    """
    content = _RENDERER.render(None, data, response_status=status)
    return HttpResponse(
        content, status=status, content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}"
    )


class BodyRefused(ValueError):
    """A body the API will not read, and why, in the client's language."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ObjectParser(Parser):
    """JSON bodies must be sent as JSON and be objects: a `text/plain` body, a list or a bare
    value is no request to any endpoint."""

    def parse_body(self, request: HttpRequest):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise BodyRefused(
                _("Send the body as JSON, with Content-Type: application/json."),
                code="content_type",
            )
        try:
            data = super().parse_body(request)
        except ValueError:
            raise BodyRefused(_("The request body is not valid JSON."), code="json") from None
        if not isinstance(data, dict):
            raise BodyRefused(_("The request body is not a JSON object."), code="json")
        return data


# A ninja error location starts with where the input came from, then, for grouped inputs, the
# handler's parameter name: neither is a field the client sent.
_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}
_PARAMETER_GROUPS = {"payload", "filters", "page"}


def _field_from_loc(loc) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in _PARAMETER_GROUPS:
        parts = parts[1:]
    return ".".join(parts) if parts else None


class AftercareApi(NinjaAPI):
    """NinjaAPI with JSON-object bodies, one error shape, stable operation ids, and
    `Idempotency-Key` on every POST operation that needs a token (`aftercare.api.idempotency`)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("parser", ObjectParser())
        # Swagger UI's deep links put a link inside each operation's button, which no keyboard
        # or screen reader can reach as such (axe: nested-interactive, target-size).
        kwargs.setdefault("docs", Swagger(settings={"deepLinking": False}))
        super().__init__(**kwargs)
        self.add_exception_handler(ApplicationError, self._application_error)
        self.add_exception_handler(ValidationError, self._validation_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(AuthenticationError, self._authentication_error)
        self.add_exception_handler(PermissionDenied, self._permission_denied)
        self.add_exception_handler(HttpError, self._http_error)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The handler's name: unique across the API and unchanged when code moves."""
        return operation.view_func.__name__

    def _get_bound_routers(self):
        # Operations are bound to the API (their authentication settled) once, when the URLs or
        # the schema are first built: that is when POST operations learn Idempotency-Key.
        binding = self._bound_routers_cache is None
        bound = super()._get_bound_routers()
        if binding:
            for router in bound:
                for path_view in router.path_operations.values():
                    for operation in path_view.operations:
                        idempotency.protect(operation)
        return bound

    def get_openapi_schema(self, **kwargs):
        """ninja's schema, with `Idempotency-Key` declared where it is honoured."""
        return idempotency.document(super().get_openapi_schema(**kwargs))

    def _application_error(self, request: HttpRequest, exc: ApplicationError):
        status = {"auth": 401, "rate_limited": 429}.get(exc.code, 422)
        return self.create_response(request, exc.as_dict(), status=status)

    def _validation_error(self, request: HttpRequest, exc: ValidationError):
        errors = [
            {
                "field": _field_from_loc(error.get("loc", ())),
                "message": str(error.get("msg", "")),
                "code": str(error.get("type", "invalid")),
            }
            for error in exc.errors
        ]
        for error in errors:
            if error["field"] is None and error["code"] == "missing":
                error["message"] = _("The request is not valid.")
        first = errors[0] if errors else {"field": None, "message": ""}
        detail = first["message"]
        if first["field"]:
            detail = f"{first['field']}: {first['message']}"
        detail = detail or _("The request is not valid.")
        return self.create_response(request, {"detail": detail, "errors": errors}, status=422)

    def _not_found(self, request: HttpRequest, exc: Http404):
        return self.create_response(request, {"detail": _("Not found."), "errors": []}, status=404)

    def _authentication_error(self, request: HttpRequest, exc: AuthenticationError):
        return self.create_response(
            request,
            {"detail": _("Authentication required: send a valid bearer token."), "errors": []},
            status=401,
        )

    def _permission_denied(self, request: HttpRequest, exc: PermissionDenied):
        detail = str(exc) or _("Not allowed")
        return self.create_response(request, {"detail": detail, "errors": []}, status=403)

    def _http_error(self, request: HttpRequest, exc: HttpError):
        if exc.status_code == 400:
            # ninja's only 400 is a body it cannot parse: bad input like any other, so 422.
            cause = exc.__cause__
            if isinstance(cause, BodyRefused):
                error = ApplicationError(cause.message, code=cause.code)
            else:
                error = ApplicationError(_("The request is not valid."), code="json")
            return self.create_response(request, error.as_dict(), status=422)
        return self.create_response(
            request, {"detail": exc.message, "errors": []}, status=exc.status_code
        )

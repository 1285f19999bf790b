"""The API v1 instance: bearer-token auth, one error shape, and each app's router."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from aftercare.accounts.selectors import api_token_authenticate
from aftercare.lib.errors import ApplicationError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ac_…`: a personal token bound to one organization."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_authenticate(key=token)
        if api_token is None:
            return None
        request.api_token = api_token
        request.organization = api_token.organization
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="aftercare API",
    version="1",
    description="After-sales service requests, customers and catalog. "
    "Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_from_loc(loc) -> str | None:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) if parts else None


@api.exception_handler(ApplicationError)
def application_error_handler(request, exc: ApplicationError):
    status = 401 if exc.code == "auth" else 422
    return api.create_response(request, exc.as_dict(), status=status)


@api.exception_handler(ValidationError)
def validation_error_handler(request, exc: ValidationError):
    errors = [
        {
            "field": _field_from_loc(error.get("loc", ())),
            "message": str(error.get("msg", "")),
            "code": str(error.get("type", "invalid")),
        }
        for error in exc.errors
    ]
    first = errors[0] if errors else {"field": None, "message": ""}
    detail = (f"{first['field']}: {first['message']}" if first["field"] else first["message"]) or _(
        "The request is not valid."
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found_handler(request, exc):
    return api.create_response(request, {"detail": _("Not found."), "errors": []}, status=404)


@api.exception_handler(AuthenticationError)
def authentication_error_handler(request, exc):
    return api.create_response(
        request,
        {"detail": _("Authentication required: send a valid bearer token."), "errors": []},
        status=401,
    )

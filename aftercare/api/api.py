"""The API v1 instance: bearer-token auth, one error shape, and each app's router."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from aftercare.accounts.api import auth_router, members_router
from aftercare.accounts.selectors import api_token_authenticate
from aftercare.catalog.api import router as catalog_router
from aftercare.customers.api import router as customers_router
from aftercare.lib.errors import ApplicationError
from aftercare.sla.api import calendars_router, policies_router
from aftercare.tickets.api import (
    attachments_router,
    categories_router,
    teams_router,
)
from aftercare.tickets.api import (
    router as tickets_router,
)
from aftercare.tickets.api_routing import (
    agents_router,
    escalation_router,
    routing_router,
    sla_router,
)


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


class ObjectParser(Parser):
    """JSON bodies must be objects: a list or a bare value is no request to any endpoint."""

    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body is not a JSON object.")
        return data


api = NinjaAPI(
    title="aftercare API",
    version="1",
    description="After-sales service requests, customers and catalog, SLAs on business "
    "calendars, escalation and routing. "
    "Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ObjectParser(),
)


api.add_router("/auth/", auth_router)
api.add_router("/customers/", customers_router)
api.add_router("/product-models/", catalog_router)
api.add_router("/tickets/", tickets_router)
api.add_router("/attachments/", attachments_router)
api.add_router("/teams/", teams_router)
api.add_router("/categories/", categories_router)
api.add_router("/members/", members_router)
api.add_router("/calendars/", calendars_router)
api.add_router("/sla-policies/", policies_router)
api.add_router("/escalation-rules/", escalation_router)
api.add_router("/sla/", sla_router)
api.add_router("/routing-rules/", routing_router)
api.add_router("/agents/", agents_router)

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


@api.exception_handler(ApplicationError)
def application_error_handler(request, exc: ApplicationError):
    status = {"auth": 401, "rate_limited": 429}.get(exc.code, 422)
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
    for error in errors:
        if error["field"] is None and error["code"] == "missing":
            error["message"] = _("The request is not valid.")
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


@api.exception_handler(PermissionDenied)
def permission_denied_handler(request, exc: PermissionDenied):
    detail = str(exc) or _("Not allowed")
    return api.create_response(request, {"detail": detail, "errors": []}, status=403)


@api.exception_handler(HttpError)
def http_error_handler(request, exc: HttpError):
    if exc.status_code == 400:
        # ninja's only 400 is a body it cannot parse: bad input like any other, so 422 as declared.
        error = ApplicationError(_("The request is not valid."), code="json")
        return api.create_response(request, error.as_dict(), status=422)
    return api.create_response(
        request, {"detail": exc.message, "errors": []}, status=exc.status_code
    )

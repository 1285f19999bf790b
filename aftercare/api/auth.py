"""Bearer-token authentication and the one permission check before every operation; what a
token means and who may do what are for the wiring to say."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer


class Caller(Protocol):
    """Who an API request comes from, as the authenticate function found them."""

    token: Any
    user: Any
    organization: Any
    membership: Any


# authorize(caller=..., operation_id=...): the levels the caller reaches ("read", "write"...),
# or PermissionDenied; caller is None for an operation that takes no token.
Authorize = Callable[..., Iterable[str]]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: `authenticate(key=...)` names the caller, or None; then
    `authorize(caller=..., operation_id=...)` lets them call this operation, or refuses (403).

    The request then carries `api_token`, `user`, `organization`, `membership` and
    `permitted_levels`, which the handlers and `aftercare.api.permissions` read. The operation
    is known through `guard`, a ninja view decorator the API applies to every operation; it
    also asks `authorize` about operations that take no token, so that the matrix names them
    too. Both run before the body is read: a caller the matrix refuses gets 403 whatever they
    sent.
    """

    def __init__(
        self, authenticate: Callable[..., Caller | None], authorize: Authorize | None = None
    ) -> None:
        super().__init__()
        self._authenticate = authenticate
        self._authorize = authorize

    def authenticate(self, request: HttpRequest, token: str):
        caller = self._authenticate(key=token)
        if caller is None:
            return None
        request.api_token = caller.token
        request.organization = caller.organization
        request.user = caller.user
        request.membership = caller.membership
        if self._authorize is not None:
            operation_id = getattr(request, "api_operation_id", None)
            request.permitted_levels = frozenset(
                self._authorize(caller=caller, operation_id=operation_id)
            )
        return caller.user

    def guard(self, run: Callable) -> Callable:
        """Wrap an operation's `run` (`api.add_decorator(auth.guard, mode="view")`): name the
        operation on the request, and check an operation without a token against the matrix."""
        operation = getattr(run, "__self__", None)
        if operation is None:
            raise TypeError("TokenAuth.guard decorates an operation's own run method.")

        @wraps(run)
        def guarded(request: HttpRequest, *args, **kwargs):
            operation_id = operation.api.get_openapi_operation_id(operation)
            request.api_operation_id = operation_id
            if not operation.auth_callbacks and self._authorize is not None:
                try:
                    request.permitted_levels = frozenset(
                        self._authorize(caller=None, operation_id=operation_id)
                    )
                except PermissionDenied as exc:
                    return operation.api.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return guarded

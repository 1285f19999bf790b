"""Bearer-token authentication for every handler; what a token means is for the wiring to say."""

from collections.abc import Callable
from typing import Any, Protocol

from django.http import HttpRequest
from ninja.security import HttpBearer


class Caller(Protocol):
    """Who an API request comes from, as the authenticate function found them."""

    token: Any
    user: Any
    organization: Any
    membership: Any


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: `authenticate(key=...)` names the caller, or None.

    The request then carries `api_token`, `user`, `organization` and `membership`, which the
    handlers and `aftercare.api.permissions` read.
    """

    def __init__(self, authenticate: Callable[..., Caller | None]) -> None:
        super().__init__()
        self._authenticate = authenticate

    def authenticate(self, request: HttpRequest, token: str):
        caller = self._authenticate(key=token)
        if caller is None:
            return None
        request.api_token = caller.token
        request.organization = caller.organization
        request.user = caller.user
        request.membership = caller.membership
        return caller.user

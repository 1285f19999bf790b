"""Helpers for the tests of every app: they know no app, only Django's test client."""

import re
import socket

from django.test import Client

# The password of every user the shared fixtures (aftercare/conftest.py) create.
PASSWORD = "correct horse battery staple"


def client_for(user) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """A response's body as text."""
    return response.content.decode()


def field_error(response, field: str) -> str:
    """The error shown under form field `field` (its `error-<field>` element's text and markup)."""
    html = response.content.decode()
    error = html[html.index(f'data-testid="error-{field}"') :]
    return error[: error.index("</div>")]


def bearer(key: str) -> dict:
    """Headers for an API request with a token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def row_ids(response, kind: str) -> list[str]:
    """The ids of the `data-testid="<kind>-row" data-<kind>-id="..."` rows of a page, in order."""
    pattern = rf'data-testid="{kind}-row" data-{kind}-id="(\d+)"'
    return re.findall(pattern, response.content.decode())


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

"""Helpers for the tests of every app: they know no app, only Django's test client."""

from django.test import Client

# The password of every user the shared fixtures (aftercare/conftest.py) create.
PASSWORD = "correct horse battery staple"


def client_for(user) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def field_error(response, field: str) -> str:
    """The error shown under form field `field` (its `error-<field>` element's text and markup)."""
    html = response.content.decode()
    error = html[html.index(f'data-testid="error-{field}"') :]
    return error[: error.index("</div>")]


def bearer(key: str) -> dict:
    """Headers for an API request with a token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

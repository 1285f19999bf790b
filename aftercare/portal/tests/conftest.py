"""Portal test helpers: a signed-in customer and a clean rate-limit cache."""

import pytest
from django.core.cache import cache
from django.test import Client

from aftercare.accounts.services import user_create
from aftercare.customers.services import customer_link_user


@pytest.fixture(autouse=True)
def _clear_cache():
    # The tracking rate limit counts in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


def sign_in(customer, email: str | None = None) -> Client:
    """A client signed in as the portal account of this customer (created if needed)."""
    user = customer.user
    if user is None:
        user = user_create(email=email or f"portal-{customer.pk}@example.com")
        customer_link_user(customer=customer, user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def customer_client(customer):
    return sign_in(customer, "maryam@example.com")

"""Fixtures of the notifications tests: API clients for roles the shared cast has none for."""

import pytest

from aftercare.notifications.tests.api_support import api_for


@pytest.fixture
def admin_api(org, alice_admin):
    return api_for(org, alice_admin)


@pytest.fixture
def technician_api(org, tina_technician):
    return api_for(org, tina_technician)

"""The shared cast: an organization with every role and a customer, and an outsider; and the
real servers the tests talk to (IMAP)."""

import os
import uuid

import pytest
from django.test import Client

from aftercare.accounts.models import Membership
from aftercare.accounts.services import (
    api_token_create,
    membership_create,
    organization_create,
    team_create,
    user_create,
)
from aftercare.api.tests.client import ApiClient
from aftercare.customers.services import customer_create
from aftercare.lib.testing import PASSWORD, client_for
from aftercare.lib.testing_imap import ImapServer, dovecot_path
from aftercare.sla.services import sla_policy_create


@pytest.fixture
def org(db):
    return organization_create(name="Demo Electronics", slug="demo", country="IR")


@pytest.fixture
def other_org(db):
    return organization_create(name="Other Appliances", slug="other", country="TR")


def _member(org, email, role, **extra):
    user = user_create(email=email, password=PASSWORD, **extra)
    membership_create(organization=org, user=user, role=role)
    return user


@pytest.fixture
def alice_admin(org):
    return _member(org, "alice@demo.example", Membership.Role.ADMIN, full_name="Alice Admin")


@pytest.fixture
def sam_supervisor(org):
    return _member(org, "sam@demo.example", Membership.Role.SUPERVISOR, full_name="Sam Supervisor")


@pytest.fixture
def bob_agent(org):
    return _member(org, "bob@demo.example", Membership.Role.AGENT, full_name="Bob Agent")


@pytest.fixture
def tina_technician(org):
    return _member(org, "tina@demo.example", Membership.Role.TECHNICIAN, full_name="Tina Tech")


@pytest.fixture
def vic_viewer(org):
    return _member(org, "vic@demo.example", Membership.Role.VIEWER, full_name="Vic Viewer")


@pytest.fixture
def charlie_other_org(other_org):
    return _member(other_org, "charlie@other.example", Membership.Role.ADMIN, full_name="Charlie")


@pytest.fixture
def customer(org):
    return customer_create(
        organization=org,
        name="Maryam Ahmadi",
        emails=["maryam@example.com"],
        phones=["+98 912 345 6789"],
        preferred_language="fa",
    )


@pytest.fixture
def other_customer(other_org):
    return customer_create(
        organization=other_org, name="Mehmet Yılmaz", emails=["mehmet@example.com"]
    )


@pytest.fixture
def admin_client(alice_admin):
    return client_for(alice_admin)


@pytest.fixture
def supervisor_client(sam_supervisor):
    return client_for(sam_supervisor)


@pytest.fixture
def agent_client(bob_agent):
    return client_for(bob_agent)


@pytest.fixture
def viewer_client(vic_viewer):
    return client_for(vic_viewer)


@pytest.fixture
def outsider_client(charlie_other_org):
    return client_for(charlie_other_org)


@pytest.fixture
def agent_token(org, bob_agent):
    _token, key = api_token_create(user=bob_agent, organization=org, name="test")
    return key


@pytest.fixture
def outsider_token(other_org, charlie_other_org):
    _token, key = api_token_create(user=charlie_other_org, organization=other_org, name="test")
    return key


@pytest.fixture
def manager_api(org, sam_supervisor):
    _token, key = api_token_create(user=sam_supervisor, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def team(org, bob_agent):
    """A team of the organization with Bob in it, assigning by hand."""
    return team_create(organization=org, name="Call centre", members=[bob_agent])


@pytest.fixture
def fast(org):
    """An SLA policy for every request: first response in an hour, resolution in ten."""
    return sla_policy_create(
        organization=org, name="Fast", first_response_minutes=60, resolution_minutes=600
    )


@pytest.fixture
def api_client():
    return Client()


@pytest.fixture
def agent_api(agent_token):
    return ApiClient(agent_token)


@pytest.fixture
def outsider_api(outsider_token):
    return ApiClient(outsider_token)


@pytest.fixture
def viewer_api(org, vic_viewer):
    _token, key = api_token_create(user=vic_viewer, organization=org, name="viewer")
    return ApiClient(key)


@pytest.fixture(scope="session")
def imap_server():
    """Debian's dovecot on loopback, one for the whole run (one per xdist worker): starting it
    per test would cost more than the tests. Tests share the server, never a mailbox: each takes
    a user of its own from `imap_user`.

    Without dovecot the tests that use it skip, unless AFTERCARE_REQUIRE_DOVECOT=1 (CI).
    """
    if dovecot_path() is None:
        message = "dovecot is not installed (Debian package dovecot-imapd, or set DOVECOT_PATH)"
        if os.environ.get("AFTERCARE_REQUIRE_DOVECOT") == "1":
            pytest.fail(f"AFTERCARE_REQUIRE_DOVECOT=1 but {message}", pytrace=False)
        pytest.skip(message)
    with ImapServer() as server:
        yield server


@pytest.fixture
def imap_user(imap_server):
    """A new, empty mailbox on the shared IMAP server: (username, password), also by name."""
    return imap_server.add_user(f"inbox-{uuid.uuid4().hex[:12]}", PASSWORD)


def pytest_configure(config):
    """CI sets AFTERCARE_REQUIRE_POSTGRES: then the suite must really run on PostgreSQL."""
    from django.conf import settings

    if os.environ.get("AFTERCARE_REQUIRE_POSTGRES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"AFTERCARE_REQUIRE_POSTGRES=1 but the database is {engine}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

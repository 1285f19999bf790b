import pytest

from aftercare.accounts.models import ApiToken
from aftercare.accounts.selectors import membership_for_session
from aftercare.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_obtain,
    membership_create,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD


def test_token_is_stored_hashed_and_authenticates(org, bob_agent):
    token, key = api_token_create(user=bob_agent, organization=org, name="ERP")
    assert key.startswith(f"ac_{token.prefix}_")
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in (token.key_hash, token.prefix)
    found = api_token_authenticate(key=key)
    assert found.token.pk == token.pk and found.organization == org
    assert found.user == bob_agent and found.membership.role == "agent"
    assert api_token_authenticate(key=key + "x") is None


def test_revoked_token_or_removed_member_does_not_authenticate(org, bob_agent):
    from django.utils import timezone

    token, key = api_token_create(user=bob_agent, organization=org, name="ERP")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert api_token_authenticate(key=key) is None
    _token2, key2 = api_token_create(user=bob_agent, organization=org, name="ERP2")
    bob_agent.memberships.update(is_active=False)
    assert api_token_authenticate(key=key2) is None


def test_obtain_needs_right_password_and_membership(org, other_org, bob_agent):
    with pytest.raises(ApplicationError) as error:
        api_token_obtain(email="bob@demo.example", password="wrong", ip="192.0.2.1")
    assert error.value.code == "auth"
    token, _key = api_token_obtain(email="BOB@demo.example", password=PASSWORD, ip="192.0.2.1")
    assert token.organization == org
    membership_create(organization=other_org, user=bob_agent, role="agent")
    with pytest.raises(ApplicationError) as error:
        api_token_obtain(email="bob@demo.example", password=PASSWORD, ip="192.0.2.1")
    assert error.value.field == "organization"
    token, _key = api_token_obtain(
        email="bob@demo.example", password=PASSWORD, ip="192.0.2.1", organization_slug="other"
    )
    assert token.organization == other_org


def test_session_membership_follows_choice(org, other_org, bob_agent):
    membership_create(organization=other_org, user=bob_agent, role="viewer")
    session = {}
    first = membership_for_session(user=bob_agent, session=session)
    assert first.organization == org  # "Demo Electronics" sorts first
    session["organization_id"] = other_org.pk
    assert membership_for_session(user=bob_agent, session=session).organization == other_org
    session["organization_id"] = 999999
    assert membership_for_session(user=bob_agent, session=session).organization == org

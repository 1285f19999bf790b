"""Inviting staff over the API, and mailing an invitation again."""

import pytest
from django.core import mail
from django.db import transaction

from aftercare.accounts.models import Membership, User
from aftercare.accounts.services import api_token_create, membership_create, user_create
from aftercare.api.tests.client import ApiClient


@pytest.fixture
def admin_api(org, alice_admin):
    _token, key = api_token_create(user=alice_admin, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def commits_at_once(monkeypatch):
    """On-commit work runs as the handler's transaction ends, as on a real server."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def test_admin_invites_and_the_invitation_is_mailed(org, alice_admin, admin_api, commits_at_once):
    answer = admin_api.post(
        "/members/", {"email": "Neda@Demo.example", "full_name": "Neda", "role": "technician"}
    )

    assert answer.status == 201, answer.body
    user = User.objects.get(email="neda@demo.example")
    assert answer.body == {
        "id": user.pk,
        "name": "Neda",
        "email": "neda@demo.example",
        "role": "technician",
        "mail_sent": True,
    }
    (message,) = mail.outbox
    assert message.to == ["neda@demo.example"]
    assert "/accounts/invitation/" in message.body
    membership = Membership.objects.get(organization=org, user=user)
    assert membership.invited_by == alice_admin


def test_invite_reports_a_mail_that_could_not_be_sent(org, admin_api, settings, commits_at_once):
    from aftercare.lib.testing_smtp import SmtpServer

    settings.MAILERS = SmtpServer().mailers()  # nobody listens there
    answer = admin_api.post("/members/", {"email": "neda@demo.example", "role": "agent"})
    assert answer.status == 201
    assert answer.body["mail_sent"] is False
    assert Membership.objects.filter(organization=org, user__email="neda@demo.example").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "new@demo.example", "role": "owner"}, "role"),
        ({"email": "bob@demo.example", "role": "agent"}, "email"),
        ({"role": "agent"}, "email"),
    ],
)
def test_invite_refusals_name_the_field_and_change_nothing(org, admin_api, bob_agent, body, field):
    before = Membership.objects.count(), User.objects.count()
    answer = admin_api.post("/members/", body)
    assert answer.status == 422
    assert answer.field == field
    assert (Membership.objects.count(), User.objects.count()) == before
    assert mail.outbox == []


def test_only_admins_invite(org, manager_api, agent_api):
    for api in (manager_api, agent_api):
        answer = api.post("/members/", {"email": "new@demo.example", "role": "agent"})
        assert answer.status == 403
    assert not User.objects.filter(email="new@demo.example").exists()


def test_resend_an_invitation(org, other_org, admin_api, manager_api, bob_agent):
    invited = user_create(email="new@demo.example")
    membership_create(organization=org, user=invited, role="agent")
    stranger = user_create(email="stranger@other.example")
    membership_create(organization=other_org, user=stranger, role="agent")

    answer = admin_api.post(f"/members/{invited.pk}/invitation")

    assert (answer.status, answer.body) == (200, {"mail_sent": True})
    (message,) = mail.outbox
    assert message.to == ["new@demo.example"]
    # Another organization's member, or nobody, answers 404; a supervisor may not.
    assert admin_api.post(f"/members/{stranger.pk}/invitation").status == 404
    assert admin_api.post("/members/999999/invitation").status == 404
    assert manager_api.post(f"/members/{invited.pk}/invitation").status == 403
    refused = admin_api.post(f"/members/{bob_agent.pk}/invitation")
    assert refused.status == 422
    assert "already set a password" in refused.body["detail"]
    assert len(mail.outbox) == 1

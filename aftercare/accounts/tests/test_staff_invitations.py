"""Issue 11, finding 2: an admin could make any existing account a member of their organization
without its owner's consent; the organization then saw their name, and the person's token
requests without `organization` began to fail. Someone who already has an account now gets an
offer, and joins only when they accept it from the emailed link."""

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from aftercare.accounts.models import AuditEntry, Membership, StaffInvitation, User
from aftercare.accounts.selectors import staff_invitation_for_token
from aftercare.accounts.services import (
    api_token_create,
    api_token_obtain,
    membership_invite,
    staff_invitation_answer,
    staff_invitation_withdraw,
)
from aftercare.accounts.tokens import staff_invitation_token_make
from aftercare.api.tests.client import ApiClient
from aftercare.lib.errors import ApplicationError
from aftercare.lib.logfilters import redact
from aftercare.lib.testing import PASSWORD, client_for, text_of


@pytest.fixture
def commits_at_once(monkeypatch):
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def admin_api(org, alice_admin):
    _token, key = api_token_create(user=alice_admin, organization=org, name="test")
    return ApiClient(key)


def _offer_link(message) -> str:
    (path,) = re.findall(r"https?://[^/\s]+(/accounts/invitations/\S+)", message.body)
    return path


def _invite_charlie(org, alice_admin, role="viewer"):
    return membership_invite(
        organization=org,
        email="charlie@other.example",
        full_name="Someone Else",
        role=role,
        invited_by=alice_admin,
    )


def test_an_existing_account_is_not_made_a_member_without_its_consent(
    org, alice_admin, charlie_other_org, commits_at_once
):
    invitation = _invite_charlie(org, alice_admin)

    assert invitation.membership is None
    assert not Membership.objects.filter(organization=org, user=charlie_other_org).exists()
    offer = invitation.offer
    assert (offer.organization, offer.user, offer.role) == (org, charlie_other_org, "viewer")
    offer.refresh_from_db()
    assert offer.answered_at is None and offer.invitation_status == "sent"
    # The name typed by the admin does not overwrite the account's own.
    charlie_other_org.refresh_from_db()
    assert charlie_other_org.full_name == "Charlie"
    # Their token requests without naming an organization still work.
    _token, key = api_token_obtain(email="charlie@other.example", password=PASSWORD, ip="10.0.0.1")
    assert key.startswith("ac_")


def test_accepting_makes_them_a_member_declining_changes_nothing(
    org, other_org, alice_admin, charlie_other_org, bob_agent, commits_at_once
):
    offer = _invite_charlie(org, alice_admin, role="agent").offer
    membership = staff_invitation_answer(offer=offer, accept=True)
    assert (membership.organization, membership.role, membership.is_active) == (org, "agent", True)
    assert membership.invited_by == alice_admin
    offer.refresh_from_db()
    assert offer.accepted is True and offer.answered_at is not None
    with pytest.raises(ApplicationError, match="already answered"):
        staff_invitation_answer(offer=offer, accept=False)

    other = membership_invite(
        organization=other_org, email="bob@demo.example", full_name="", role="admin"
    ).offer
    assert staff_invitation_answer(offer=other, accept=False) is None
    assert not Membership.objects.filter(organization=other_org, user=bob_agent).exists()
    other.refresh_from_db()
    assert other.accepted is False


def test_one_waiting_offer_per_person_and_members_are_refused(
    org, alice_admin, charlie_other_org, bob_agent, commits_at_once
):
    _invite_charlie(org, alice_admin)
    with pytest.raises(ApplicationError, match="already waiting") as error:
        _invite_charlie(org, alice_admin)
    assert error.value.field == "email"
    with pytest.raises(ApplicationError, match="already a member"):
        membership_invite(organization=org, email="bob@demo.example", full_name="", role="admin")
    assert StaffInvitation.objects.count() == 1


def test_links_stop_working_once_answered_withdrawn_expired_or_forged(
    org, alice_admin, charlie_other_org, commits_at_once, settings, freezer_minutes
):
    offer = _invite_charlie(org, alice_admin).offer
    token = staff_invitation_token_make(offer)
    assert staff_invitation_for_token(token) == offer
    assert staff_invitation_for_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None
    assert staff_invitation_for_token("") is None
    freezer_minutes(settings.INVITATION_MAX_AGE_DAYS * 24 * 60 + 1)
    assert staff_invitation_for_token(token) is None
    freezer_minutes(0)
    staff_invitation_withdraw(offer=offer)
    assert staff_invitation_for_token(token) is None
    offer.refresh_from_db()
    assert offer.withdrawn is True and offer.accepted is None


@pytest.fixture
def freezer_minutes(monkeypatch):
    """Move the signer's clock forward by some minutes (0: back to now)."""
    import time as time_module

    from django.core import signing

    real = time_module.time

    def move(minutes: int) -> None:
        monkeypatch.setattr(signing.time, "time", lambda: real() + minutes * 60)

    return move


def test_the_emailed_link_asks_before_it_answers(
    org, alice_admin, charlie_other_org, commits_at_once
):
    _invite_charlie(org, alice_admin)
    (message,) = mail.outbox
    browser = Client()

    opened = browser.get(_offer_link(message))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("console:staff_invitation_answer_page")
    assert opened["Referrer-Policy"] == "no-referrer"
    page = browser.get(opened["Location"])
    assert page.status_code == 200
    assert "Alice Admin invites you to work in Demo Electronics, as Viewer." in text_of(page)
    assert "no-store" in page["Cache-Control"]
    # Opening the link (a mail scanner does) answered nothing.
    assert StaffInvitation.objects.get().answered_at is None

    answered = browser.post(reverse("console:staff_invitation_answer_page"), {"answer": "accept"})
    assert answered.status_code == 302 and answered["Location"] == reverse("console:login")
    assert Membership.objects.get(organization=org, user=charlie_other_org).role == "viewer"
    # The link is spent.
    again = browser.get(_offer_link(message), follow=True)
    assert again.status_code == 400
    assert "no longer works" in text_of(again)


def test_declining_from_the_page(org, alice_admin, charlie_other_org, commits_at_once):
    _invite_charlie(org, alice_admin)
    browser = Client()
    browser.get(_offer_link(mail.outbox[0]))
    browser.post(reverse("console:staff_invitation_answer_page"), {"answer": "decline"})
    assert not Membership.objects.filter(organization=org, user=charlie_other_org).exists()
    assert StaffInvitation.objects.get().accepted is False


def test_a_customer_without_a_password_accepts_then_chooses_one(org, alice_admin, commits_at_once):
    customer_account = User.objects.create_user(email="buyer@example.com")
    membership_invite(organization=org, email="buyer@example.com", full_name="", role="agent")
    browser = Client()
    browser.get(_offer_link(mail.outbox[0]))
    answered = browser.post(reverse("console:staff_invitation_answer_page"), {"answer": "accept"})
    assert answered.status_code == 302
    assert answered["Location"].startswith("/accounts/invitation/")
    assert Membership.objects.get(organization=org, user=customer_account).role == "agent"


def test_the_member_list_shows_offers_by_email_and_admins_withdraw_them(
    org, alice_admin, charlie_other_org, commits_at_once
):
    offer = _invite_charlie(org, alice_admin).offer
    admin = client_for(alice_admin)
    page = text_of(admin.get(reverse("console:settings_members")))
    assert 'data-testid="offer-row"' in page and "charlie@other.example" in page
    # Once, in the page's body: the page's title is the section's name alone.
    assert page.count('data-testid="offer-table"') == 1
    title = page[page.index("<title>") : page.index("</title>")]
    assert "offer" not in title and "<table" not in title
    assert "Charlie" not in page.replace("charlie@other.example", "")

    admin.post(reverse("console:settings_offer_withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.withdrawn is True
    assert 'data-testid="offer-row"' not in text_of(admin.get(reverse("console:settings_members")))


def test_offers_of_another_organization_answer_404_and_non_admins_403(
    org, other_org, alice_admin, charlie_other_org, bob_agent, commits_at_once
):
    foreign = membership_invite(
        organization=other_org, email="alice@demo.example", full_name="", role="agent"
    ).offer
    admin = client_for(alice_admin)
    for name in ("settings_offer_withdraw", "settings_offer_resend"):
        assert admin.post(reverse(f"console:{name}", args=[foreign.pk])).status_code == 404
    mine = _invite_charlie(org, alice_admin).offer
    agent = client_for(bob_agent)
    assert agent.post(reverse("console:settings_offer_withdraw", args=[mine.pk])).status_code == 403
    foreign.refresh_from_db()
    mine.refresh_from_db()
    assert foreign.answered_at is None and mine.answered_at is None


def test_api_invites_an_existing_account_as_an_offer(
    org, other_org, alice_admin, charlie_other_org, admin_api, commits_at_once
):
    answer = admin_api.post("/members/", {"email": "charlie@other.example", "role": "viewer"})
    assert answer.status == 202, answer.body
    offer = StaffInvitation.objects.get()
    assert answer.body == {
        "invitation_id": offer.pk,
        "email": "charlie@other.example",
        "role": "viewer",
        "created_at": answer.body["created_at"],
        "mail_sent": True,
    }
    assert "Charlie" not in str(answer.body)
    members = admin_api.get("/members/").body
    assert "charlie@other.example" not in {member["email"] for member in members}
    listed = admin_api.get("/members/invitations")
    assert [row["invitation_id"] for row in listed.body] == [offer.pk]

    foreign = membership_invite(
        organization=other_org, email="alice@demo.example", full_name="", role="agent"
    ).offer
    assert admin_api.post(f"/members/invitations/{foreign.pk}/withdraw").status == 404
    assert admin_api.post(f"/members/invitations/{foreign.pk}/mail").status == 404
    assert admin_api.post(f"/members/invitations/{offer.pk}/withdraw").status == 204
    assert admin_api.get("/members/invitations").body == []
    foreign.refresh_from_db()
    assert foreign.answered_at is None


def test_api_offers_are_for_admins(org, bob_agent, charlie_other_org, agent_api):
    assert agent_api.get("/members/invitations").status == 403
    answer = agent_api.post("/members/", {"email": "charlie@other.example", "role": "viewer"})
    assert answer.status == 403
    assert StaffInvitation.objects.count() == 0


def test_the_offer_link_token_is_masked_in_logs(org, alice_admin, charlie_other_org):
    offer = _invite_charlie(org, alice_admin).offer
    token = staff_invitation_token_make(offer)
    line = f'"GET /accounts/invitations/{token}/ HTTP/1.1" 302'
    assert token not in redact(line)
    assert "/accounts/invitations/[secret]/" in redact(line)


def test_the_audit_log_records_the_offer_and_its_answer(
    org, alice_admin, charlie_other_org, commits_at_once
):
    offer = _invite_charlie(org, alice_admin).offer
    staff_invitation_answer(offer=offer, accept=True, ip="203.0.113.9")
    invited, accepted = AuditEntry.objects.filter(organization=org).order_by("pk")
    assert (invited.action, invited.actor, invited.target_label) == (
        "member_invited",
        alice_admin,
        "charlie@other.example",
    )
    assert invited.data == {"role": "viewer", "needs_acceptance": True}
    assert (accepted.action, accepted.actor, accepted.ip) == (
        "invitation_accepted",
        charlie_other_org,
        "203.0.113.9",
    )

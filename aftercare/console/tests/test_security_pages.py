"""Signing in with a second factor, setting one up where the organization requires it, and the
browsers signed in to one's account (issue 11), as a browser-like client meets them."""

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from aftercare.accounts.models import SignedInSession
from aftercare.accounts.services.second_factor import (
    organization_second_factor_require,
    second_factor_enabled,
    totp_enrol_confirm,
    totp_enrol_start,
)
from aftercare.accounts.tokens import Purpose, set_password_token_make
from aftercare.lib.testing import PASSWORD, client_for, text_of

HOME = "/"


def enrol(user) -> pyotp.TOTP:
    totp = pyotp.TOTP(totp_enrol_start(user=user).secret)
    totp_enrol_confirm(user=user, code=totp.now(), ip="127.0.0.1")
    return totp


def next_code(totp: pyotp.TOTP) -> str:
    return totp.at(time.time() + 30)


def sign_in(email: str, *, agent: str = "Firefox test") -> tuple[Client, object]:
    browser = Client(HTTP_USER_AGENT=agent)
    response = browser.post(reverse("console:login"), {"email": email, "password": PASSWORD})
    return browser, response


def test_the_password_alone_does_not_sign_in_an_account_with_an_app(org, bob_agent):
    totp = enrol(bob_agent)
    browser, response = sign_in("bob@demo.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:login_verify")
    # Not signed in yet: the console still asks to sign in.
    queue = browser.get(reverse("tickets:queue"))
    assert queue.status_code == 302 and queue["Location"].startswith(reverse("console:login"))

    wrong = browser.post(reverse("console:login_verify"), {"code": "000000"})
    assert wrong.status_code == 401
    assert "not right" in text_of(wrong)
    right = browser.post(reverse("console:login_verify"), {"code": next_code(totp)})
    assert right.status_code == 302 and right["Location"] == HOME
    assert browser.get(reverse("tickets:queue")).status_code == 200
    record = SignedInSession.objects.get(user=bob_agent)
    assert record.second_factor is True and record.user_agent == "Firefox test"


def test_the_code_step_expires(org, bob_agent, monkeypatch):
    enrol(bob_agent)
    browser, _response = sign_in("bob@demo.example")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 301)
    late = browser.get(reverse("console:login_verify"))
    assert late.status_code == 302 and late["Location"] == reverse("console:login")


def test_a_password_reset_link_does_not_skip_the_code(org, bob_agent):
    enrol(bob_agent)
    uidb64, token = set_password_token_make(user=bob_agent, purpose=Purpose.RESET)
    browser = Client()
    opened = browser.get(reverse("console:password_reset_confirm", args=[uidb64, token]))
    page = opened["Location"]
    new = "a long new passphrase 42"
    done = browser.post(page, {"password": new, "password_confirmation": new})
    assert done.status_code == 302 and done["Location"] == reverse("console:login_verify")
    assert browser.get(reverse("tickets:queue")).status_code == 302


def test_where_required_an_admin_sets_up_an_app_before_anything_else(org, alice_admin, bob_agent):
    organization_second_factor_require(organization=org, required=True)
    browser, response = sign_in("alice@demo.example")
    assert response.status_code == 302 and response["Location"] == HOME
    blocked = browser.get(reverse("tickets:queue"))
    assert blocked.status_code == 302
    assert blocked["Location"] == reverse("console:settings_security")
    page = browser.get(reverse("console:settings_security"))
    assert 'data-testid="second-factor-required"' in text_of(page)

    setup = browser.get(reverse("console:settings_authenticator"))
    assert setup.status_code == 200 and "<svg" in text_of(setup)
    secret = "".join(setup.context["enrolment"].secret_grouped.split())
    done = browser.post(
        reverse("console:settings_authenticator"), {"code": pyotp.TOTP(secret).now()}
    )
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert "no-store" in done["Cache-Control"]
    assert second_factor_enabled(user=alice_admin)
    assert browser.get(reverse("tickets:queue")).status_code == 200
    # An agent of the same organization is not asked.
    agent, _response = sign_in("bob@demo.example")
    assert agent.get(reverse("tickets:queue")).status_code == 200


def test_only_admins_change_the_requirement(org, alice_admin, sam_supervisor):
    url = reverse("console:settings_organization_security")
    assert client_for(sam_supervisor).post(url, {"require_second_factor": "on"}).status_code == 403
    org.refresh_from_db()
    assert not org.require_second_factor
    client_for(alice_admin).post(url, {"require_second_factor": "on"})
    org.refresh_from_db()
    assert org.require_second_factor


def test_sessions_are_listed_and_ended_from_another_browser(org, bob_agent):
    laptop, _ = sign_in("bob@demo.example", agent="Laptop browser")
    phone, _ = sign_in("bob@demo.example", agent="Phone browser")
    page = text_of(laptop.get(reverse("console:settings_security")))
    assert page.count('data-testid="session-row"') == 2
    assert "Phone browser" in page and "Laptop browser" in page
    phone_record = SignedInSession.objects.get(user_agent="Phone browser")

    laptop.post(reverse("console:settings_session_end", args=[phone_record.pk]))
    phone_record.refresh_from_db()
    assert phone_record.ended_at is not None
    # The phone is signed out at once.
    assert phone.get(reverse("tickets:queue")).status_code == 302
    assert laptop.get(reverse("tickets:queue")).status_code == 200


def test_sign_out_everywhere_else_and_nobody_ends_anothers_session(org, bob_agent, sam_supervisor):
    first, _ = sign_in("bob@demo.example", agent="One")
    second, _ = sign_in("bob@demo.example", agent="Two")
    sam, _ = sign_in("sam@demo.example", agent="Sam's")
    bob_record = SignedInSession.objects.get(user_agent="One")
    refused = sam.post(reverse("console:settings_session_end", args=[bob_record.pk]))
    assert refused.status_code == 404
    bob_record.refresh_from_db()
    assert bob_record.ended_at is None
    assert first.get(reverse("tickets:queue")).status_code == 200

    second.post(reverse("console:settings_sessions_end_others"))
    assert first.get(reverse("tickets:queue")).status_code == 302
    assert second.get(reverse("tickets:queue")).status_code == 200
    assert sam.get(reverse("tickets:queue")).status_code == 200


def test_signing_out_ends_the_listed_session(org, bob_agent):
    browser, _ = sign_in("bob@demo.example")
    browser.post(reverse("console:logout"))
    assert SignedInSession.objects.get(user=bob_agent).ended_at is not None


@pytest.mark.parametrize("name", ["settings_security", "settings_authenticator"])
def test_the_pages_are_for_signed_in_staff(client, name):
    response = client.get(reverse(f"console:{name}"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

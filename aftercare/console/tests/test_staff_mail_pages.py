"""Staff accounts by mail, as people meet them: the invite page mailing over a real SMTP server
(aiosmtpd on loopback), the emailed links opened by a browser-like client, the set-password
page, "Forgot your password?", the member list's resend button, and "My account" with its
change of email and of password."""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from aftercare.accounts.models import Membership, User
from aftercare.accounts.services import membership_create, user_create
from aftercare.lib.testing import PASSWORD, client_for, field_error, text_of
from aftercare.lib.testing_smtp import SmtpServer

NEW_PASSWORD = "a long new passphrase 42"


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers()
    settings.DEFAULT_FROM_EMAIL = "Support <support@shop.example>"
    settings.SITE_URL = "http://testserver"
    yield server
    server.stop()


@pytest.fixture
def smtp_down(settings):
    """A mail server that is down until the test starts it."""
    server = SmtpServer()
    settings.MAILERS = server.mailers()
    settings.SITE_URL = "http://testserver"
    yield server
    server.stop()


@pytest.fixture
def commits_at_once(monkeypatch):
    """What runs once a transaction commits runs as the view's transaction ends, as it does on
    a real server (the test's own transaction never commits)."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _text(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def _html(received) -> str:
    return received.message.get_body(preferencelist=("html",)).get_content()


def _path(received, prefix: str) -> str:
    """The path of the one link under `prefix` in a received message."""
    links = re.findall(rf"http://testserver({re.escape(prefix)}\S*)", _text(received))
    assert len(links) == 1, _text(received)
    return links[0]


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _link_opened(response, location: str) -> None:
    """Opening an emailed link: a redirect to `location` (without the token), with no Referer
    and cached nowhere."""
    assert response.status_code == 302
    assert response["Location"] == location
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def _uncached_page(response) -> None:
    """A page reached from an emailed link: cached nowhere, and (since its forms post back to
    the site, which a no-referrer page would send with `Origin: null`) the site's same-origin
    policy, its address holding no token."""
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def _membership(organization, email) -> Membership:
    return Membership.objects.select_related("user").get(
        organization=organization, user__email=email
    )


# Invitations


def test_invite_page_mails_an_invitation_whose_link_sets_a_password_and_signs_in(
    org, alice_admin, admin_client, smtp, commits_at_once
):
    response = admin_client.post(
        reverse("console:settings_member_invite"),
        {"email": "neda@demo.example", "full_name": "Neda Rahimi", "role": "technician"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("console:settings_members"), 302)]
    assert _messages(response) == [
        "neda@demo.example is now a member, as Technician. We emailed them an invitation to "
        "choose a password."
    ]
    (received,) = smtp.received
    assert received.recipients == ["neda@demo.example"]
    message = received.message
    assert message["To"] == "neda@demo.example"
    assert message["From"] == "Support <support@shop.example>"
    assert message["Subject"] == "Alice Admin invited you to Demo Electronics"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "en"
    assert message["Message-ID"]
    assert '<html lang="en" dir="ltr">' in _html(received)
    assert "Neda Rahimi" in _text(received) and "7 days" in _text(received)
    membership = _membership(org, "neda@demo.example")
    assert (membership.invited_by, membership.role) == (alice_admin, "technician")
    row = text_of(response)
    row = row[row.index(f'data-membership-id="{membership.pk}"') :]
    assert 'data-testid="badge-invitation-pending"' in row[: row.index("</tr>")]

    link = _path(received, "/accounts/invitation/")
    browser = Client()
    opened = browser.get(link)
    # The token leaves the address bar at once: the page's own address does not carry it.
    uidb64 = link.split("/")[-3]
    _link_opened(opened, f"/accounts/invitation/{uidb64}/set/")
    page = browser.get(opened["Location"])
    assert page.status_code == 200
    _uncached_page(page)
    html = text_of(page)
    assert "neda@demo.example" in html and "Welcome to aftercare" in html
    assert link.split("/")[-2] not in html

    mismatch = browser.post(
        opened["Location"], {"password": NEW_PASSWORD, "password_confirmation": "other"}
    )
    assert mismatch.status_code == 422
    assert "The two passwords are not the same." in field_error(mismatch, "password_confirmation")
    weak = browser.post(opened["Location"], {"password": "neda", "password_confirmation": "neda"})
    assert weak.status_code == 422
    assert "This password is too short." in field_error(weak, "password")
    assert not User.objects.get(email="neda@demo.example").has_usable_password()

    done = browser.post(
        opened["Location"], {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("tickets:queue")
    assert browser.get(reverse("tickets:queue")).status_code == 200
    assert User.objects.get(email="neda@demo.example").check_password(NEW_PASSWORD)
    # Single use: the emailed link no longer works, and the member can sign in.
    again = Client().get(link, follow=True)
    assert again.status_code == 400
    assert "This link no longer works" in text_of(again)
    _uncached_page(again)
    signed_in = Client().post(
        reverse("console:login"), {"email": "neda@demo.example", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_persian_invitation_is_written_right_to_left(org, admin_client, smtp, commits_at_once):
    org.default_language = "fa"
    org.save(update_fields=["default_language"])

    admin_client.post(
        reverse("console:settings_member_invite"),
        {"email": "sara@demo.example", "full_name": "سارا", "role": "agent"},
    )

    (received,) = smtp.received
    assert received.message["Content-Language"] == "fa"
    html = _html(received)
    assert '<html lang="fa" dir="rtl">' in html
    assert re.search(r'<div dir="rtl" style="[^"]*text-align:right;', html)
    assert "سارا" in _text(received)


def test_the_set_password_page_speaks_persian_right_to_left(org, smtp, commits_at_once):
    user = user_create(email="new@demo.example")
    membership = membership_create(organization=org, user=user, role="agent")
    admin = user_create(email="boss@demo.example", password=PASSWORD)
    membership_create(organization=org, user=admin, role="admin")
    client_for(admin).post(reverse("console:settings_member_resend", args=[membership.pk]))
    browser = Client()
    browser.cookies["aftercare_language"] = "fa"

    page = browser.get(_path(smtp.received[0], "/accounts/invitation/"), follow=True)

    assert page.status_code == 200
    assert '<html lang="fa" dir="rtl">' in text_of(page)
    assert "bootstrap.rtl.min.css" in text_of(page)


def test_mail_server_down_keeps_the_member_says_so_and_offers_resend(
    org, admin_client, smtp_down, commits_at_once
):
    response = admin_client.post(
        reverse("console:settings_member_invite"),
        {"email": "neda@demo.example", "full_name": "", "role": "agent"},
        follow=True,
    )

    assert response.status_code == 200
    (message,) = _messages(response)
    assert "the invitation could not be emailed" in message
    assert "Resend invitation" in message
    membership = _membership(org, "neda@demo.example")
    assert membership.is_active
    html = text_of(response)
    row = html[html.index(f'data-membership-id="{membership.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-testid="badge-invitation-failed"' in row
    assert 'data-testid="resend-invitation"' in row
    resend = reverse("console:settings_member_resend", args=[membership.pk])
    assert f'action="{resend}"' in row

    smtp_down.start()
    response = admin_client.post(resend, follow=True)

    assert _messages(response) == ["The invitation was emailed again to neda@demo.example."]
    (received,) = smtp_down.received
    assert received.recipients == ["neda@demo.example"]
    membership.refresh_from_db()
    assert membership.invitation_status == Membership.InvitationStatus.SENT
    html = text_of(response)
    row = html[html.index(f'data-membership-id="{membership.pk}"') :]
    assert 'data-testid="badge-invitation-pending"' in row[: row.index("</tr>")]


def test_an_existing_account_is_invited_to_accept_and_listed_by_email_only(
    org, admin_client, charlie_other_org, smtp, commits_at_once
):
    response = admin_client.post(
        reverse("console:settings_member_invite"),
        {"email": "charlie@other.example", "role": "viewer"},
        follow=True,
    )
    assert _messages(response) == [
        "charlie@other.example already has an account: we emailed them an invitation to join "
        "as Viewer. They become a member once they accept."
    ]
    (received,) = smtp.received
    assert received.message["Subject"] == "Alice Admin invites you to Demo Electronics"
    assert _path(received, "/accounts/invitations/").startswith("/accounts/invitations/")
    html = text_of(response)
    members = html[html.index('data-testid="member-table"') : html.index("</table>")]
    assert "charlie@other.example" not in members
    offers = html[html.index('data-testid="offer-table"') :]
    assert "charlie@other.example" in offers and "Viewer" in offers
    # Their name stays theirs until they accept.
    assert charlie_other_org.full_name not in html


def test_resend_is_for_admins_of_the_same_organization_only(
    org, other_org, admin_client, supervisor_client, smtp
):
    stranger = user_create(email="stranger@other.example")
    foreign = membership_create(organization=other_org, user=stranger, role="agent")
    mine = membership_create(
        organization=org, user=user_create(email="new@demo.example"), role="agent"
    )

    foreign_url = reverse("console:settings_member_resend", args=[foreign.pk])
    mine_url = reverse("console:settings_member_resend", args=[mine.pk])
    assert admin_client.post(foreign_url).status_code == 404
    assert supervisor_client.post(mine_url).status_code == 403
    assert admin_client.get(mine_url).status_code == 405
    assert Client().post(mine_url).status_code == 302
    assert smtp.received == []


def test_resend_to_someone_with_a_password_is_refused(org, admin_client, bob_agent, smtp):
    membership = _membership(org, bob_agent.email)
    response = admin_client.post(
        reverse("console:settings_member_resend", args=[membership.pk]), follow=True
    )
    assert _messages(response) == [
        "bob@demo.example has already set a password: they sign in as usual."
    ]
    assert smtp.received == []


# Forgot your password?


def test_sign_in_page_offers_a_password_reset():
    html = text_of(Client().get(reverse("console:login")))
    assert f'href="{reverse("console:password_reset")}"' in html
    assert "Forgot your password?" in html


def test_reset_page_answers_alike_whether_or_not_the_account_exists(
    org, bob_agent, customer, smtp, django_capture_on_commit_callbacks
):
    user_create(email="maryam@example.com")  # the portal customer's account: no password
    answers = {}
    for email in ("bob@demo.example", "nobody@demo.example", "maryam@example.com"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("console:password_reset"), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == reverse("console:password_reset_sent")
        sent = client.get(response["Location"])
        # The page differs only by the address typed (and each session's CSRF token).
        page = re.sub(r'csrfmiddlewaretoken" value="\w+"|"X-CSRFToken": "\w+"', "", text_of(sent))
        answers[email] = page.replace(email, "ADDRESS")
        assert 'If <span dir="ltr">ADDRESS</span> belongs to a staff account' in answers[email]
    assert len(set(answers.values())) == 1

    (received,) = smtp.received
    assert received.recipients == ["bob@demo.example"]
    assert received.message["Subject"] == "Reset your aftercare password"
    assert "60 minutes" in _text(received)
    browser = Client()
    page = browser.get(_path(received, "/accounts/password/reset/"), follow=True)
    assert "Choose a new password" in text_of(page)
    _uncached_page(page)
    done = browser.post(
        page.redirect_chain[-1][0],
        {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=bob_agent.pk).check_password(NEW_PASSWORD)
    assert Client().get(_path(received, "/accounts/password/reset/"), follow=True).status_code == (
        400
    )


def test_reset_page_is_rate_limited_per_address(org, bob_agent, settings):
    settings.PASSWORD_RESET_MAX_PER_EMAIL = 1
    client = Client()
    first = client.post(reverse("console:password_reset"), {"email": "x@demo.example"})
    assert first.status_code == 302
    blocked = client.post(reverse("console:password_reset"), {"email": "x@demo.example"})
    assert blocked.status_code == 429
    assert "Too many reset links" in field_error(blocked, "email")
    invalid = client.post(reverse("console:password_reset"), {"email": "nope"})
    assert invalid.status_code == 422
    assert "Enter a valid email address." in field_error(invalid, "email")


def test_a_forged_set_password_address_shows_the_invalid_link_page(org, bob_agent):
    client = Client()
    for path in (
        "/accounts/password/reset/Mg/abc-123/",
        "/accounts/invitation/Mg/set/",  # no link in this session
        "/accounts/password/reset/!!/set/",
        "/accounts/email/confirm/forged:token/",
        "/accounts/email/confirm/",
    ):
        response = client.get(path, follow=True)
        assert response.status_code == 400, path
        _uncached_page(response)
        assert 'data-testid="link-invalid"' in text_of(response)


def test_a_link_opened_after_a_good_one_does_not_reuse_the_good_ones_token(org, smtp, bob_agent):
    from aftercare.accounts.tokens import Purpose, set_password_token_make

    uidb64, token = set_password_token_make(user=bob_agent, purpose=Purpose.RESET)
    client = Client()
    good = client.get(f"/accounts/password/reset/{uidb64}/{token}/", follow=True)
    assert good.status_code == 200
    # Another last character (setting it to "0" is no change when the token ends in "0").
    forged = token[:-1] + ("1" if token.endswith("0") else "0")
    bad = client.get(f"/accounts/password/reset/{uidb64}/{forged}/", follow=True)
    assert bad.status_code == 400


# My account


def test_account_page_needs_sign_in_and_shows_ones_email(agent_client):
    url = reverse("console:settings_account")
    assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"
    html = text_of(agent_client.get(url))
    assert '<span dir="ltr" data-testid="account-email">bob@demo.example</span>' in html
    assert 'data-testid="settings-nav-account"' in html
    assert f'href="{url}" data-testid="my-account"' in html


def test_account_page_is_right_to_left_in_persian(agent_client):
    agent_client.cookies["aftercare_language"] = "fa"
    html = text_of(agent_client.get(reverse("console:settings_account")))
    assert '<html lang="fa" dir="rtl">' in html


def test_email_changes_only_when_the_link_sent_to_the_new_address_is_confirmed(
    bob_agent, agent_client, smtp
):
    response = agent_client.post(
        reverse("console:settings_account"),
        {"new_email": "robert@example.com", "password": PASSWORD},
        follow=True,
    )

    assert _messages(response)[0].startswith(
        "We emailed a confirmation link to robert@example.com."
    )
    notice, confirmation = smtp.received
    assert notice.recipients == ["bob@demo.example"]
    assert notice.message["Subject"] == "Your aftercare email is about to change"
    assert "robert@example.com" in _text(notice)
    assert confirmation.recipients == ["robert@example.com"]
    assert confirmation.message["Subject"] == "Confirm your new email for aftercare"
    assert User.objects.get(pk=bob_agent.pk).email == "bob@demo.example"

    link = _path(confirmation, "/accounts/email/confirm/")
    confirm_url = reverse("console:email_change_confirm")
    scanner = Client()  # a mail scanner opening the link changes nothing
    _link_opened(scanner.get(link), confirm_url)
    page = scanner.get(confirm_url)
    assert page.status_code == 200
    _uncached_page(page)
    assert "robert@example.com" in text_of(page)
    assert link.rsplit("/", 2)[1] not in text_of(page)
    assert User.objects.get(pk=bob_agent.pk).email == "bob@demo.example"

    agent_client.get(link)
    confirmed = agent_client.post(confirm_url, follow=True)

    assert confirmed.redirect_chain == [(reverse("console:settings_account"), 302)]
    assert _messages(confirmed) == ["Your email is now robert@example.com."]
    assert User.objects.get(pk=bob_agent.pk).email == "robert@example.com"
    assert agent_client.get(reverse("tickets:queue")).status_code == 200
    assert scanner.post(confirm_url).status_code == 400


def test_email_change_confirmed_from_another_browser_leads_to_sign_in(
    bob_agent, agent_client, smtp
):
    agent_client.post(
        reverse("console:settings_account"),
        {"new_email": "robert@example.com", "password": PASSWORD},
    )
    link = _path(smtp.received[1], "/accounts/email/confirm/")
    other_browser = Client()
    other_browser.get(link)
    response = other_browser.post(reverse("console:email_change_confirm"))
    assert response.status_code == 302
    assert response["Location"] == reverse("console:login")
    signed_in = Client().post(
        reverse("console:login"), {"email": "robert@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_email": "robert@example.com", "password": "wrong"}, "password", "wrong"),
        ({"new_email": "alice@demo.example", "password": PASSWORD}, "new_email", "already used"),
        ({"new_email": "robert", "password": PASSWORD}, "new_email", "valid email"),
        ({"new_email": "", "password": PASSWORD}, "new_email", "required"),
    ],
)
def test_email_change_errors_name_the_field(
    bob_agent, alice_admin, agent_client, smtp, data, field, message
):
    response = agent_client.post(reverse("console:settings_account"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert smtp.received == []
    assert User.objects.get(pk=bob_agent.pk).email == "bob@demo.example"


def test_password_change_keeps_this_browser_signed_in(bob_agent, agent_client):
    url = reverse("console:settings_account_password")
    refused = agent_client.post(
        url,
        {
            "current_password": "wrong",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )
    assert refused.status_code == 422
    assert "Your current password is wrong." in field_error(refused, "current_password")

    response = agent_client.post(
        url,
        {
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(pk=bob_agent.pk).check_password(NEW_PASSWORD)
    assert agent_client.get(reverse("console:settings_account")).status_code == 200

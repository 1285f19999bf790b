"""Staff accounts by mail, at the services: invitations mailed after the commit, set-password
tokens (lifetime, single use, bound to their user and purpose), password resets that tell no
one whether an account exists, and changes of email confirmed from the new address."""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings

from aftercare.accounts import tokens
from aftercare.accounts.models import Membership, User
from aftercare.accounts.services import (
    email_change_check,
    email_change_confirm,
    email_change_request,
    membership_create,
    membership_invitation_resend,
    membership_invite,
    password_reset_mail_send,
    password_reset_request,
    user_create,
    user_password_change,
    user_password_set,
)
from aftercare.accounts.tokens import Purpose, set_password_token_make, set_password_token_user
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD

NEW_PASSWORD = "a long new passphrase 42"


def _link(message, path: str) -> str:
    """The one link to `path` in a message's plain text."""
    links = re.findall(rf"http://\S+{re.escape(path)}\S*", message.body)
    assert len(links) == 1, message.body
    return links[0]


def _token_of(url: str) -> tuple[str, str]:
    uidb64, token = url.rstrip("/").split("/")[-2:]
    return uidb64, token


def _in(days: float = 0, *, seconds: float = 0):
    """A clock `days` (and `seconds`) from now, for the token generators."""
    moment = datetime.datetime.now() + datetime.timedelta(days=days, seconds=seconds)
    return lambda self: moment


# Invitations


def test_invitation_is_mailed_only_once_the_membership_is_committed(
    org, alice_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = membership_invite(
            organization=org,
            email="Neda@Demo.example",
            full_name="Neda Rahimi",
            role="agent",
            invited_by=alice_admin,
        )
        assert mail.outbox == []
        assert invitation.mail.sent is None
    assert len(callbacks) == 1
    assert invitation.mail.sent is True
    (message,) = mail.outbox
    assert message.to == ["neda@demo.example"]
    assert message.subject == "Alice Admin invited you to Demo Electronics"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Alice Admin invited you to work in Demo Electronics on aftercare, as Agent." in (
        message.body
    )
    url = _link(message, "/accounts/invitation/")
    user = User.objects.get(email="neda@demo.example")
    assert set_password_token_user(
        uidb64=_token_of(url)[0], token=_token_of(url)[1], purpose=Purpose.INVITATION
    ) == (user)
    membership = Membership.objects.get(organization=org, user=user)
    assert membership.invited_by == alice_admin
    assert membership.invitation_status == Membership.InvitationStatus.SENT
    assert membership.invitation_sent_at is not None


def test_invitation_is_written_in_the_persons_language_else_the_organizations(
    org, alice_admin, django_capture_on_commit_callbacks
):
    org.default_language = "fa"
    org.save()
    user_create(email="tr@demo.example", language="tr")
    with django_capture_on_commit_callbacks(execute=True):
        membership_invite(organization=org, email="fa@demo.example", full_name="", role="agent")
        membership_invite(organization=org, email="tr@demo.example", full_name="", role="agent")
    persian, turkish = mail.outbox
    assert persian.extra_headers["Content-Language"] == "fa"
    persian_html = persian.alternatives[0].content
    assert '<html lang="fa" dir="rtl">' in persian_html
    assert 'dir="rtl"' in persian_html.split("<body", 1)[1]
    assert turkish.extra_headers["Content-Language"] == "tr"
    assert '<html lang="tr" dir="ltr">' in turkish.alternatives[0].content


def test_someone_with_an_account_is_mailed_an_offer_and_is_no_member_until_they_accept(
    org, other_org, alice_admin, charlie_other_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = membership_invite(
            organization=org,
            email="charlie@other.example",
            full_name="",
            role="viewer",
            invited_by=alice_admin,
        )
    (message,) = mail.outbox
    assert message.subject == "Alice Admin invites you to Demo Electronics"
    assert "/accounts/invitation/" not in message.body
    assert "/accounts/invitations/" in _link(message, "/accounts/invitations/")
    assert "sees only your email address" in message.body
    assert invitation.mail.sent is True and invitation.membership is None
    assert not Membership.objects.filter(organization=org, user=charlie_other_org).exists()
    charlie = User.objects.get(pk=charlie_other_org.pk)
    assert charlie.check_password(PASSWORD)


def test_a_refused_invitation_is_not_mailed(org, bob_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        membership_invite(organization=org, email="bob@demo.example", full_name="", role="admin")
    assert mail.outbox == []


def test_mail_server_down_keeps_the_membership_and_records_the_failure(
    org, settings, django_capture_on_commit_callbacks
):
    from aftercare.lib.testing_smtp import SmtpServer

    settings.MAILERS = SmtpServer().mailers()  # never started: connections are refused
    with django_capture_on_commit_callbacks(execute=True):
        invitation = membership_invite(
            organization=org, email="new@demo.example", full_name="", role="agent"
        )
    assert invitation.mail.failed
    membership = Membership.objects.get(pk=invitation.membership.pk)
    assert membership.is_active
    assert membership.invitation_status == Membership.InvitationStatus.FAILED
    assert membership.invitation_sent_at is None


def test_resend_mails_a_new_link_to_a_member_without_a_password_only(org, bob_agent, settings):
    user = user_create(email="new@demo.example")
    membership = membership_create(organization=org, user=user, role="agent")

    outcome = membership_invitation_resend(membership=membership)

    assert outcome.sent is True
    (message,) = mail.outbox
    assert message.to == ["new@demo.example"]
    _link(message, "/accounts/invitation/")
    with pytest.raises(ApplicationError, match="already set a password"):
        membership_invitation_resend(membership=Membership.objects.get(user=bob_agent))
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    membership.refresh_from_db()
    with pytest.raises(ApplicationError, match="deactivated"):
        membership_invitation_resend(membership=membership)
    assert len(mail.outbox) == 1


def test_resending_is_limited_per_member(org, settings):
    settings.INVITATION_RESEND_MAX_PER_HOUR = 2
    user = user_create(email="new@demo.example")
    membership = membership_create(organization=org, user=user, role="agent")
    membership_invitation_resend(membership=membership)
    membership_invitation_resend(membership=membership)
    with pytest.raises(ApplicationError) as error:
        membership_invitation_resend(membership=membership)
    assert error.value.code == "rate_limited"
    assert len(mail.outbox) == 2


# Set-password tokens


@pytest.fixture
def invited(org):
    """A member who was invited and never chose a password."""
    user = user_create(email="new@demo.example", full_name="New Person")
    membership_create(organization=org, user=user, role="agent")
    return user


def test_invitation_link_works_for_its_lifetime_only(invited, settings, monkeypatch):
    settings.INVITATION_MAX_AGE_DAYS = 7
    uidb64, token = set_password_token_make(user=invited, purpose=Purpose.INVITATION)
    generator = type(tokens._GENERATORS[Purpose.INVITATION])

    monkeypatch.setattr(generator, "_now", _in(6.9))
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.INVITATION)
    monkeypatch.setattr(generator, "_now", _in(7, seconds=60))
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.INVITATION) is None
    with pytest.raises(ApplicationError) as error:
        user_password_set(
            uidb64=uidb64, token=token, purpose=Purpose.INVITATION, password=NEW_PASSWORD
        )
    assert error.value.field == "token"
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_reset_link_lives_an_hour_by_default(bob_agent, settings, monkeypatch):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    uidb64, token = set_password_token_make(user=bob_agent, purpose=Purpose.RESET)
    generator = type(tokens._GENERATORS[Purpose.RESET])
    monkeypatch.setattr(generator, "_now", _in(seconds=3500))
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.RESET)
    monkeypatch.setattr(generator, "_now", _in(seconds=3700))
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.RESET) is None


def test_a_link_sets_a_password_once(invited):
    uidb64, token = set_password_token_make(user=invited, purpose=Purpose.INVITATION)

    user = user_password_set(
        uidb64=uidb64, token=token, purpose=Purpose.INVITATION, password=NEW_PASSWORD
    )

    assert user.check_password(NEW_PASSWORD)
    with pytest.raises(ApplicationError) as error:
        user_password_set(
            uidb64=uidb64, token=token, purpose=Purpose.INVITATION, password="another one 12345"
        )
    assert error.value.field == "token"
    assert User.objects.get(pk=invited.pk).check_password(NEW_PASSWORD)


def test_a_link_is_bound_to_its_user_and_its_purpose(invited, bob_agent):
    uidb64, token = set_password_token_make(user=invited, purpose=Purpose.INVITATION)
    bob_uid, _bob_token = set_password_token_make(user=bob_agent, purpose=Purpose.RESET)

    assert set_password_token_user(uidb64=bob_uid, token=token, purpose=Purpose.INVITATION) is None
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.RESET) is None
    # The token with its last character changed (a token may already end in "0").
    altered = token[:-1] + ("1" if token.endswith("0") else "0")
    for garbage in ("", "x", "zzzz-abc", "1-" + "0" * 30, altered):
        assert not set_password_token_user(uidb64=uidb64, token=garbage, purpose=Purpose.INVITATION)
    for uid in ("", "!!", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NQ", "YWJj"):
        assert set_password_token_user(uidb64=uid, token=token, purpose=Purpose.INVITATION) is None
    with pytest.raises(ApplicationError):
        user_password_set(
            uidb64=bob_uid, token=token, purpose=Purpose.INVITATION, password=NEW_PASSWORD
        )
    assert User.objects.get(pk=bob_agent.pk).check_password(PASSWORD)


def test_a_link_dies_when_the_email_changes(invited):
    uidb64, token = set_password_token_make(user=invited, purpose=Purpose.INVITATION)
    User.objects.filter(pk=invited.pk).update(email="renamed@demo.example")
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.INVITATION) is None


def test_weak_passwords_are_refused_naming_the_field(invited):
    uidb64, token = set_password_token_make(user=invited, purpose=Purpose.INVITATION)
    for weak, message in (
        ("short1", "This password is too short."),
        ("password123", "This password is too common."),
        ("84736291047382", "This password is entirely numeric."),
        ("new@demo.example", "too similar to the email"),
    ):
        with pytest.raises(ApplicationError) as error:
            user_password_set(uidb64=uidb64, token=token, purpose=Purpose.INVITATION, password=weak)
        assert error.value.field == "password"
        assert message in error.value.message
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    # The link still works after a refused password.
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.INVITATION)


def test_no_password_is_set_for_someone_no_longer_staff(invited):
    uidb64, token = set_password_token_make(user=invited, purpose=Purpose.INVITATION)
    Membership.objects.filter(user=invited).update(is_active=False)
    with pytest.raises(ApplicationError, match="no longer staff"):
        user_password_set(
            uidb64=uidb64, token=token, purpose=Purpose.INVITATION, password=NEW_PASSWORD
        )
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_changing_ones_password_needs_the_current_one(bob_agent):
    with pytest.raises(ApplicationError) as error:
        user_password_change(
            user=bob_agent, current_password="wrong", password=NEW_PASSWORD, ip="10.0.0.1"
        )
    assert error.value.field == "current_password"
    with pytest.raises(ApplicationError) as error:
        user_password_change(
            user=bob_agent, current_password=PASSWORD, password="short", ip="10.0.0.1"
        )
    assert error.value.field == "password"
    assert User.objects.get(pk=bob_agent.pk).check_password(PASSWORD)
    user_password_change(
        user=bob_agent, current_password=PASSWORD, password=NEW_PASSWORD, ip="10.0.0.1"
    )
    assert User.objects.get(pk=bob_agent.pk).check_password(NEW_PASSWORD)


# Password reset


def test_reset_mail_goes_to_staff_and_superusers_only(org, bob_agent, customer, invited):
    portal_user = user_create(email="maryam@example.com")  # a portal customer's account
    superuser = User.objects.create_superuser("root@example.com", "x" * 20)
    former = user_create(email="former@demo.example", password=PASSWORD)
    membership_create(organization=org, user=former, role="agent")
    Membership.objects.filter(user=former).update(is_active=False)
    disabled = user_create(email="disabled@demo.example", password=PASSWORD)
    membership_create(organization=org, user=disabled, role="agent")
    User.objects.filter(pk=disabled.pk).update(is_active=False)

    sent = {
        email: password_reset_mail_send(email=email, language="en")
        for email in (
            bob_agent.email,
            superuser.email,
            invited.email,
            portal_user.email,
            former.email,
            disabled.email,
            "nobody@demo.example",
        )
    }

    assert sent == {
        "bob@demo.example": True,
        "root@example.com": True,
        "new@demo.example": True,
        "maryam@example.com": False,
        "former@demo.example": False,
        "disabled@demo.example": False,
        "nobody@demo.example": False,
    }
    assert [message.to for message in mail.outbox] == [
        ["bob@demo.example"],
        ["root@example.com"],
        ["new@demo.example"],
    ]
    url = _link(mail.outbox[0], "/accounts/password/reset/")
    uidb64, token = _token_of(url)
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.RESET) == bob_agent
    assert set_password_token_user(uidb64=uidb64, token=token, purpose=Purpose.INVITATION) is None
    assert portal_user.memberships.count() == 0


def test_reset_request_answers_alike_and_mails_after_commit(
    org, bob_agent, django_capture_on_commit_callbacks
):
    for email in ("bob@demo.example", "nobody@demo.example"):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert password_reset_request(email=email, ip="10.0.0.1", language="en") is None
            assert len(mail.outbox) == before
        assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [["bob@demo.example"]]


@pytest.mark.parametrize("limit", ["PASSWORD_RESET_MAX_PER_EMAIL", "PASSWORD_RESET_MAX_PER_IP"])
def test_reset_requests_are_limited_per_address_and_per_client(
    db, limit, settings, django_capture_on_commit_callbacks
):
    setattr(settings, limit, 2)
    per_email = limit.endswith("EMAIL")

    def ask(n: int) -> None:
        email = "someone@demo.example" if per_email else f"someone{n}@demo.example"
        ip = f"10.0.0.{n}" if per_email else "10.0.0.1"
        password_reset_request(email=email, ip=ip, language="en")

    with django_capture_on_commit_callbacks() as callbacks:
        ask(1)
        ask(2)
        with pytest.raises(ApplicationError) as error:
            ask(3)
    assert (error.value.code, error.value.field) == ("rate_limited", "email")
    assert len(callbacks) == 2


def test_reset_request_needs_an_email(db):
    with pytest.raises(ApplicationError) as error:
        password_reset_request(email="not-an-email", ip="10.0.0.1", language="en")
    assert error.value.field == "email"


# Change of email


def test_email_change_mails_the_new_address_and_tells_the_old_one(bob_agent):
    new = email_change_request(
        user=bob_agent, new_email=" Robert@Example.COM ", password=PASSWORD, ip="10.0.0.1"
    )

    assert new == "robert@example.com"
    assert User.objects.get(pk=bob_agent.pk).email == "bob@demo.example"
    notice, confirmation = mail.outbox
    assert notice.to == ["bob@demo.example"]
    assert "robert@example.com" in notice.body
    assert "/accounts/email/confirm/" not in notice.body
    assert confirmation.to == ["robert@example.com"]
    url = _link(confirmation, "/accounts/email/confirm/")
    token = url.rstrip("/").split("/")[-1]
    assert email_change_check(token=token) == (bob_agent, "robert@example.com")

    user = email_change_confirm(token=token)

    assert user.email == "robert@example.com"
    assert User.objects.get(pk=bob_agent.pk).email == "robert@example.com"
    with pytest.raises(ApplicationError, match="no longer works"):
        email_change_confirm(token=token)


@pytest.mark.parametrize(
    ("new_email", "password", "field", "message"),
    [
        ("robert@example.com", "wrong", "password", "Your password is wrong."),
        ("not-an-email", PASSWORD, "new_email", "Enter a valid email address."),
        ("BOB@demo.example", PASSWORD, "new_email", "This is already your email."),
        ("alice@demo.example", PASSWORD, "new_email", "already used by another account"),
    ],
)
def test_email_change_refusals_name_the_field_and_send_nothing(
    bob_agent, alice_admin, new_email, password, field, message
):
    with pytest.raises(ApplicationError) as error:
        email_change_request(user=bob_agent, new_email=new_email, password=password, ip="10.0.0.1")
    assert error.value.field == field
    assert message in error.value.message
    assert mail.outbox == []
    assert User.objects.get(pk=bob_agent.pk).email == "bob@demo.example"


def test_email_change_link_dies_when_the_email_changed_meanwhile(bob_agent):
    email_change_request(
        user=bob_agent, new_email="first@example.com", password=PASSWORD, ip="10.0.0.1"
    )
    email_change_request(
        user=bob_agent, new_email="second@example.com", password=PASSWORD, ip="10.0.0.1"
    )
    first = _link(mail.outbox[1], "/accounts/email/confirm/").rstrip("/").split("/")[-1]
    second = _link(mail.outbox[3], "/accounts/email/confirm/").rstrip("/").split("/")[-1]

    email_change_confirm(token=second)

    with pytest.raises(ApplicationError, match="no longer works"):
        email_change_check(token=first)
    with pytest.raises(ApplicationError):
        email_change_confirm(token=first)
    assert User.objects.get(pk=bob_agent.pk).email == "second@example.com"


def test_email_change_link_is_refused_when_the_address_was_taken_meanwhile(bob_agent):
    email_change_request(
        user=bob_agent, new_email="taken@example.com", password=PASSWORD, ip="10.0.0.1"
    )
    token = _link(mail.outbox[1], "/accounts/email/confirm/").rstrip("/").split("/")[-1]
    user_create(email="taken@example.com")
    with pytest.raises(ApplicationError, match="already used by another account"):
        email_change_confirm(token=token)
    assert User.objects.get(pk=bob_agent.pk).email == "bob@demo.example"


def test_email_change_link_expires(bob_agent, settings):
    email_change_request(
        user=bob_agent, new_email="robert@example.com", password=PASSWORD, ip="10.0.0.1"
    )
    token = _link(mail.outbox[1], "/accounts/email/confirm/").rstrip("/").split("/")[-1]
    assert email_change_check(token=token)
    with (
        override_settings(EMAIL_CHANGE_MAX_AGE_HOURS=-1),
        pytest.raises(ApplicationError, match="no longer works"),
    ):
        email_change_check(token=token)
    for forged in ("", "abc", token[:-2] + "xx", token.replace(":", ";", 1)):
        with pytest.raises(ApplicationError):
            email_change_check(token=forged)


def test_email_change_password_guesses_count_as_sign_in_attempts(bob_agent, settings):
    settings.SIGN_IN_MAX_PER_EMAIL = 2
    for _ in range(2):
        with pytest.raises(ApplicationError, match="wrong"):
            email_change_request(
                user=bob_agent, new_email="r@example.com", password="guess", ip="10.0.0.1"
            )
    with pytest.raises(ApplicationError) as error:
        email_change_request(
            user=bob_agent, new_email="r@example.com", password=PASSWORD, ip="10.0.0.1"
        )
    assert error.value.code == "rate_limited"
    assert mail.outbox == []

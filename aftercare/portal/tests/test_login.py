import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.utils import timezone

from aftercare.accounts.models import Membership, User
from aftercare.accounts.services import membership_create, user_create
from aftercare.customers.models import ContactPoint, Customer
from aftercare.portal.models import PortalLoginLink

LINK = re.compile(r"http://testserver/portal/demo/login/([A-Za-z0-9_-]+)/")
# Every page carries a fresh masked CSRF token; everything else must be the same.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def request_link(client: Client, email: str, slug: str = "demo", **extra):
    return client.post(f"/portal/{slug}/login/", {"email": email}, **extra)


def link_from(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0).removeprefix("http://testserver")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_login_page_renders(org):
    response = Client().get("/portal/demo/login/")
    assert response.status_code == 200
    assert b'name="email"' in response.content


def test_unknown_slug_is_404(db):
    assert Client().get("/portal/nope/login/").status_code == 404
    assert Client().post("/portal/nope/login/", {"email": "a@example.com"}).status_code == 404


def test_request_sends_one_email_with_working_link(org, mailoutbox):
    client = Client()
    response = request_link(client, "New.Person@Example.com ")
    assert response.status_code == 302
    assert response["Location"] == "/portal/demo/login/sent/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.person@example.com"]
    assert "Demo Electronics" in message.subject
    path = link_from(message)
    link = PortalLoginLink.objects.get()
    assert link.email == "new.person@example.com"
    assert link.organization == org
    assert link.requested_ip == "127.0.0.1"
    assert link.used_at is None
    # Only the hash is stored: the clear token is in the email alone.
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert link.token_hash == PortalLoginLink.hash_token(token)
    assert token not in link.token_hash
    assert link.expires_at - link.created_at == datetime.timedelta(minutes=20)

    sent = client.get("/portal/demo/login/sent/")
    assert sent.status_code == 200
    assert b'data-testid="link-sent"' in sent.content


def test_link_signs_in_and_creates_new_customer(org, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    token = CSRF_TOKEN.search(client.get("/portal/demo/login/").content.decode()).group(1)
    client.post(
        "/portal/demo/login/", {"email": "new.person@example.com", "csrfmiddlewaretoken": token}
    )
    path = link_from(mailoutbox[0])
    # Opening the link shows who signs in and a button; nothing is spent or created yet.
    opened = client.get(path)
    assert opened.status_code == 200
    page = opened.content.decode()
    assert 'data-testid="link-email">new.person@example.com<' in page
    assert 'data-testid="link-sign-in"' in page
    assert opened["Referrer-Policy"] == "same-origin"
    assert "no-store" in opened["Cache-Control"]
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(email="new.person@example.com").exists()
    assert PortalLoginLink.objects.get().used_at is None
    # The button posts to the same address with the page's CSRF token.
    token = CSRF_TOKEN.search(page).group(1)
    response = client.post(path, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/portal/demo/requests/"
    user = User.objects.get(email="new.person@example.com")
    assert not user.has_usable_password()
    assert client.session[SESSION_KEY] == str(user.pk)
    customer = Customer.objects.get(organization=org, user=user)
    assert customer.name == "new.person"
    point = ContactPoint.objects.get(customer=customer)
    assert (point.kind, point.value, point.is_primary) == ("email", "new.person@example.com", True)
    assert PortalLoginLink.objects.get().used_at is not None
    page = client.get("/portal/demo/requests/")
    assert page.status_code == 200
    assert b'data-testid="no-requests"' in page.content


def test_link_links_existing_customer(org, customer, mailoutbox):
    client = Client()
    request_link(client, "MARYAM@example.com")
    client.post(link_from(mailoutbox[0]))
    customer.refresh_from_db()
    assert customer.user is not None
    assert customer.user.email == "maryam@example.com"
    assert Customer.objects.filter(organization=org).count() == 1
    assert client.session[SESSION_KEY] == str(customer.user.pk)


def test_link_reuses_existing_user_of_another_org(org, other_org, other_customer, mailoutbox):
    user = user_create(email="mehmet@example.com")
    other_customer.user = user
    other_customer.save()
    client = Client()
    request_link(client, "mehmet@example.com")
    client.post(link_from(mailoutbox[0]))
    assert User.objects.filter(email="mehmet@example.com").count() == 1
    mine = Customer.objects.get(organization=org, user=user)
    assert mine != other_customer


def test_link_works_only_once(org, mailoutbox):
    client = Client()
    request_link(client, "new.person@example.com")
    path = link_from(mailoutbox[0])
    assert client.post(path).status_code == 302
    used_at = PortalLoginLink.objects.get().used_at

    for method in ("get", "post"):
        again = getattr(Client(), method)(path)
        assert again.status_code == 410
        assert b'data-testid="link-error"' in again.content
        assert b'name="email"' in again.content
        assert SESSION_KEY not in again.client.session
        assert PortalLoginLink.objects.get().used_at == used_at


def test_expired_link_fails_and_changes_nothing(org, mailoutbox):
    request_link(Client(), "new.person@example.com")
    path = link_from(mailoutbox[0])
    PortalLoginLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client = Client()
    assert client.get(path).status_code == 410
    response = client.post(path)
    assert response.status_code == 410
    assert b"expired" in response.content
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(email="new.person@example.com").exists()
    assert not Customer.objects.exists()
    assert PortalLoginLink.objects.get().used_at is None


def test_unknown_token_fails(org):
    client = Client()
    assert client.get("/portal/demo/login/not-a-real-token/").status_code == 400
    response = client.post("/portal/demo/login/not-a-real-token/")
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    assert not User.objects.exists()


def test_link_of_one_org_does_not_work_in_another(org, other_org, mailoutbox):
    request_link(Client(), "new.person@example.com")
    path = link_from(mailoutbox[0]).replace("/portal/demo/", "/portal/other/")
    assert Client().get(path).status_code == 400
    response = Client().post(path)
    assert response.status_code == 400
    assert not Customer.objects.exists()
    assert PortalLoginLink.objects.get().used_at is None


def test_staff_account_with_admin_access_cannot_use_a_link(org, mailoutbox):
    User.objects.create_superuser(email="root@example.com", password="x" * 20)
    request_link(Client(), "root@example.com")
    client = Client()
    assert client.get(link_from(mailoutbox[0])).status_code == 400
    response = client.post(link_from(mailoutbox[0]))
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    assert not Customer.objects.exists()


def test_unknown_and_known_email_get_identical_answers(org, customer, mailoutbox):
    known_client, unknown_client = Client(), Client()
    known = request_link(known_client, "maryam@example.com")
    unknown = request_link(unknown_client, "stranger@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.content == unknown.content
    known_page = known_client.get(known["Location"])
    unknown_page = unknown_client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert CSRF.sub(r"\1", known_page.content.decode()) == CSRF.sub(
        r"\1", unknown_page.content.decode()
    )
    assert [m.to for m in mailoutbox] == [["maryam@example.com"], ["stranger@example.com"]]
    assert mailoutbox[0].subject == mailoutbox[1].subject


def test_rate_limit_per_email(org, mailoutbox):
    client = Client()
    for _ in range(5):
        assert request_link(client, "new.person@example.com").status_code == 302
    response = request_link(client, "new.person@example.com")
    assert response.status_code == 429
    assert b"Too many sign-in links" in response.content
    assert len(mailoutbox) == 5
    assert PortalLoginLink.objects.count() == 5


@override_settings(PORTAL_LOGIN_LINK_MAX_PER_IP=3)
def test_rate_limit_per_ip(org, mailoutbox):
    client = Client()
    for n in range(3):
        assert request_link(client, f"person{n}@example.com").status_code == 302
    response = request_link(client, "person9@example.com")
    assert response.status_code == 429
    assert len(mailoutbox) == 3
    elsewhere = request_link(Client(), "person9@example.com", REMOTE_ADDR="10.0.0.7")
    assert elsewhere.status_code == 302
    assert len(mailoutbox) == 4


def test_rate_limit_window_passes(org, mailoutbox):
    client = Client()
    for _ in range(5):
        request_link(client, "new.person@example.com")
    PortalLoginLink.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    assert request_link(client, "new.person@example.com").status_code == 302
    assert len(mailoutbox) == 6


def test_mail_failure_answers_clearly_and_keeps_no_link(org, mailoutbox, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("aftercare.portal.services.send_mail", refuse)
    response = request_link(Client(), "new.person@example.com")
    assert response.status_code == 503
    assert b"could not be sent" in response.content
    assert not PortalLoginLink.objects.exists()


def test_invalid_email_names_the_field_and_sends_nothing(org, mailoutbox):
    response = request_link(Client(), "not-an-email")
    assert response.status_code == 422
    assert b'data-testid="error-email"' in response.content
    assert mailoutbox == []
    assert not PortalLoginLink.objects.exists()


def test_email_is_in_the_active_language(org, mailoutbox):
    client = Client()
    client.cookies["aftercare_language"] = "fa"
    request_link(client, "new.person@example.com")
    assert PortalLoginLink.objects.get().language == "fa"
    assert len(mailoutbox) == 1
    other_browser = Client()
    response = other_browser.post(link_from(mailoutbox[0]))
    assert response.cookies["aftercare_language"].value == "fa"
    assert User.objects.get(email="new.person@example.com").language == "fa"
    assert Customer.objects.get().preferred_language == "fa"


def test_signed_in_non_customer_is_sent_to_sign_in(org, bob_agent, agent_client):
    response = agent_client.get("/portal/demo/requests/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/demo/login/"


def test_logout(org, customer):
    from aftercare.portal.tests.conftest import sign_in

    client = sign_in(customer)
    assert client.get("/portal/demo/requests/").status_code == 200
    response = client.post("/portal/demo/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get("/portal/demo/requests/")["Location"] == "/portal/demo/login/"
    assert client.get("/portal/demo/logout/").status_code == 405


def test_a_scanners_visits_spend_nothing(org, mailoutbox):
    """A mail scanner opens every link in a message, sometimes twice: the customer's press of
    the button still signs them in."""
    request_link(Client(), "new.person@example.com")
    path = link_from(mailoutbox[0])
    for _ in range(2):
        scanner = Client()
        assert scanner.get(path).status_code == 200
        assert SESSION_KEY not in scanner.session
    assert PortalLoginLink.objects.get().used_at is None
    assert not Customer.objects.exists()
    customer = Client()
    assert customer.post(path)["Location"] == "/portal/demo/requests/"
    assert PortalLoginLink.objects.get().used_at is not None


@pytest.mark.parametrize("member", ["bob_agent", "alice_admin", "charlie_other_org"])
def test_staff_of_any_organization_cannot_use_a_link(org, mailoutbox, request, member):
    """Finding 1 of the outside review: a portal link signed a member (any role) into the
    console without their password, and made them a customer of that organization."""
    user = request.getfixturevalue(member)
    request_link(Client(), user.email)
    path = link_from(mailoutbox[0])
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code == 400
        assert "signs in with its password on the staff sign-in page" in response.content.decode()
        assert SESSION_KEY not in client.session
    assert not Customer.objects.filter(organization=org).exists()
    assert PortalLoginLink.objects.get().used_at is None
    assert client.get("/").status_code == 302


def test_a_portal_session_never_opens_the_console(org, mailoutbox):
    """A customer who has since become staff keeps their portal session for the portal only;
    the console wants their password."""
    client = Client()
    request_link(client, "new.person@example.com")
    client.post(link_from(mailoutbox[0]))
    user = User.objects.get(email="new.person@example.com")
    membership_create(organization=org, user=user, role=Membership.Role.ADMIN)
    console = client.get("/")
    assert console.status_code == 403
    assert "You are signed in to the customer portal." in console.content.decode()
    assert client.get("/customers/").status_code == 403
    assert client.get("/portal/demo/requests/").status_code == 200
    user.set_password("a long enough password 1")
    user.save()
    # Signed in with the password, the same browser opens the console.
    signed_in = client.post(
        "/accounts/login/", {"email": user.email, "password": "a long enough password 1"}
    )
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200

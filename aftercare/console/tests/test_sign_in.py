from django.test import Client
from django.urls import reverse

from aftercare.accounts.models import Membership
from aftercare.accounts.services import membership_create, user_create
from aftercare.lib.testing import PASSWORD


def test_login_page_renders_the_form(db):
    response = Client().get(reverse("console:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html and 'name="password"' in html
    assert 'data-testid="sign-out"' not in html


def test_staff_signs_in_and_reaches_the_queue(org, bob_agent):
    client = Client()
    response = client.post(
        reverse("console:login"), {"email": " BOB@demo.example ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    queue = client.get(response["Location"])
    assert queue.status_code == 200
    html = queue.content.decode()
    assert 'data-testid="organization-name">Demo Electronics<' in html
    assert "Bob Agent · Agent" in html


def test_sign_in_follows_a_safe_next_only(org, bob_agent):
    client = Client()
    url = reverse("console:login") + "?next=/customers/"
    response = client.post(
        url, {"email": "bob@demo.example", "password": PASSWORD, "next": "/customers/"}
    )
    assert response["Location"] == "/customers/"
    client = Client()
    response = client.post(
        url, {"email": "bob@demo.example", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_wrong_password_is_refused(org, bob_agent):
    client = Client()
    response = client.post(
        reverse("console:login"), {"email": "bob@demo.example", "password": "wrong"}
    )
    assert response.status_code == 401
    assert "Email or password is wrong." in response.content.decode()
    assert client.get(reverse("tickets:queue")).status_code == 302


def test_account_without_membership_cannot_enter_the_console(db):
    user_create(email="customer@example.com", password=PASSWORD)
    client = Client()
    response = client.post(
        reverse("console:login"), {"email": "customer@example.com", "password": PASSWORD}
    )
    assert response.status_code == 401
    assert "This account has no access to the console." in response.content.decode()


def test_sign_in_sets_the_users_language(org):
    user = user_create(email="fa@demo.example", password=PASSWORD, language="fa")
    membership_create(organization=org, user=user, role=Membership.Role.AGENT)
    client = Client()
    response = client.post(
        reverse("console:login"), {"email": "fa@demo.example", "password": PASSWORD}
    )
    assert response.cookies["aftercare_language"].value == "fa"
    html = client.get("/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html


def test_sign_out(agent_client):
    assert agent_client.get(reverse("console:logout")).status_code == 405
    response = agent_client.post(reverse("console:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("console:login")
    assert agent_client.get(reverse("tickets:queue")).status_code == 302


def test_switching_to_an_organization_one_is_not_in_changes_nothing(org, other_org, agent_client):
    response = agent_client.post(
        reverse("console:organization_switch"), {"organization_id": str(other_org.pk)}
    )
    assert response.status_code == 302
    html = agent_client.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="organization-name">Demo Electronics<' in html
    assert 'data-testid="organization-switcher"' not in html


def test_login_page_in_persian_is_rtl(db):
    client = Client()
    client.cookies["aftercare_language"] = "fa"
    html = client.get(reverse("console:login")).content.decode()
    assert '<html lang="fa" dir="rtl">' in html

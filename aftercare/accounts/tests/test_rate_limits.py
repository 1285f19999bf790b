import json

from django.test import Client
from django.urls import reverse

from aftercare.accounts.models import ApiToken, User
from aftercare.lib.testing import PASSWORD


def test_console_sign_in_is_limited_per_email(bob_agent, settings):
    settings.SIGN_IN_MAX_PER_EMAIL = 3
    client = Client()
    url = reverse("console:login")
    statuses = [
        client.post(url, {"email": "bob@demo.example", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 401]
    # Past the limit even the right password is refused, and nobody is signed in.
    blocked = client.post(url, {"email": "bob@demo.example", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
    other = Client().post(url, {"email": "someone@demo.example", "password": "x"})
    assert other.status_code == 401


def test_api_token_is_limited_per_address_counting_failures_only(bob_agent, settings):
    settings.SIGN_IN_MAX_PER_IP = 2
    client = Client()

    def obtain(email):
        return client.post(
            "/api/v1/auth/token",
            data=json.dumps({"email": email, "password": PASSWORD}),
            content_type="application/json",
        )

    assert obtain("bob@demo.example").status_code == 200
    assert obtain("nobody@demo.example").status_code == 401
    assert obtain("bob@demo.example").status_code == 200
    assert obtain("someone@demo.example").status_code == 401
    # Two failures from this address: it is refused, the right password too.
    answer = obtain("bob@demo.example")
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["field"] == "email"
    assert ApiToken.objects.count() == 2
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.9").post(
        "/api/v1/auth/token",
        data=json.dumps({"email": "bob@demo.example", "password": PASSWORD}),
        content_type="application/json",
    )
    assert other.status_code == 200


def test_signing_in_right_never_counts(bob_agent, settings):
    """Finding 4 of the outside review: successful sign-ins counted against the limits, so a
    busy office behind one address soon locked itself out."""
    settings.SIGN_IN_MAX_PER_EMAIL = settings.SIGN_IN_MAX_PER_IP = 3
    url = reverse("console:login")
    for _ in range(10):
        client = Client()
        answer = client.post(url, {"email": "bob@demo.example", "password": PASSWORD})
        assert answer.status_code == 302
        assert "_auth_user_id" in client.session


def test_one_accounts_failures_hold_back_that_account_only(bob_agent, alice_admin, settings):
    settings.SIGN_IN_MAX_PER_EMAIL = 2
    url = reverse("console:login")
    for _ in range(2):
        assert (
            Client().post(url, {"email": "bob@demo.example", "password": "no"}).status_code == 401
        )
    assert (
        Client().post(url, {"email": "bob@demo.example", "password": PASSWORD}).status_code == 429
    )
    signed_in = Client().post(url, {"email": alice_admin.email, "password": PASSWORD})
    assert signed_in.status_code == 302


def test_the_django_admin_sign_in_is_limited(settings, db):
    """Finding 5 of the outside review: /admin/login/ had no limit at all."""
    User.objects.create_superuser(email="root@example.com", password=PASSWORD)
    settings.SIGN_IN_MAX_PER_EMAIL = 3
    client = Client()
    for _ in range(3):
        answer = client.post("/admin/login/", {"username": "root@example.com", "password": "wrong"})
        assert answer.status_code == 200
        assert "Please enter the correct" in answer.content.decode()
    refused = client.post("/admin/login/", {"username": "root@example.com", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Too many failed sign-ins." in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Under the limit, the admin signs in as before.
    User.objects.create_superuser(email="ops@example.com", password=PASSWORD)
    ok = client.post("/admin/login/", {"username": "ops@example.com", "password": PASSWORD})
    assert ok.status_code == 302


def test_a_password_typed_to_change_it_counts_when_wrong(bob_agent, agent_client, settings):
    settings.SIGN_IN_MAX_PER_EMAIL = 2
    url = reverse("console:settings_account_password")
    for _ in range(2):
        answer = agent_client.post(
            url,
            {
                "current_password": "wrong",
                "password": "Lantern orchard 4812 quietly",
                "password_confirmation": "Lantern orchard 4812 quietly",
            },
        )
        assert "Your current password is wrong." in answer.content.decode()
    refused = agent_client.post(
        url,
        {
            "current_password": PASSWORD,
            "password": "Lantern orchard 4812 quietly",
            "password_confirmation": "Lantern orchard 4812 quietly",
        },
    )
    assert "Too many failed sign-ins." in refused.content.decode()
    bob_agent.refresh_from_db()
    assert bob_agent.check_password(PASSWORD)

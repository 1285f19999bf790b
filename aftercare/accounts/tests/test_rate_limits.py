import json

from django.test import Client
from django.urls import reverse

from aftercare.accounts.models import ApiToken
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


def test_api_token_is_limited_per_address(bob_agent, settings):
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
    answer = obtain("bob@demo.example")
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["field"] == "email"
    assert ApiToken.objects.count() == 1

import pytest
from django.test import Client

from aftercare.accounts.models import ApiToken, Membership
from aftercare.accounts.services import membership_create, user_create
from aftercare.api.tests.client import ApiClient
from aftercare.lib.testing import PASSWORD


def test_token_for_email_and_password(org, bob_agent):
    answer = ApiClient().post("/auth/token", {"email": " BOB@demo.example ", "password": PASSWORD})
    assert answer.status == 200, answer.body
    assert answer.body["organization"] == {"id": org.pk, "slug": "demo", "name": "Demo Electronics"}
    token = ApiToken.objects.get()
    # By default a token does all the role allows, for 90 days.
    assert answer.body["scope"] == token.scope == "admin"
    assert answer.body["expires_at"].startswith(token.expires_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert 89 < (token.expires_at - token.created_at).total_seconds() / 86400 <= 90
    assert (token.user, token.organization) == (bob_agent, org)
    assert token.key_hash == ApiToken.hash_key(answer.body["token"])
    assert answer.body["token"] not in {token.key_hash, token.prefix}
    assert ApiClient(answer.body["token"]).get("/members/").status == 200


@pytest.mark.parametrize(
    "body",
    [
        {"email": "bob@demo.example", "password": "wrong"},
        {"email": "nobody@demo.example", "password": PASSWORD},
    ],
)
def test_wrong_credentials_are_401_and_create_nothing(org, bob_agent, body):
    answer = ApiClient().post("/auth/token", body)
    assert answer.status == 401
    assert answer.body == {
        "detail": "Email or password is wrong.",
        "errors": [{"field": "password", "message": "Email or password is wrong.", "code": "auth"}],
    }
    assert not ApiToken.objects.exists()


def test_missing_password_names_the_field(org, bob_agent):
    answer = ApiClient().post("/auth/token", {"email": "bob@demo.example"})
    assert (answer.status, answer.field) == (422, "password")


def test_user_of_several_organizations_names_one(org, other_org, bob_agent):
    membership_create(organization=other_org, user=bob_agent, role=Membership.Role.AGENT)
    ambiguous = ApiClient().post("/auth/token", {"email": "bob@demo.example", "password": PASSWORD})
    assert (ambiguous.status, ambiguous.field) == (422, "organization")
    assert not ApiToken.objects.exists()
    chosen = ApiClient().post(
        "/auth/token",
        {"email": "bob@demo.example", "password": PASSWORD, "organization": "other"},
    )
    assert chosen.status == 200
    assert chosen.body["organization"]["slug"] == "other"
    assert ApiToken.objects.get().organization == other_org


def test_customer_accounts_get_no_token(org, customer):
    user_create(email="maryam@example.com", password=PASSWORD)
    answer = ApiClient().post("/auth/token", {"email": "maryam@example.com", "password": PASSWORD})
    assert (answer.status, answer.field) == (422, "organization")
    assert not ApiToken.objects.exists()


def test_revoked_token_is_401(org, agent_token):
    api = ApiClient(agent_token)
    assert api.get("/members/").status == 200
    answer = api.send("DELETE", "/auth/token")
    assert answer.status == 204
    assert ApiToken.objects.get().revoked_at is not None
    refused = api.get("/members/")
    assert refused.status == 401
    assert refused.body == {
        "detail": "Authentication required: send a valid bearer token.",
        "errors": [],
    }


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Token abc", "Basic Ym9iOng="])
def test_missing_or_invalid_token_is_401(org, agent_token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get("/api/v1/tickets/", **extra)
    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_token_of_a_former_member_is_401(org, bob_agent, agent_token):
    Membership.objects.filter(user=bob_agent).update(is_active=False)
    assert ApiClient(agent_token).get("/members/").status == 401


def test_members_lists_the_organizations_staff(
    org, alice_admin, bob_agent, vic_viewer, outsider_token, agent_token
):
    answer = ApiClient(agent_token).get("/members/")
    assert answer.body == [
        {
            "id": alice_admin.pk,
            "name": "Alice Admin",
            "email": "alice@demo.example",
            "role": "admin",
        },
        {"id": bob_agent.pk, "name": "Bob Agent", "email": "bob@demo.example", "role": "agent"},
        {"id": vic_viewer.pk, "name": "Vic Viewer", "email": "vic@demo.example", "role": "viewer"},
    ]
    other = ApiClient(outsider_token).get("/members/")
    assert [row["email"] for row in other.body] == ["charlie@other.example"]

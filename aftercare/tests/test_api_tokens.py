"""API tokens with a scope and an expiry (issue 11): made, refused, and what they may do."""

import datetime

import pytest
from django.utils import timezone

from aftercare.accounts.models import ApiToken, Membership
from aftercare.accounts.services import api_token_authenticate, api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD

DAY = datetime.timedelta(days=1)


def _token(user, org, **values) -> str:
    _row, key = api_token_create(user=user, organization=org, name="t", **values)
    return key


def test_a_token_is_made_with_its_scope_and_expiry(org, bob_agent):
    ends = timezone.now() + 30 * DAY
    token, key = api_token_create(
        user=bob_agent, organization=org, name="ERP", scope="read", expires_at=ends
    )
    token.refresh_from_db()
    assert (token.scope, token.expires_at) == ("read", ends)
    assert api_token_authenticate(key=key).token.pk == token.pk


def test_by_default_a_token_does_all_the_role_allows_and_never_expires(org, bob_agent):
    token, _key = api_token_create(user=bob_agent, organization=org, name="script")
    assert (token.scope, token.expires_at) == (ApiToken.Scope.ADMIN, None)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"expires_at": -DAY}, "expires_at", "The token must expire in the future."),
        ({"expires_at": 366 * DAY}, "expires_at", "A token can last at most 365 days."),
        ({"scope": "everything"}, "scope", "Choose read, write or admin."),
    ],
)
def test_an_expiry_past_or_beyond_a_year_or_an_unknown_scope_is_refused(
    org, bob_agent, values, field, message
):
    if "expires_at" in values:
        values = {"expires_at": timezone.now() + values["expires_at"]}
    with pytest.raises(ApplicationError) as refused:
        api_token_create(user=bob_agent, organization=org, name="t", **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not ApiToken.objects.exists()


def test_an_expired_token_answers_401(org, bob_agent):
    token, key = api_token_create(
        user=bob_agent, organization=org, name="t", expires_at=timezone.now() + DAY
    )
    assert ApiClient(key).get("/tickets/").status == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    answer = ApiClient(key).get("/tickets/")
    assert answer.status == 401
    assert answer.body["detail"] == "Authentication required: send a valid bearer token."
    assert api_token_authenticate(key=key) is None


def test_a_read_token_reads_but_cannot_create(org, bob_agent):
    api = ApiClient(_token(bob_agent, org, scope="read"))
    assert api.get("/customers/").status == 200
    answer = api.post("/customers/", {"name": "Reza", "emails": ["reza@example.com"]})
    assert answer.status == 403
    assert answer.body["detail"] == (
        "This token's scope does not allow this (Read only). Create a token with a wider scope."
    )
    assert not Customer.objects.filter(name="Reza").exists()


def test_a_write_token_works_requests_but_an_admins_cannot_manage_members(org, alice_admin):
    api = ApiClient(_token(alice_admin, org, scope="write"))
    created = api.post("/customers/", {"name": "Reza", "emails": ["reza@example.com"]})
    assert created.status == 201, created.body
    refused = api.post("/members/", {"email": "new@demo.example", "role": "agent"})
    assert refused.status == 403
    assert "scope" in refused.body["detail"]
    assert not Membership.objects.filter(user__email="new@demo.example").exists()
    teams = api.post("/teams/", {"name": "Night shift"})
    assert teams.status == 403


def test_an_admin_scope_does_not_widen_the_role(org, vic_viewer):
    api = ApiClient(_token(vic_viewer, org, scope="admin"))
    answer = api.post("/customers/", {"name": "Reza", "emails": ["reza@example.com"]})
    assert answer.status == 403
    assert answer.body["detail"] == "Your role may read but not change anything."


def test_a_role_refusal_comes_before_the_body_is_read(org, bob_agent):
    answer = ApiClient(_token(bob_agent, org)).post("/teams/", {"nonsense": True})
    assert answer.status == 403
    assert answer.body["detail"] == "Only an admin or a supervisor may do this."


def test_obtain_a_token_with_a_scope_and_an_expiry(org, bob_agent):
    ends = (timezone.now() + 7 * DAY).replace(microsecond=0)
    answer = ApiClient().post(
        "/auth/token",
        {
            "email": "bob@demo.example",
            "password": PASSWORD,
            "scope": "read",
            "expires_at": ends.isoformat(),
        },
    )
    assert answer.status == 200, answer.body
    token = ApiToken.objects.get()
    assert (token.scope, token.expires_at) == ("read", ends)
    assert answer.body["scope"] == "read"
    shown = ApiClient(answer.body["token"]).get("/auth/token")
    assert shown.status == 200
    assert shown.body["scope"] == "read"
    assert shown.body["prefix"] == token.prefix
    assert shown.body["organization"]["slug"] == "demo"
    assert datetime.datetime.fromisoformat(shown.body["expires_at"]) == ends


def test_obtain_a_token_that_never_expires(org, bob_agent):
    body = {"email": "bob@demo.example", "password": PASSWORD, "expires_at": None}
    answer = ApiClient().post("/auth/token", body)
    assert answer.status == 200, answer.body
    assert answer.body["expires_at"] is None
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize("days", [-1, 400])
def test_obtain_refuses_an_expiry_past_or_too_far(org, bob_agent, days):
    ends = timezone.now() + days * DAY
    body = {"email": "bob@demo.example", "password": PASSWORD, "expires_at": ends.isoformat()}
    answer = ApiClient().post("/auth/token", body)
    assert answer.status == 422
    assert answer.field == "expires_at"
    assert not ApiToken.objects.exists()


def test_obtain_refuses_an_unknown_scope(org, bob_agent):
    body = {"email": "bob@demo.example", "password": PASSWORD, "scope": "root"}
    answer = ApiClient().post("/auth/token", body)
    assert answer.status == 422
    assert answer.field == "scope"
    assert not ApiToken.objects.exists()


def test_any_token_may_say_what_it_is_and_revoke_itself(org, vic_viewer):
    key = _token(vic_viewer, org, scope="read")
    api = ApiClient(key)
    assert api.get("/auth/token").body["scope"] == "read"
    assert api.send("DELETE", "/auth/token").status == 204
    assert api.get("/auth/token").status == 401

"""The API token page: a scope and an expiry for each new token, both shown in the list; and
console pages opening only as the permission matrix says."""

import datetime
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import ResolverMatch, reverse
from django.utils import timezone

from aftercare.accounts.models import ApiToken
from aftercare.accounts.services import api_token_create
from aftercare.console.access import Access
from aftercare.console.pages import console_view
from aftercare.lib.testing import client_for, field_error

DAY = datetime.timedelta(days=1)


def test_the_form_asks_for_a_scope_and_an_expiry_with_safe_defaults(org, bob_agent):
    html = client_for(bob_agent).get(reverse("console:settings_tokens")).content.decode()
    scope = html[html.index('name="scope"') : html.index("</select>", html.index('name="scope"'))]
    assert re.search(r'<option value="write" selected>', scope)
    assert 'value="read"' in scope and 'value="admin"' in scope
    lifetime = html[html.index('name="lifetime"') :]
    lifetime = lifetime[: lifetime.index("</select>")]
    assert re.search(r'<option value="90" selected>', lifetime)
    assert all(f'value="{value}"' in lifetime for value in ("30", "365", "never"))


def test_a_read_token_for_30_days_is_made_and_listed(org, bob_agent):
    client = client_for(bob_agent)
    before = timezone.now()
    response = client.post(
        reverse("console:settings_token_create"),
        {"name": "Reports", "scope": "read", "lifetime": "30"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=bob_agent)
    assert token.scope == "read"
    assert before + 30 * DAY <= token.expires_at <= timezone.now() + 30 * DAY
    assert "Read only" in response.content.decode()
    listed = client.get(reverse("console:settings_tokens")).content.decode()
    assert 'data-testid="token-scope" data-scope="read">Read only<' in listed
    expires = listed[listed.index('data-testid="token-expires"') :]
    assert "Never" not in expires[: expires.index("</td>")]


def test_a_token_that_never_expires_says_so(org, alice_admin):
    client = client_for(alice_admin)
    response = client.post(
        reverse("console:settings_token_create"),
        {"name": "ERP", "scope": "admin", "lifetime": "never"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=alice_admin)
    assert (token.scope, token.expires_at) == ("admin", None)
    listed = client.get(reverse("console:settings_tokens")).content.decode()
    expires = listed[listed.index('data-testid="token-expires"') :]
    assert "Never" in expires[: expires.index("</td>")]


def test_a_form_without_the_choices_gets_write_for_90_days(org, bob_agent):
    response = client_for(bob_agent).post(
        reverse("console:settings_token_create"), {"name": "Old page"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=bob_agent)
    assert token.scope == "write"
    assert 89 * DAY < token.expires_at - timezone.now() <= 90 * DAY


@pytest.mark.parametrize(("field", "value"), [("lifetime", "1000"), ("scope", "root")])
def test_an_unknown_choice_is_a_field_error_and_makes_nothing(org, bob_agent, field, value):
    data = {"name": "x", "scope": "read", "lifetime": "30", field: value}
    response = client_for(bob_agent).post(reverse("console:settings_token_create"), data)
    assert response.status_code == 422
    assert "Select a valid choice" in field_error(response, field)
    assert not ApiToken.objects.exists()


def test_the_list_shows_each_tokens_scope(org, bob_agent):
    api_token_create(user=bob_agent, organization=org, name="a", scope="read")
    api_token_create(user=bob_agent, organization=org, name="b", scope="admin")
    html = client_for(bob_agent).get(reverse("console:settings_tokens")).content.decode()
    assert sorted(re.findall(r'data-scope="(\w+)"', html)) == ["admin", "read"]


def _reached_as(view_name: str, user) -> object:
    namespace, name = view_name.split(":")
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.resolver_match = ResolverMatch(
        lambda request: None, (), {}, url_name=name, namespaces=[namespace]
    )
    return request


def _page(request, membership):
    raise AssertionError("the page must not open")


def test_a_console_page_without_an_entry_in_the_matrix_opens_for_nobody(org, alice_admin):
    with pytest.raises(ImproperlyConfigured, match="no entry in the permission matrix"):
        console_view()(_page)(_reached_as("customers:unlisted", alice_admin))


def test_a_console_page_that_expects_another_level_than_the_matrix_is_a_mistake(org, alice_admin):
    with pytest.raises(ImproperlyConfigured, match="the permission matrix says 'read'"):
        console_view(Access.ADMIN)(_page)(_reached_as("customers:list", alice_admin))
    with pytest.raises(ImproperlyConfigured, match="needs a level"):
        console_view()(_page)(_reached_as("portal:home", alice_admin))

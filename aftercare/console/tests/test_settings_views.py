import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.models import ApiToken, Membership, StaffInvitation, User
from aftercare.accounts.services import (
    api_token_authenticate,
    api_token_create,
    membership_create,
    membership_update,
    user_create,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD, client_for


def _memberships(organization) -> list[tuple]:
    """Every membership's state, to show a refused change changed nothing."""
    return sorted(
        Membership.objects.filter(organization=organization).values_list(
            "user__email", "role", "is_active"
        )
    )


def _member_rows(response) -> list[str]:
    return re.findall(
        r'data-testid="member-row" data-membership-id="(\d+)"', response.content.decode()
    )


def _token_rows(response) -> list[str]:
    return re.findall(r'data-testid="token-row" data-token-id="(\d+)"', response.content.decode())


def _membership(organization, user) -> Membership:
    return Membership.objects.get(organization=organization, user=user)


# Sign-in and roles


def test_settings_pages_need_sign_in(org, alice_admin):
    membership = _membership(org, alice_admin)
    _token, _key = api_token_create(user=alice_admin, organization=org, name="x")
    for url in (
        reverse("console:settings"),
        reverse("console:settings_members"),
        reverse("console:settings_member_invite"),
        reverse("console:settings_member_edit", args=[membership.pk]),
        reverse("console:settings_tokens"),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    response = Client().post(reverse("console:settings_token_revoke", args=[_token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=_token.pk).revoked_at is None


def test_landing_page_offers_the_sections_of_each_role(
    org, alice_admin, sam_supervisor, bob_agent, vic_viewer
):
    admin = client_for(alice_admin).get(reverse("console:settings")).content.decode()
    for section in ("members", "teams", "categories", "products", "tokens"):
        assert f'data-testid="section-{section}"' in admin
    assert 'data-testid="nav-settings"' in admin

    supervisor = client_for(sam_supervisor).get(reverse("console:settings")).content.decode()
    assert 'data-testid="section-members"' not in supervisor
    for section in ("teams", "categories", "products", "tokens"):
        assert f'data-testid="section-{section}"' in supervisor
    assert 'data-testid="nav-settings"' in supervisor

    for user in (bob_agent, vic_viewer):
        response = client_for(user).get(reverse("console:settings"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="section-tokens"' in html
        for section in ("members", "teams", "categories", "products"):
            assert f'data-testid="section-{section}"' not in html
        # Everyone reaches their own API tokens from the navbar.
        assert 'data-testid="nav-settings"' in html


@pytest.mark.parametrize("who", ["sam_supervisor", "bob_agent", "tina_technician", "vic_viewer"])
def test_only_admins_manage_members(request, org, alice_admin, who):
    client = client_for(request.getfixturevalue(who))
    membership = _membership(org, alice_admin)
    before = _memberships(org)
    for url in (
        reverse("console:settings_members"),
        reverse("console:settings_member_invite"),
        reverse("console:settings_member_edit", args=[membership.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only admins manage the organization" in response.content.decode()
    response = client.post(
        reverse("console:settings_member_invite"),
        {"email": "new@demo.example", "full_name": "New", "role": "admin"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("console:settings_member_edit", args=[membership.pk]),
        {"role": "viewer", "is_active": ""},
    )
    assert response.status_code == 403
    assert _memberships(org) == before
    assert not User.objects.filter(email="new@demo.example").exists()


# Members


def test_member_list_shows_every_member_with_role_and_status(
    org, admin_client, alice_admin, bob_agent, vic_viewer, charlie_other_org
):
    Membership.objects.filter(user=vic_viewer).update(is_active=False)
    response = admin_client.get(reverse("console:settings_members"))
    assert response.status_code == 200
    html = response.content.decode()
    expected = [_membership(org, user).pk for user in (alice_admin, bob_agent, vic_viewer)]
    assert _member_rows(response) == [str(pk) for pk in expected]
    assert "charlie@other.example" not in html
    vic_row = html[html.index(f'data-membership-id="{expected[2]}"') :]
    vic_row = vic_row[: vic_row.index("</tr>")]
    assert "Viewer" in vic_row and 'data-testid="badge-inactive"' in vic_row
    bob_row = html[html.index(f'data-membership-id="{expected[1]}"') :]
    bob_row = bob_row[: bob_row.index("</tr>")]
    assert "Agent" in bob_row and 'data-testid="badge-active"' in bob_row


def test_member_list_query_count_does_not_grow(org, admin_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("console:settings_members"))
        assert response.status_code == 200
        return len(queries)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            user = user_create(email=f"staff{i}@demo.example", full_name=f"Staff {i}")
            membership_create(organization=org, user=user, role=Membership.Role.AGENT)

    def offer(n: int, start: int) -> None:
        for i in range(start, start + n):
            user = user_create(email=f"elsewhere{i}@other.example")
            StaffInvitation.objects.create(organization=org, user=user, role="agent")

    add(2, 0)  # three members with alice
    offer(1, 0)
    few = count()
    add(27, 2)
    offer(10, 1)
    assert Membership.objects.filter(organization=org).count() == 30
    # session, user, memberships (the switcher's too), presence, members with their users,
    # waiting invitations with their users
    assert count() == few == 6


def test_invite_a_new_person_creates_an_account_without_a_password(org, admin_client):
    response = admin_client.post(
        reverse("console:settings_member_invite"),
        {"email": " Neda@Demo.example ", "full_name": "Neda Rahimi", "role": "technician"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:settings_members")
    user = User.objects.get(email="neda@demo.example")
    assert user.full_name == "Neda Rahimi"
    assert not user.has_usable_password()
    membership = _membership(org, user)
    assert (membership.role, membership.is_active) == ("technician", True)
    html = admin_client.get(response["Location"]).content.decode()
    assert "neda@demo.example is now a member, as Technician." in html


def test_invite_an_existing_account_only_offers_the_membership(
    org, other_org, admin_client, charlie_other_org
):
    response = admin_client.post(
        reverse("console:settings_member_invite"),
        {"email": "charlie@other.example", "full_name": "Someone Else", "role": "supervisor"},
    )
    assert response.status_code == 302
    charlie = User.objects.get(pk=charlie_other_org.pk)
    assert charlie.full_name == "Charlie"
    assert charlie.check_password(PASSWORD)
    assert not Membership.objects.filter(organization=org, user=charlie).exists()
    assert StaffInvitation.objects.get(organization=org, user=charlie).role == "supervisor"
    assert _membership(other_org, charlie).role == "admin"
    assert User.objects.filter(email="charlie@other.example").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-email", "role": "agent"}, "email", "Enter a valid email address."),
        ({"email": "", "role": "agent"}, "email", "This field is required."),
        ({"email": "new@demo.example", "role": "owner"}, "role", "Select a valid choice."),
        (
            {"email": "new@demo.example", "full_name": "x" * 201, "role": "agent"},
            "full_name",
            "at most 200 characters",
        ),
        ({"email": "bob@demo.example", "role": "admin"}, "email", "already a member"),
    ],
)
def test_invite_with_bad_input_changes_nothing(org, admin_client, bob_agent, data, field, message):
    before = _memberships(org)
    users = User.objects.count()
    response = admin_client.post(reverse("console:settings_member_invite"), data)
    assert response.status_code == 422
    html = response.content.decode()
    error = html[html.index(f'data-testid="error-{field}"') :]
    assert message in error[: error.index("</div>")]
    assert _memberships(org) == before
    assert User.objects.count() == users


def test_invite_of_a_deactivated_member_points_to_reactivation(org, admin_client, bob_agent):
    Membership.objects.filter(user=bob_agent).update(is_active=False)
    before = _memberships(org)
    response = admin_client.post(
        reverse("console:settings_member_invite"), {"email": "bob@demo.example", "role": "admin"}
    )
    assert response.status_code == 422
    assert "reactivate it from the member list" in response.content.decode()
    assert _memberships(org) == before


def test_admin_changes_a_members_role(org, admin_client, bob_agent):
    membership = _membership(org, bob_agent)
    url = reverse("console:settings_member_edit", args=[membership.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert '<option value="agent" selected>' in page.content.decode()
    response = admin_client.post(url, {"role": "supervisor", "is_active": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("supervisor", True)


def test_deactivated_member_loses_the_console_and_is_reactivated(org, admin_client, bob_agent):
    membership = _membership(org, bob_agent)
    url = reverse("console:settings_member_edit", args=[membership.pk])
    bob = client_for(bob_agent)
    _token, key = api_token_create(user=bob_agent, organization=org, name="erp")

    response = admin_client.post(url, {"role": "agent"})  # an unticked box is not sent
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert bob.get(reverse("tickets:queue")).status_code == 403
    assert api_token_authenticate(key=key) is None

    response = admin_client.post(url, {"role": "agent", "is_active": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is True
    assert bob.get(reverse("tickets:queue")).status_code == 200
    assert api_token_authenticate(key=key) is not None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "agent", "is_active": "on"}, "role", "You cannot remove your own admin role."),
        ({"role": "admin"}, "is_active", "You cannot deactivate your own membership."),
        ({"role": "boss", "is_active": "on"}, "role", "Select a valid choice."),
    ],
)
def test_admin_cannot_demote_or_deactivate_themselves(
    org, admin_client, alice_admin, data, field, message
):
    membership = _membership(org, alice_admin)
    before = _memberships(org)
    response = admin_client.post(
        reverse("console:settings_member_edit", args=[membership.pk]), data
    )
    assert response.status_code == 422
    html = response.content.decode()
    error = html[html.index(f'data-testid="error-{field}"') :]
    assert message in error[: error.index("</div>")]
    assert _memberships(org) == before


def test_the_last_active_admin_cannot_be_demoted(org, alice_admin, sam_supervisor):
    membership = _membership(org, alice_admin)
    before = _memberships(org)
    for role, is_active in (("agent", True), ("admin", False)):
        with pytest.raises(ApplicationError) as caught:
            membership_update(
                membership=membership, role=role, is_active=is_active, actor=sam_supervisor
            )
        assert caught.value.field == "role"
    assert _memberships(org) == before


def test_an_admin_demotes_another_admin(org, admin_client, alice_admin):
    other = user_create(email="omid@demo.example", password=PASSWORD)
    membership = membership_create(organization=org, user=other, role=Membership.Role.ADMIN)
    response = admin_client.post(
        reverse("console:settings_member_edit", args=[membership.pk]),
        {"role": "viewer", "is_active": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_another_organizations_membership_is_404(org, other_org, admin_client, charlie_other_org):
    membership = _membership(other_org, charlie_other_org)
    before = _memberships(other_org)
    url = reverse("console:settings_member_edit", args=[membership.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"role": "viewer"}).status_code == 404
    assert _memberships(other_org) == before


def test_admin_of_another_organization_cannot_manage_this_one(
    org, other_org, alice_admin, charlie_other_org, bob_agent
):
    charlie = client_for(charlie_other_org)
    html = charlie.get(reverse("console:settings_members")).content.decode()
    assert "bob@demo.example" not in html and "alice@demo.example" not in html
    bob_membership = _membership(org, bob_agent)
    url = reverse("console:settings_member_edit", args=[bob_membership.pk])
    assert charlie.get(url).status_code == 404
    assert charlie.post(url, {"role": "admin", "is_active": "on"}).status_code == 404
    assert _membership(org, bob_agent).role == "agent"


# API tokens


def test_token_list_shows_only_my_tokens_here(org, other_org, alice_admin, bob_agent, agent_client):
    mine, _ = api_token_create(user=bob_agent, organization=org, name="ERP sync")
    revoked, _ = api_token_create(user=bob_agent, organization=org, name="Old script")
    api_token_create(user=alice_admin, organization=org, name="Alice's")
    membership_create(organization=other_org, user=bob_agent, role=Membership.Role.AGENT)
    api_token_create(user=bob_agent, organization=other_org, name="Elsewhere")
    client = agent_client
    client.post(reverse("console:settings_token_revoke", args=[revoked.pk]))

    response = client.get(reverse("console:settings_tokens"))
    assert response.status_code == 200
    assert _token_rows(response) == [str(revoked.pk), str(mine.pk)]
    html = response.content.decode()
    assert "ERP sync" in html and f"ac_{mine.prefix}_…" in html
    assert "Alice&#x27;s" not in html and "Elsewhere" not in html
    assert html.count('data-testid="token-revoked"') == 1
    assert html.count('data-testid="revoke-token"') == 1


@pytest.mark.parametrize(
    "who", ["alice_admin", "sam_supervisor", "bob_agent", "tina_technician", "vic_viewer"]
)
def test_every_staff_member_creates_a_token_shown_once(request, org, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    response = client.post(reverse("console:settings_token_create"), {"name": "Shop sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    key = re.search(r'value="(ac_[^"]+)"[^>]*data-testid="token-key"', html).group(1)
    token = ApiToken.objects.get(user=user, organization=org)
    assert token.name == "Shop sync"
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert api_token_authenticate(key=key).token.pk == token.pk
    assert "shown only this once" in html
    later = client.get(reverse("console:settings_tokens")).content.decode()
    assert key not in later
    assert f"ac_{token.prefix}_…" in later


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "This field is required."), ("x" * 101, "at most 100 characters")],
)
def test_token_needs_a_name(org, agent_client, name, message):
    response = agent_client.post(reverse("console:settings_token_create"), {"name": name})
    assert response.status_code == 422
    html = response.content.decode()
    error = html[html.index('data-testid="error-name"') :]
    assert message in error[: error.index("</div>")]
    assert not ApiToken.objects.exists()


def test_token_create_is_post_only(org, agent_client):
    assert agent_client.get(reverse("console:settings_token_create")).status_code == 405
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(org, bob_agent, agent_client):
    token, key = api_token_create(user=bob_agent, organization=org, name="erp")
    url = reverse("console:settings_token_revoke", args=[token.pk])
    assert agent_client.get(url).status_code == 405
    response = agent_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("console:settings_tokens")
    token.refresh_from_db()
    first = token.revoked_at
    assert first is not None
    assert api_token_authenticate(key=key) is None
    # Revoking again keeps the first time.
    assert agent_client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == first


def test_another_users_or_organizations_token_is_404(
    org, other_org, alice_admin, bob_agent, agent_client, charlie_other_org
):
    alices, alice_key = api_token_create(user=alice_admin, organization=org, name="a")
    charlies, charlie_key = api_token_create(
        user=charlie_other_org, organization=other_org, name="c"
    )
    membership_create(organization=other_org, user=bob_agent, role=Membership.Role.AGENT)
    bobs_elsewhere, bob_key = api_token_create(user=bob_agent, organization=other_org, name="b")
    for token in (alices, charlies, bobs_elsewhere):
        url = reverse("console:settings_token_revoke", args=[token.pk])
        assert agent_client.post(url).status_code == 404
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    for key in (alice_key, charlie_key, bob_key):
        assert api_token_authenticate(key=key) is not None


def test_token_list_query_count_does_not_grow(org, bob_agent, agent_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("console:settings_tokens"))
        assert response.status_code == 200
        return len(queries)

    for i in range(3):
        api_token_create(user=bob_agent, organization=org, name=f"t{i}")
    few = count()
    for i in range(27):
        api_token_create(user=bob_agent, organization=org, name=f"more{i}")
    assert ApiToken.objects.count() == 30
    # session, user, memberships (the switcher's too), presence, tokens
    assert count() == few == 5


def test_ids_out_of_range_are_404(org, admin_client):
    big = "9" * 30
    assert admin_client.get(f"/accounts/settings/members/{big}/").status_code == 404
    assert admin_client.post(f"/accounts/settings/tokens/{big}/revoke/").status_code == 404

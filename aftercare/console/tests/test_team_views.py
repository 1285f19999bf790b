"""The teams settings pages: list, create, edit, (de)activate; other organizations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.models import Membership, Team
from aftercare.accounts.services import membership_create, team_create, user_create
from aftercare.accounts.tests.helpers import teams_state
from aftercare.lib.testing import client_for, field_error, row_ids


@pytest.fixture
def repairs(org, bob_agent):
    return team_create(organization=org, name="Repairs", members=[bob_agent])


@pytest.fixture
def foreign_team(other_org, charlie_other_org):
    return team_create(organization=other_org, name="Far team", members=[charlie_other_org])


def test_team_list_shows_every_team_with_members(
    org, supervisor_client, repairs, foreign_team, tina_technician
):
    installs = team_create(organization=org, name="Installations", members=[tina_technician])
    Team.objects.filter(pk=installs.pk).update(is_active=False)
    response = supervisor_client.get(reverse("console:settings_teams"))
    assert response.status_code == 200
    assert row_ids(response, "team") == [str(installs.pk), str(repairs.pk)]
    html = response.content.decode()
    installs_row = html[html.index(f'data-team-id="{installs.pk}"') :]
    installs_row = installs_row[: installs_row.index("</tr>")]
    assert "Tina Tech" in installs_row and 'data-testid="badge-inactive"' in installs_row
    assert "Bob Agent" in html
    assert "Far team" not in html


def test_team_list_query_count_does_not_grow(org, admin_client, bob_agent, tina_technician):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("console:settings_teams"))
        assert response.status_code == 200
        return len(queries)

    for i in range(3):
        team_create(organization=org, name=f"Team {i}", members=[bob_agent, tina_technician])
    few = count()
    for i in range(3, 30):
        team_create(organization=org, name=f"Team {i}", members=[bob_agent])
    # session, user, memberships (the switcher's too), presence, teams, their members
    assert count() == few == 6


def test_create_a_team_with_members(org, supervisor_client, bob_agent, tina_technician):
    page = supervisor_client.get(reverse("console:settings_team_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<span dir="auto">Bob Agent</span> <span class="small text-body-secondary" dir="ltr">'
        in html
    )
    assert 'dir="ltr">bob@demo.example</span>' in html
    response = supervisor_client.post(
        reverse("console:settings_team_create"),
        {"name": " تعمیرات ", "members": [str(bob_agent.pk), str(tina_technician.pk)]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:settings_teams")
    team = Team.objects.get(organization=org)
    assert (team.name, team.is_active) == ("تعمیرات", True)
    assert set(team.members.all()) == {bob_agent, tina_technician}


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no name", "name", "This field is required."),
        ("duplicate", "name", "A team with this name already exists."),
        ("long", "name", "at most 100 characters"),
        ("other org member", "members", "Select a valid choice."),
        ("viewer", "members", "Select a valid choice."),
        ("deactivated member", "members", "Select a valid choice."),
    ],
)
def test_create_a_team_with_bad_input_changes_nothing(
    org, admin_client, repairs, charlie_other_org, vic_viewer, tina_technician, case, field, message
):
    Membership.objects.filter(user=tina_technician).update(is_active=False)
    data = {
        "no name": {"name": ""},
        "duplicate": {"name": "Repairs"},
        "long": {"name": "x" * 101},
        "other org member": {"name": "New", "members": [str(charlie_other_org.pk)]},
        "viewer": {"name": "New", "members": [str(vic_viewer.pk)]},
        "deactivated member": {"name": "New", "members": [str(tina_technician.pk)]},
    }[case]
    before = teams_state(org)
    response = admin_client.post(reverse("console:settings_team_create"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert teams_state(org) == before


def test_edit_a_team(org, admin_client, repairs, bob_agent, tina_technician, sam_supervisor):
    url = reverse("console:settings_team_edit", args=[repairs.pk])
    page = admin_client.get(url).content.decode()
    assert page.count("checked") == 2  # bob's box and the active switch
    response = admin_client.post(
        url,
        {
            "name": "Field repairs",
            "members": [str(tina_technician.pk), str(sam_supervisor.pk)],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    repairs.refresh_from_db()
    assert (repairs.name, repairs.is_active) == ("Field repairs", True)
    assert set(repairs.members.all()) == {tina_technician, sam_supervisor}


def test_deactivate_and_reactivate_a_team(org, admin_client, repairs, bob_agent):
    url = reverse("console:settings_team_edit", args=[repairs.pk])
    data = {"name": "Repairs", "members": [str(bob_agent.pk)]}
    assert admin_client.post(url, data).status_code == 302
    repairs.refresh_from_db()
    assert repairs.is_active is False
    queue = admin_client.get(reverse("tickets:queue")).content.decode()
    assert f"team={repairs.pk}" not in queue
    assert admin_client.post(url, {**data, "is_active": "on"}).status_code == 302
    repairs.refresh_from_db()
    assert repairs.is_active is True
    assert list(repairs.members.all()) == [bob_agent]
    assert f"team={repairs.pk}" in admin_client.get(reverse("tickets:queue")).content.decode()


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("duplicate", "name", "A team with this name already exists."),
        ("no name", "name", "This field is required."),
        ("other org member", "members", "Select a valid choice."),
    ],
)
def test_edit_a_team_with_bad_input_changes_nothing(
    org, admin_client, repairs, charlie_other_org, case, field, message
):
    team_create(organization=org, name="Installations")
    data = {
        "duplicate": {"name": "Installations"},
        "no name": {"name": " "},
        "other org member": {"name": "Repairs", "members": [str(charlie_other_org.pk)]},
    }[case]
    before = teams_state(org)
    url = reverse("console:settings_team_edit", args=[repairs.pk])
    response = admin_client.post(url, {**data, "is_active": ""})
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert teams_state(org) == before


def test_another_organizations_team_is_404(org, other_org, admin_client, foreign_team):
    before = teams_state(other_org)
    url = reverse("console:settings_team_edit", args=[foreign_team.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "Mine", "is_active": "on"}).status_code == 404
    assert teams_state(other_org) == before


def test_supervisor_of_two_organizations_sees_only_the_current_one(
    org, other_org, sam_supervisor, repairs, foreign_team
):
    membership_create(organization=other_org, user=sam_supervisor, role=Membership.Role.ADMIN)
    client = client_for(sam_supervisor)
    html = _team_table(client.get(reverse("console:settings_teams")))
    assert "Repairs" in html and "Far team" not in html
    url = reverse("console:settings_team_edit", args=[foreign_team.pk])
    assert client.get(url).status_code == 404
    client.post(reverse("console:organization_switch"), {"organization_id": str(other_org.pk)})
    html = _team_table(client.get(reverse("console:settings_teams")))
    assert "Far team" in html and "Repairs" not in html


def _team_table(response) -> str:
    """The teams table alone (the settings menu has a "Repairs" section too)."""
    return response.content.decode().split('data-testid="team-table"')[1].split("</table>")[0]


def test_new_staff_member_can_join_a_team(org, admin_client, repairs, bob_agent):
    user = user_create(email="new@demo.example", full_name="New Agent")
    membership_create(organization=org, user=user, role=Membership.Role.AGENT)
    url = reverse("console:settings_team_edit", args=[repairs.pk])
    data = {"name": "Repairs", "members": [str(bob_agent.pk), str(user.pk)], "is_active": "on"}
    assert admin_client.post(url, data).status_code == 302
    assert set(repairs.members.all()) == {bob_agent, user}

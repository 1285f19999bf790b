"""Problem categories' settings pages, and who may open them and the team pages."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.tests.helpers import teams_state
from aftercare.lib.testing import client_for, field_error, row_ids
from aftercare.tickets.models import Category
from aftercare.tickets.services import category_create


def _categories(organization) -> list[tuple]:
    return sorted(
        Category.objects.filter(organization=organization).values_list(
            "pk", "name", "parent_id", "is_active"
        )
    )


@pytest.fixture
def tree(org):
    washers = category_create(organization=org, name="Washers")
    fridges = category_create(organization=org, name="Fridges")
    return {
        "washers": washers,
        "fridges": fridges,
        "leak": category_create(organization=org, name="Leak", parent=washers),
        "drain": category_create(organization=org, name="Drain", parent=washers),
        "noise": category_create(organization=org, name="Noise", parent=fridges),
    }


@pytest.fixture
def foreign_category(other_org):
    return category_create(organization=other_org, name="Far category")


def test_pages_need_sign_in(team, tree):
    for url in (
        reverse("console:settings_teams"),
        reverse("console:settings_team_create"),
        reverse("console:settings_team_edit", args=[team.pk]),
        reverse("tickets:settings_categories"),
        reverse("tickets:settings_category_create"),
        reverse("tickets:settings_category_edit", args=[tree["washers"].pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("who", ["bob_agent", "tina_technician", "vic_viewer"])
def test_only_admins_and_supervisors_manage_teams_and_categories(request, org, team, tree, who):
    client = client_for(request.getfixturevalue(who))
    teams, categories = teams_state(org), _categories(org)
    for url in (
        reverse("console:settings_teams"),
        reverse("console:settings_team_create"),
        reverse("console:settings_team_edit", args=[team.pk]),
        reverse("tickets:settings_categories"),
        reverse("tickets:settings_category_create"),
        reverse("tickets:settings_category_edit", args=[tree["washers"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only admins and supervisors manage teams and categories." in (
            response.content.decode()
        )
    posts = [
        (reverse("console:settings_team_create"), {"name": "Mine"}),
        (reverse("console:settings_team_edit", args=[team.pk]), {"name": "Mine"}),
        (reverse("tickets:settings_category_create"), {"name": "Mine"}),
        (reverse("tickets:settings_category_edit", args=[tree["leak"].pk]), {"name": "Mine"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert teams_state(org) == teams
    assert _categories(org) == categories


def test_category_list_is_a_tree(org, supervisor_client, tree, foreign_category):
    Category.objects.filter(pk=tree["noise"].pk).update(is_active=False)
    response = supervisor_client.get(reverse("tickets:settings_categories"))
    assert response.status_code == 200
    order = ["fridges", "noise", "washers", "drain", "leak"]
    assert row_ids(response, "category") == [str(tree[name].pk) for name in order]
    html = response.content.decode()
    depths = re.findall(
        r'data-testid="category-row" data-category-id="\d+" data-depth="(\d)"', html
    )
    assert depths == ["0", "1", "0", "1", "1"]
    noise_row = html[html.index(f'data-category-id="{tree["noise"].pk}"') :]
    assert 'data-testid="badge-inactive"' in noise_row[: noise_row.index("</tr>")]
    assert "Far category" not in html


def test_category_list_query_count_does_not_grow(org, admin_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("tickets:settings_categories"))
        assert response.status_code == 200
        return len(queries)

    parent = category_create(organization=org, name="Parent")
    for i in range(2):
        category_create(organization=org, name=f"Child {i}", parent=parent)
    few = count()
    for i in range(2, 29):
        category_create(organization=org, name=f"Child {i}", parent=parent)
    assert Category.objects.filter(organization=org).count() == 30
    # session, user, memberships (the switcher's too), presence, categories
    assert count() == few == 5


def test_create_categories_at_the_top_and_under_a_parent(org, supervisor_client, tree):
    Category.objects.filter(pk=tree["fridges"].pk).update(is_active=False)
    page = supervisor_client.get(reverse("tickets:settings_category_create")).content.decode()
    assert f'<option value="{tree["leak"].pk}">Washers / Leak</option>' in page
    assert f'<option value="{tree["fridges"].pk}"' not in page
    url = reverse("tickets:settings_category_create")
    response = supervisor_client.post(url, {"name": "Ovens"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:settings_categories")
    assert Category.objects.get(organization=org, name="Ovens").parent is None
    response = supervisor_client.post(url, {"name": "Noise", "parent_id": tree["washers"].pk})
    assert response.status_code == 302
    assert Category.objects.get(name="Noise", parent=tree["washers"]).is_active


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no name", "name", "This field is required."),
        ("duplicate at top", "name", "A category with this name already exists."),
        ("duplicate under parent", "name", "A category with this name already exists."),
        ("other org parent", "parent_id", "Select a valid choice."),
        ("inactive parent", "parent_id", "Select a valid choice."),
    ],
)
def test_create_a_category_with_bad_input_changes_nothing(
    org, admin_client, tree, foreign_category, case, field, message
):
    Category.objects.filter(pk=tree["fridges"].pk).update(is_active=False)
    data = {
        "no name": {"name": ""},
        "duplicate at top": {"name": "Washers"},
        "duplicate under parent": {"name": "Leak", "parent_id": tree["washers"].pk},
        "other org parent": {"name": "New", "parent_id": foreign_category.pk},
        "inactive parent": {"name": "New", "parent_id": tree["fridges"].pk},
    }[case]
    before = _categories(org)
    response = admin_client.post(reverse("tickets:settings_category_create"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _categories(org) == before


def test_rename_a_category(org, admin_client, tree):
    url = reverse("tickets:settings_category_edit", args=[tree["leak"].pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Under Washers" in page.content.decode()
    response = admin_client.post(url, {"name": "Water leak", "is_active": "on"})
    assert response.status_code == 302
    leak = Category.objects.get(pk=tree["leak"].pk)
    assert (leak.name, leak.parent_id, leak.is_active) == ("Water leak", tree["washers"].pk, True)


def test_deactivate_and_reactivate_a_category_tree(org, admin_client, tree):
    def edit(name: str, active: bool):
        category = tree[name]
        data = {"name": category.name, **({"is_active": "on"} if active else {})}
        url = reverse("tickets:settings_category_edit", args=[category.pk])
        return admin_client.post(url, data)

    # A parent goes only once its subcategories have gone.
    before = _categories(org)
    response = edit("washers", False)
    assert response.status_code == 422
    assert "Deactivate its subcategories first." in field_error(response, "is_active")
    assert _categories(org) == before

    assert edit("leak", False).status_code == 302
    assert edit("drain", False).status_code == 302
    assert edit("washers", False).status_code == 302
    assert not Category.objects.filter(pk__in=[tree[n].pk for n in ("washers", "leak")]).filter(
        is_active=True
    )
    new_request = admin_client.get(reverse("tickets:create")).content.decode()
    assert f'<option value="{tree["washers"].pk}">Washers</option>' not in new_request

    # A subcategory comes back only under an active parent.
    before = _categories(org)
    response = edit("leak", True)
    assert response.status_code == 422
    assert "Reactivate its parent category first." in field_error(response, "is_active")
    assert _categories(org) == before
    assert edit("washers", True).status_code == 302
    assert edit("leak", True).status_code == 302
    assert Category.objects.get(pk=tree["leak"].pk).is_active
    new_request = admin_client.get(reverse("tickets:create")).content.decode()
    assert f'<option value="{tree["washers"].pk}">Washers</option>' in new_request


def test_rename_to_a_sibling_name_changes_nothing(org, admin_client, tree):
    before = _categories(org)
    url = reverse("tickets:settings_category_edit", args=[tree["leak"].pk])
    response = admin_client.post(url, {"name": "Drain", "is_active": "on"})
    assert response.status_code == 422
    assert "A category with this name already exists." in field_error(response, "name")
    assert _categories(org) == before
    # The same name under another parent is fine.
    response = admin_client.post(url, {"name": "Noise", "is_active": "on"})
    assert response.status_code == 302


def test_another_organizations_category_is_404(org, other_org, admin_client, foreign_category):
    before = _categories(other_org)
    url = reverse("tickets:settings_category_edit", args=[foreign_category.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "Mine", "is_active": "on"}).status_code == 404
    assert _categories(other_org) == before


def test_ids_out_of_range_are_404(org, admin_client):
    big = "9" * 30
    for url in (f"/settings/teams/{big}/", f"/settings/categories/{big}/"):
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url, {"name": "x", "is_active": "on"}).status_code == 404

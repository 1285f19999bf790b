"""GET /api/v1/audit/: admins' tokens only, one organization's entries, filters, pages, and
the events the token and team handlers record."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.models import AuditEntry
from aftercare.accounts.services import AuditAction, api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.lib.testing import PASSWORD

UTC = datetime.UTC


def _entry(*, organization=None, actor=None, action=AuditAction.SIGN_IN, at=None, **extra):
    return AuditEntry.objects.create(
        organization=organization,
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        created_at=at or datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        **extra,
    )


@pytest.fixture
def admin_api(org, alice_admin):
    _token, key = api_token_create(user=alice_admin, organization=org, name="audit")
    return ApiClient(key)


def _ids(answer) -> list[int]:
    assert answer.status == 200, answer.body
    return [row["id"] for row in answer.body["items"]]


def test_admins_list_their_organizations_entries_with_filters(
    org, other_org, admin_api, alice_admin, bob_agent, charlie_other_org
):
    made = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATED)
    team = _entry(
        organization=org,
        actor=alice_admin,
        action=AuditAction.TEAM_CHANGED,
        at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        target_type="accounts.team",
        target_id="3",
        target_label="Workshop",
        ip="10.0.0.1",
        data={"name": {"from": "Repairs", "to": "Workshop"}},
    )
    sign_in = _entry(actor=bob_agent, at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    _entry(organization=other_org, actor=charlie_other_org)
    _entry(actor=charlie_other_org)
    assert _ids(admin_api.get("/audit/")) == [made.pk, sign_in.pk, team.pk]
    row = admin_api.get("/audit/", {"action": "team_changed"}).body["items"][0]
    assert row == {
        "id": team.pk,
        "created_at": "2026-03-01T09:00:00Z",
        "organization_id": org.pk,
        "action": "team_changed",
        "actor": {"id": alice_admin.pk, "name": "Alice Admin", "email": "alice@demo.example"},
        "actor_email": "alice@demo.example",
        "target_type": "accounts.team",
        "target_id": "3",
        "target_label": "Workshop",
        "ip": "10.0.0.1",
        "user_agent": "",
        "data": {"name": {"from": "Repairs", "to": "Workshop"}},
    }
    assert _ids(admin_api.get("/audit/", {"actor_id": bob_agent.pk})) == [sign_in.pk]
    assert _ids(admin_api.get("/audit/", {"since": "2026-03-02", "until": "2026-03-02"})) == [
        sign_in.pk
    ]
    assert _ids(admin_api.get("/audit/", {"ip": "10.0.0.1"})) == [team.pk]
    assert _ids(admin_api.get("/audit/", {"target": "works"})) == [team.pk]
    first = admin_api.get("/audit/", {"limit": 2})
    assert _ids(first) == [made.pk, sign_in.pk]
    rest = admin_api.get("/audit/", {"limit": 2, "cursor": first.body["next_cursor"]})
    assert _ids(rest) == [team.pk] and rest.body["next_cursor"] is None


def test_bad_filters_answer_422_naming_the_field(admin_api):
    answer = admin_api.get("/audit/", {"action": "coffee_made"})
    assert (answer.status, answer.field) == (422, "action")
    answer = admin_api.get("/audit/", {"since": "2026-03-02", "until": "2026-03-01"})
    assert (answer.status, answer.field) == (422, "until")
    answer = admin_api.get("/audit/", {"cursor": "nonsense"})
    assert (answer.status, answer.field) == (422, "cursor")


def test_everyone_but_admins_is_refused(agent_api, viewer_api, manager_api):
    for api in (agent_api, viewer_api, manager_api):
        assert api.get("/audit/").status == 403


def test_the_other_organization_sees_none_of_ours(org, admin_api, outsider_api, alice_admin):
    _entry(organization=org, actor=alice_admin, action=AuditAction.TEAM_CREATED)
    theirs = AuditEntry.objects.filter(action=AuditAction.TOKEN_CREATED, organization__slug="other")
    assert _ids(outsider_api.get("/audit/")) == [entry.pk for entry in theirs]


def test_list_query_count_does_not_grow(org, admin_api, alice_admin, bob_agent):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            answer = admin_api.get("/audit/", {"limit": 100})
        assert answer.status == 200
        return len(queries)

    count()  # the token's first use is recorded once: not part of what is measured
    for _ in range(5):
        _entry(organization=org, actor=alice_admin, action=AuditAction.TEAM_CREATED)
        _entry(actor=bob_agent)
    few = count()
    for _ in range(45):
        _entry(organization=org, actor=alice_admin, action=AuditAction.TEAM_CREATED)
        _entry(actor=bob_agent)
    assert count() == few


def test_token_and_team_handlers_record_who_and_from_where(org, api_client, alice_admin, bob_agent):
    answer = api_client.post(
        "/api/v1/auth/token",
        {"email": "alice@demo.example", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.8",
        HTTP_USER_AGENT="erp-sync/2",
    )
    assert answer.status_code == 200, answer.content
    api = ApiClient(answer.json()["token"])
    created = api.post("/teams/", {"name": "Repairs", "member_ids": [bob_agent.pk]})
    assert created.status == 201
    assert api.patch(f"/teams/{created.body['id']}", {"name": "Workshop"}).status == 200
    assert api.send("DELETE", "/auth/token").status == 204
    recorded = list(
        AuditEntry.objects.order_by("id").values_list(
            "action", "organization_id", "actor_id", "ip", "user_agent"
        )
    )
    assert recorded[0] == ("token_created", org.pk, alice_admin.pk, "198.51.100.8", "erp-sync/2")
    assert [row[:3] for row in recorded[1:]] == [
        ("team_created", org.pk, alice_admin.pk),
        ("team_changed", org.pk, alice_admin.pk),
        ("token_revoked", org.pk, alice_admin.pk),
    ]
    assert all(row[3] == "127.0.0.1" for row in recorded[1:])

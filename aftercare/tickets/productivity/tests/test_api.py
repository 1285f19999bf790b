"""API v1 of canned answers, macros, saved views and bulk actions: through HTTP, with real
tokens of every role; refusals change nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.accounts.models import Membership
from aftercare.accounts.services import api_token_create, team_create
from aftercare.api.tests.client import ApiClient
from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from aftercare.tickets.productivity.models import CannedAnswer, Macro, SavedView
from aftercare.tickets.productivity.selectors import saved_views_with_counts
from aftercare.tickets.productivity.services import (
    canned_answer_create,
    macro_create,
    saved_view_create,
)
from aftercare.tickets.tests.factories import make_ticket
from aftercare.tickets.tests.helpers import ticket_state


def _membership(org, user) -> Membership:
    return Membership.objects.select_related("organization", "user").get(
        organization=org, user=user
    )


@pytest.fixture
def admin_api(org, alice_admin):
    _token, key = api_token_create(user=alice_admin, organization=org, name="admin")
    return ApiClient(key)


@pytest.fixture
def admin_write_api(org, alice_admin):
    """An admin's token that may write but not manage."""
    _token, key = api_token_create(user=alice_admin, organization=org, name="write", scope="write")
    return ApiClient(key)


@pytest.fixture
def viewer_read_api(org, vic_viewer):
    _token, key = api_token_create(user=vic_viewer, organization=org, name="read", scope="read")
    return ApiClient(key)


@pytest.fixture
def shared_answer(org, alice_admin):
    return canned_answer_create(
        membership=_membership(org, alice_admin),
        name="Photo",
        body="Hello {{ customer_name }}, please send a photo of {{ request_number }}.",
        scope="organization",
    )


@pytest.fixture
def foreign_answer(other_org, charlie_other_org):
    return canned_answer_create(
        membership=_membership(other_org, charlie_other_org), name="Theirs", body="Hi"
    )


def _delete(api: ApiClient, path: str):
    return api.send("DELETE", path)


# --- Canned answers ---


def test_an_agent_creates_reads_changes_and_deletes_their_own_canned_answer(org, agent_api):
    created = agent_api.post(
        "/canned-answers/",
        {"name": "Thanks", "body": "Thank you, {{ customer_name }}.", "language": "en"},
    )
    assert created.status == 201
    body = created.body
    assert (body["name"], body["language"], body["scope"], body["team"]) == (
        "Thanks",
        "en",
        "personal",
        None,
    )
    assert body["owner"]["email"] == "bob@demo.example"
    answer_id = body["id"]
    assert agent_api.get(f"/canned-answers/{answer_id}").body["body"] == (
        "Thank you, {{ customer_name }}."
    )
    changed = agent_api.patch(f"/canned-answers/{answer_id}", {"name": "Thank you"})
    assert (changed.status, changed.body["name"], changed.body["language"]) == (
        200,
        "Thank you",
        "en",
    )
    assert _delete(agent_api, f"/canned-answers/{answer_id}").status == 204
    assert not CannedAnswer.objects.filter(pk=answer_id).exists()


def test_canned_answer_list_filters_by_language_and_scope(
    org, alice_admin, bob_agent, agent_api, shared_answer
):
    manager = _membership(org, alice_admin)
    canned_answer_create(
        membership=manager, name="Farsi", body="سلام", language="fa", scope="organization"
    )
    canned_answer_create(membership=manager, name="Alice's own", body="Mine")
    canned_answer_create(membership=_membership(org, bob_agent), name="Bob's", body="x")
    names = [item["name"] for item in agent_api.get("/canned-answers/").body["items"]]
    assert names == ["Bob's", "Farsi", "Photo"]  # by name; never someone else's personal one
    in_english = agent_api.get("/canned-answers/", {"language": "en"}).body["items"]
    assert [item["name"] for item in in_english] == ["Bob's", "Photo"]  # every language's too
    personal = agent_api.get("/canned-answers/", {"scope": "personal"}).body["items"]
    assert [item["name"] for item in personal] == ["Bob's"]
    bad = agent_api.get("/canned-answers/", {"language": "xx"})
    assert (bad.status, bad.field) == (422, "language")


def test_canned_answer_list_pages_with_a_cursor_in_a_flat_number_of_queries(
    org, alice_admin, bob_agent, agent_api, team
):
    manager = _membership(org, alice_admin)

    def measure() -> int:
        agent_api.get("/canned-answers/")
        with CaptureQueriesContext(connection) as queries:
            assert agent_api.get("/canned-answers/", {"limit": 100}).status == 200
        return len(queries)

    canned_answer_create(membership=manager, name="a", body="x", scope="team", team=team)
    few = measure()
    for index in range(12):
        canned_answer_create(
            membership=manager, name=f"n{index:02}", body="x", scope="team", team=team
        )
    assert measure() == few
    first = agent_api.get("/canned-answers/", {"limit": 5}).body
    second = agent_api.get("/canned-answers/", {"limit": 5, "cursor": first["next_cursor"]}).body
    assert [item["name"] for item in first["items"] + second["items"]] == [
        "a",
        *[f"n{index:02}" for index in range(9)],
    ]


def test_canned_answer_input_errors_name_the_field_and_create_nothing(
    org, other_org, manager_api, agent_api
):
    foreign_team = team_create(organization=other_org, name="Theirs")
    cases = [
        ({"name": "x", "body": "{{ secret }}"}, "body"),
        ({"name": "", "body": "x"}, "name"),
        ({"name": "x"}, "body"),
        ({"name": "x", "body": "y", "language": "xx"}, "language"),
        ({"name": "x", "body": "y", "scope": "everyone"}, "scope"),
        ({"name": "x", "body": "y", "scope": "team"}, "team_id"),
        ({"name": "x", "body": "y", "scope": "team", "team_id": foreign_team.pk}, "team_id"),
        ({"name": 5, "body": "y"}, "name"),
    ]
    for body, field in cases:
        answer = manager_api.post("/canned-answers/", body)
        assert (answer.status, answer.field) == (422, field), body
    assert not CannedAnswer.objects.exists()


def test_sharing_a_canned_answer_needs_a_manager_and_a_token_that_manages(
    org, team, agent_api, admin_write_api, manager_api
):
    for api in (agent_api, admin_write_api):
        refused = api.post("/canned-answers/", {"name": "x", "body": "y", "scope": "organization"})
        assert refused.status == 403
    assert not CannedAnswer.objects.exists()
    shared = manager_api.post(
        "/canned-answers/", {"name": "x", "body": "y", "scope": "team", "team_id": team.pk}
    )
    assert (shared.status, shared.body["team"]) == (201, {"id": team.pk, "name": team.name})


def test_a_shared_canned_answer_is_changed_only_by_managers(
    org, agent_api, admin_write_api, manager_api, shared_answer
):
    path = f"/canned-answers/{shared_answer.pk}"
    for api in (agent_api, admin_write_api):
        assert api.patch(path, {"name": "Mine now"}).status == 403
        assert _delete(api, path).status == 403
    shared_answer.refresh_from_db()
    assert shared_answer.name == "Photo"
    assert manager_api.patch(path, {"name": "Photo please"}).body["name"] == "Photo please"
    assert _delete(manager_api, path).status == 204


def test_an_agent_cannot_share_their_own_canned_answer_by_changing_it(org, bob_agent, agent_api):
    own = canned_answer_create(membership=_membership(org, bob_agent), name="x", body="y")
    refused = agent_api.patch(f"/canned-answers/{own.pk}", {"scope": "organization"})
    assert refused.status == 403
    own.refresh_from_db()
    assert own.scope == "personal"


def test_someone_elses_personal_canned_answer_and_another_organizations_are_404(
    org, alice_admin, agent_api, outsider_api, foreign_answer, shared_answer
):
    alices = canned_answer_create(membership=_membership(org, alice_admin), name="a", body="b")
    for api, answer in (
        (agent_api, alices),
        (agent_api, foreign_answer),
        (outsider_api, shared_answer),
    ):
        path = f"/canned-answers/{answer.pk}"
        assert api.get(path).status == 404
        assert api.patch(path, {"name": "z"}).status == 404
        assert _delete(api, path).status == 404
    assert CannedAnswer.objects.count() == 3


def test_a_canned_answer_a_macro_uses_is_not_deleted(org, alice_admin, manager_api, shared_answer):
    macro_create(
        membership=_membership(org, alice_admin),
        name="Ask",
        message_kind="reply",
        canned_answer=shared_answer,
    )
    refused = _delete(manager_api, f"/canned-answers/{shared_answer.pk}")
    assert (refused.status, refused.field) == (422, "canned_answer_id")
    assert CannedAnswer.objects.filter(pk=shared_answer.pk).exists()


def test_viewers_and_read_tokens_do_not_use_canned_answers(viewer_api, viewer_read_api):
    assert viewer_api.get("/canned-answers/").status == 403
    assert viewer_read_api.get("/macros/").status == 403


def test_render_fills_a_canned_answer_for_the_request_in_its_customers_language(
    org, customer, agent_api, shared_answer, outsider_api, foreign_answer
):
    ticket = make_ticket(organization=org, customer=customer)
    path = f"/tickets/{ticket.pk}/canned-answers/{shared_answer.pk}/render"
    answer = agent_api.get(path)
    assert answer.status == 200
    assert answer.body == {
        "canned_answer_id": shared_answer.pk,
        "ticket_id": ticket.pk,
        "language": "fa",
        "text": f"Hello Maryam Ahmadi, please send a photo of {ticket.reference}.",
    }
    assert outsider_api.get(path).status == 404
    foreign = f"/tickets/{ticket.pk}/canned-answers/{foreign_answer.pk}/render"
    assert agent_api.get(foreign).status == 404


# --- Macros ---


def test_a_macro_is_created_and_applied_to_a_request(org, customer, bob_agent, agent_api, team):
    created = agent_api.post(
        "/macros/",
        {
            "name": "Waiting for photo",
            "status": "pending_customer",
            "priority": Priority.HIGH,
            "set_team_id": team.pk,
            "assign": "me",
            "tags_add": ["photo"],
            "message_kind": "reply",
            "body": "{{ customer_name }}, a photo please.",
        },
    )
    assert created.status == 201, created.body
    macro = created.body
    assert (macro["set_team"], macro["tags_add"], macro["scope"]) == (
        {"id": team.pk, "name": team.name},
        ["photo"],
        "personal",
    )
    ticket = make_ticket(organization=org, customer=customer)
    applied = agent_api.post(f"/tickets/{ticket.pk}/macros/{macro['id']}/apply")
    assert applied.status == 200
    assert (
        applied.body["status"],
        applied.body["priority"],
        applied.body["team"]["id"],
        applied.body["assignee"]["id"],
        applied.body["tags"],
    ) == ("pending_customer", Priority.HIGH, team.pk, bob_agent.pk, ["photo"])
    reply = TicketMessage.objects.get(ticket=ticket)
    assert (reply.kind, reply.body) == ("reply", "Maryam Ahmadi, a photo please.")


def test_a_refused_macro_changes_nothing_and_says_why(org, customer, alice_admin, agent_api):
    macro = macro_create(
        membership=_membership(org, alice_admin),
        name="Urgent reply",
        scope="organization",
        priority=Priority.URGENT,
        message_kind="reply",
        body="On it.",
    )
    ticket = make_ticket(organization=org, customer=customer)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, is_open=False)
    before = ticket_state(ticket)
    refused = agent_api.post(f"/tickets/{ticket.pk}/macros/{macro.pk}/apply")
    assert refused.status == 422
    assert ticket_state(ticket) == before


def test_macro_input_errors_name_the_field(org, other_org, agent_api, foreign_answer):
    foreign_team = team_create(organization=other_org, name="Theirs")
    cases = [
        ({"name": "x"}, "status"),  # changes nothing
        ({"name": "x", "set_team_id": foreign_team.pk}, "set_team_id"),
        ({"name": "x", "assign": "member"}, "set_assignee_id"),
        ({"name": "x", "assign": "member", "set_assignee_id": 10**9}, "set_assignee_id"),
        ({"name": "x", "message_kind": "reply"}, "body"),
        (
            {"name": "x", "message_kind": "reply", "canned_answer_id": foreign_answer.pk},
            "canned_answer_id",
        ),
        ({"name": "x", "priority": 9}, "priority"),
        ({"name": "x", "status": "gone"}, "status"),
        ({"name": "x", "tags_add": ["t"] * 21}, "tags_add"),
    ]
    for body, field in cases:
        answer = agent_api.post("/macros/", body)
        assert (answer.status, answer.field) == (422, field), body
    assert not Macro.objects.exists()


def test_macros_of_others_are_404_and_shared_ones_change_only_by_managers(
    org, alice_admin, customer, agent_api, manager_api, outsider_api
):
    manager = _membership(org, alice_admin)
    shared = macro_create(membership=manager, name="Shared", scope="organization", priority=4)
    alices = macro_create(membership=manager, name="Alice's", priority=4)
    ticket = make_ticket(organization=org, customer=customer)
    assert agent_api.get(f"/macros/{alices.pk}").status == 404
    assert agent_api.post(f"/tickets/{ticket.pk}/macros/{alices.pk}/apply").status == 404
    assert outsider_api.get(f"/macros/{shared.pk}").status == 404
    assert outsider_api.post(f"/tickets/{ticket.pk}/macros/{shared.pk}/apply").status == 404
    assert agent_api.patch(f"/macros/{shared.pk}", {"name": "x"}).status == 403
    assert _delete(agent_api, f"/macros/{shared.pk}").status == 403
    assert Macro.objects.get(pk=shared.pk).name == "Shared"
    changed = manager_api.patch(f"/macros/{shared.pk}", {"priority": None, "status": "open"})
    assert (changed.status, changed.body["priority"], changed.body["status"]) == (200, None, "open")
    assert [item["name"] for item in agent_api.get("/macros/").body["items"]] == ["Shared"]
    assert _delete(manager_api, f"/macros/{shared.pk}").status == 204


def test_macro_list_queries_are_flat(org, alice_admin, team, agent_api, shared_answer):
    manager = _membership(org, alice_admin)

    def measure() -> int:
        agent_api.get("/macros/")
        with CaptureQueriesContext(connection) as queries:
            assert agent_api.get("/macros/").status == 200
        return len(queries)

    def add(index: int) -> None:
        macro_create(
            membership=manager,
            name=f"m{index}",
            scope="team",
            team=team,
            set_team=team,
            assign="member",
            set_assignee=manager.user,
            message_kind="reply",
            canned_answer=shared_answer,
        )

    add(0)
    few = measure()
    for index in range(1, 10):
        add(index)
    assert measure() == few


# --- Saved views ---


def test_saved_views_are_created_listed_with_counts_changed_and_deleted(
    org, customer, bob_agent, agent_api
):
    make_ticket(organization=org, customer=customer, priority=Priority.URGENT)
    make_ticket(organization=org, customer=customer, priority=Priority.URGENT, assignee=bob_agent)
    created = agent_api.post(
        "/saved-views/",
        {"name": "Urgent", "filters": {"priority": Priority.URGENT, "assignee": "none"}},
    )
    assert created.status == 201, created.body
    view = created.body
    assert (view["filters"]["priority"], view["filters"]["assignee"], view["count"]) == (
        Priority.URGENT,
        "none",
        1,
    )
    assert SavedView.objects.get(pk=view["id"]).filters == {"priority": "4", "assignee": "none"}
    listed = agent_api.get("/saved-views/").body["items"]
    assert [(item["name"], item["count"]) for item in listed] == [("Urgent", 1)]
    changed = agent_api.patch(
        f"/saved-views/{view['id']}", {"filters": {"priority": Priority.URGENT}}
    )
    assert (changed.status, changed.body["count"]) == (200, 2)
    assert _delete(agent_api, f"/saved-views/{view['id']}").status == 204
    assert not SavedView.objects.exists()


def test_saved_view_input_errors_name_the_field(org, other_org, agent_api):
    foreign_team = team_create(organization=other_org, name="Theirs")
    cases = [
        ({"name": ""}, "name"),
        ({"name": "x", "filters": {"sort": "random"}}, "filters.sort"),
        ({"name": "x", "filters": {"queue": "everything"}}, "filters.queue"),
        ({"name": "x", "filters": {"team": foreign_team.pk}}, "filters.team"),
        ({"name": "x", "filters": {"assignee": 10**9}}, "filters.assignee"),
        ({"name": "x", "filters": {"priority": "4"}}, "filters.priority"),
        ({"name": "x", "is_shared": "yes"}, "is_shared"),
    ]
    for body, field in cases:
        answer = agent_api.post("/saved-views/", body)
        assert (answer.status, answer.field) == (422, field), body
    assert not SavedView.objects.exists()


def test_viewers_keep_views_of_their_own_but_read_tokens_do_not_write(viewer_api, viewer_read_api):
    assert viewer_api.post("/saved-views/", {"name": "Mine"}).status == 201
    assert viewer_read_api.post("/saved-views/", {"name": "Mine too"}).status == 403
    assert viewer_read_api.get("/saved-views/").body["items"][0]["name"] == "Mine"
    assert SavedView.objects.count() == 1


def test_shared_views_are_managers_and_personal_ones_their_owners(
    org, alice_admin, agent_api, admin_write_api, manager_api, outsider_api
):
    manager = _membership(org, alice_admin)
    shared = saved_view_create(membership=manager, name="Team", filters={}, is_shared=True)
    alices = saved_view_create(membership=manager, name="Alice's", filters={})
    assert agent_api.post("/saved-views/", {"name": "x", "is_shared": True}).status == 403
    for api in (agent_api, admin_write_api):
        assert api.patch(f"/saved-views/{shared.pk}", {"name": "x"}).status == 403
        assert _delete(api, f"/saved-views/{shared.pk}").status == 403
    assert agent_api.get(f"/saved-views/{alices.pk}").status == 404
    assert _delete(agent_api, f"/saved-views/{alices.pk}").status == 404
    assert outsider_api.get(f"/saved-views/{shared.pk}").status == 404
    assert SavedView.objects.count() == 2
    assert manager_api.patch(f"/saved-views/{shared.pk}", {"position": 3}).body["position"] == 3


def test_saved_view_list_queries_are_flat(org, alice_admin, customer, agent_api):
    manager = _membership(org, alice_admin)
    make_ticket(organization=org, customer=customer)

    def measure() -> int:
        agent_api.get("/saved-views/")
        with CaptureQueriesContext(connection) as queries:
            assert agent_api.get("/saved-views/").status == 200
        return len(queries)

    saved_view_create(membership=manager, name="v0", filters={"queue": "all"}, is_shared=True)
    few = measure()
    for index in range(1, 10):
        saved_view_create(
            membership=manager, name=f"v{index}", filters={"priority": "2"}, is_shared=True
        )
    assert measure() == few


def _queue_rows(client, query: dict) -> int:
    response = client.get(reverse("tickets:queue"), query)
    assert response.status_code == 200
    return response.content.decode().count('data-testid="queue-row"')


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"queue": "at_risk"},
        {"queue": "at_risk", "sort": "-updated"},
        {"queue": "all", "sort": "sla_due"},
        {"queue": "mine"},
        {"queue": "unassigned", "priority": "4"},
        {"queue": "all", "sla": "at_risk"},
        {"queue": "all", "status": "closed"},
        {"assignee": "none", "kind": "repair"},
    ],
)
def test_a_saved_view_and_the_queue_with_the_same_filters_agree(
    org, alice_admin, bob_agent, customer, agent_client, filters
):
    now = timezone.now()
    soon = now + datetime.timedelta(hours=1)
    make_ticket(organization=org, customer=customer, priority=Priority.URGENT)
    make_ticket(organization=org, customer=customer, assignee=bob_agent)
    warning = make_ticket(organization=org, customer=customer)
    Ticket.objects.filter(pk=warning.pk).update(sla_state="warning", sla_due_at=soon)
    # At risk by its state, but with no due time: the at-risk queue, read by due time, leaves
    # it out.
    breached = make_ticket(organization=org, customer=customer)
    Ticket.objects.filter(pk=breached.pk).update(sla_state="breached")
    closed = make_ticket(organization=org, customer=customer)
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED, is_open=False)
    saved_view_create(
        membership=_membership(org, alice_admin), name="V", filters=filters, is_shared=True
    )
    ((_view, count),) = saved_views_with_counts(membership=_membership(org, bob_agent))
    assert count == _queue_rows(agent_client, filters)


# --- Many at once ---


def test_bulk_assigns_every_request_named(org, customer, bob_agent, agent_api):
    tickets = [make_ticket(organization=org, customer=customer) for _ in range(3)]
    answer = agent_api.post(
        "/tickets/bulk",
        {"ticket_ids": [t.pk for t in tickets], "action": "assign", "assignee_id": bob_agent.pk},
    )
    assert answer.status == 200, answer.body
    assert [item["assignee"]["id"] for item in answer.body["items"]] == [bob_agent.pk] * 3
    assert Ticket.objects.filter(assignee=bob_agent).count() == 3


def test_bulk_tags_and_priority(org, customer, agent_api):
    tickets = [make_ticket(organization=org, customer=customer, tags=["old"]) for _ in range(2)]
    ids = [ticket.pk for ticket in tickets]
    added = agent_api.post("/tickets/bulk", {"ticket_ids": ids, "action": "tag_add", "tags": ["x"]})
    assert [item["tags"] for item in added.body["items"]] == [["old", "x"]] * 2
    removed = agent_api.post(
        "/tickets/bulk", {"ticket_ids": ids, "action": "tag_remove", "tags": ["old"]}
    )
    assert [item["tags"] for item in removed.body["items"]] == [["x"]] * 2
    urgent = agent_api.post(
        "/tickets/bulk", {"ticket_ids": ids, "action": "priority", "priority": Priority.URGENT}
    )
    assert {item["priority"] for item in urgent.body["items"]} == {Priority.URGENT}


def test_bulk_refusals_name_the_field_and_change_nothing(
    org, other_org, customer, bob_agent, agent_api
):
    tickets = [make_ticket(organization=org, customer=customer) for _ in range(2)]
    closed = make_ticket(organization=org, customer=customer)
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED, is_open=False)
    foreign = make_ticket(organization=other_org)
    ids = [ticket.pk for ticket in tickets]
    before = [ticket_state(ticket) for ticket in [*tickets, closed, foreign]]
    cases = [
        ({"ticket_ids": [*ids, foreign.pk], "action": "status", "status": "open"}, "ticket_ids"),
        ({"ticket_ids": [], "action": "status", "status": "open"}, "ticket_ids"),
        ({"ticket_ids": ids, "action": "status"}, "status"),
        ({"ticket_ids": ids, "action": "priority"}, "priority"),
        ({"ticket_ids": ids, "action": "explode"}, "action"),
        ({"ticket_ids": ids, "action": "assign", "assignee_id": 10**9}, "assignee_id"),
        ({"ticket_ids": ids, "action": "tag_add"}, "tags"),
        ({"ticket_ids": ids, "action": "merge"}, "target_id"),
        ({"ticket_ids": ids, "action": "merge", "target_id": foreign.pk}, "target_id"),
        ({"ticket_ids": [*ids, closed.pk], "action": "status", "status": "open"}, "status"),
    ]
    for body, field in cases:
        answer = agent_api.post("/tickets/bulk", body)
        assert (answer.status, answer.field) == (422, field), (body, answer.body)
    assert [ticket_state(ticket) for ticket in [*tickets, closed, foreign]] == before


def test_bulk_merge_closes_the_duplicates_into_the_target(org, customer, agent_api):
    target, first, second = (make_ticket(organization=org, customer=customer) for _ in range(3))
    answer = agent_api.post(
        "/tickets/bulk",
        {"ticket_ids": [target.pk, first.pk, second.pk], "action": "merge", "target_id": target.pk},
    )
    assert answer.status == 200, answer.body
    assert [item["id"] for item in answer.body["items"]] == [target.pk]
    assert set(Ticket.objects.filter(merged_into=target).values_list("pk", "status")) == {
        (first.pk, Status.CLOSED),
        (second.pk, Status.CLOSED),
    }


def test_bulk_with_an_idempotency_key_is_done_once(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer, tags=["a"])
    body = {"ticket_ids": [ticket.pk], "action": "tag_add", "tags": ["b"]}
    headers = {"Idempotency-Key": "bulk-1"}
    first = agent_api.post("/tickets/bulk", body, headers=headers)
    again = agent_api.post("/tickets/bulk", body, headers=headers)
    assert (first.status, again.status) == (200, 200)
    assert again.response["Idempotent-Replayed"] == "true"
    assert again.body == first.body
    assert Ticket.objects.get(pk=ticket.pk).tag_names == ["a", "b"]
    assert TicketEvent.objects.filter(ticket=ticket, kind="tags_changed").count() == 1

"""API v1 of notifications, the outbound log: managers only, newest first, filtered and
keyset-paged with a flat query count; another organization's notices answer 404."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.dateparse import parse_datetime

from aftercare.api.tests.client import ApiClient
from aftercare.customers.services import customer_create
from aftercare.notifications.models import Notice
from aftercare.notifications.services import (
    notice_send,
)
from aftercare.notifications.tests.api_support import (
    queue_notice,
)

# --- The outbound log ---


def test_managers_read_the_outbound_log_newest_first_with_every_field(
    org, customer, bob_agent, manager_api, admin_api
):
    to_customer = queue_notice(org, key="c1", customer=customer)
    to_staff = queue_notice(
        org,
        key="s1",
        event=Notice.Event.ASSIGNED,
        user=bob_agent,
        recipient="bob@demo.example",
        ticket_id=43,
    )
    answer = manager_api.get("/notices/")
    assert answer.status == 200, answer.body
    assert answer.body["next_cursor"] is None
    assert [row["id"] for row in answer.body["items"]] == [to_staff.pk, to_customer.pk]
    item = dict(answer.body["items"][1])
    # Written to the millisecond.
    created_at = parse_datetime(item.pop("created_at"))
    assert abs(created_at - to_customer.created_at) < datetime.timedelta(milliseconds=1)
    assert item == {
        "id": to_customer.pk,
        "event": "replied",
        "channel": "email",
        "recipient": "maryam@example.com",
        "language": "en",
        "state": "queued",
        "attempts": 0,
        "last_error": "",
        "ticket_id": 42,
        "customer_id": customer.pk,
        "user_id": None,
        "subject": "",
        "message_id": "",
        "sent_at": None,
    }
    assert answer.body["items"][0]["user_id"] == bob_agent.pk
    assert admin_api.get("/notices/").body == answer.body
    # The reply address carries the request's token: it is never shown.
    assert "s3cret-reply-token" not in json.dumps(answer.body)


def test_a_notice_comes_with_its_sending_attempts(org, customer, manager_api):
    notice = queue_notice(org, key="c1", customer=customer)
    assert notice_send(notice.pk) is True
    answer = manager_api.get(f"/notices/{notice.pk}")
    assert answer.status == 200, answer.body
    body = answer.body
    assert (body["state"], body["attempts"], body["subject"]) == (
        "sent",
        1,
        "[AS-000042] Re: Fridge is noisy",
    )
    assert body["sent_at"] is not None and body["message_id"].startswith("<")
    assert [(row["number"], row["outcome"], row["error"]) for row in body["attempt_log"]] == [
        (1, "sent", "")
    ]
    assert "s3cret-reply-token" not in json.dumps(body)


def test_the_log_filters_by_state_event_channel_request_and_customer(
    org, customer, bob_agent, manager_api
):
    other = customer_create(organization=org, name="Ayşe", emails=["ayse@example.com"])
    replied = queue_notice(org, key="a", customer=customer)
    received = queue_notice(org, key="b", event=Notice.Event.RECEIVED, customer=other, ticket_id=7)
    sms = queue_notice(org, key="c", customer=customer, channel="sms", recipient="+989121234567")
    assigned = queue_notice(org, key="d", event=Notice.Event.ASSIGNED, user=bob_agent)
    notice_send(replied.pk)

    def ids(params):
        answer = manager_api.get("/notices/", params)
        assert answer.status == 200, answer.body
        return [row["id"] for row in answer.body["items"]]

    assert ids({"state": "sent"}) == [replied.pk]
    assert ids({"state": "queued"}) == [assigned.pk, sms.pk, received.pk]
    assert ids({"event": "received"}) == [received.pk]
    assert ids({"event": "assigned"}) == [assigned.pk]
    assert ids({"channel": "sms"}) == [sms.pk]
    assert ids({"ticket_id": 7}) == [received.pk]
    assert ids({"customer_id": customer.pk}) == [sms.pk, replied.pk]
    assert ids({"customer_id": customer.pk, "channel": "email"}) == [replied.pk]


def test_the_log_pages_with_a_cursor_and_a_flat_query_count(org, customer, manager_api):
    for index in range(7):
        queue_notice(org, key=f"k{index}", customer=customer)
    expected = list(
        Notice.objects.filter(organization=org).order_by("-id").values_list("id", flat=True)
    )
    manager_api.get("/notices/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as first_page:
        first = manager_api.get("/notices/", {"limit": 3})
    few = len(first_page)
    second = manager_api.get("/notices/", {"limit": 3, "cursor": first.body["next_cursor"]})
    third = manager_api.get("/notices/", {"limit": 3, "cursor": second.body["next_cursor"]})
    seen = [row["id"] for page in (first, second, third) for row in page.body["items"]]
    assert seen == expected
    assert third.body["next_cursor"] is None
    for index in range(40):
        queue_notice(org, key=f"more{index}", customer=customer)
    with CaptureQueriesContext(connection) as big_page:
        answer = manager_api.get("/notices/", {"limit": 40})
    assert len(answer.body["items"]) == 40
    # Token, membership, the notices: however many there are.
    assert len(big_page) == few == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "lost"}, "state"),
        ({"event": "birthday"}, "event"),
        ({"ticket_id": 0}, "ticket_id"),
        ({"ticket_id": "x"}, "ticket_id"),
        ({"customer_id": 2**63}, "customer_id"),
        ({"channel": "x" * 17}, "channel"),
        ({"cursor": "!!"}, "cursor"),
        ({"limit": 500}, "limit"),
    ],
)
def test_the_log_refuses_bad_filters_naming_the_field(org, manager_api, params, field):
    answer = manager_api.get("/notices/", params)
    assert (answer.status, answer.field) == (422, field), answer.body


@pytest.mark.parametrize("role_api", ["agent_api", "technician_api", "viewer_api"])
def test_only_admins_and_supervisors_read_the_log(request, org, customer, bob_agent, role_api):
    """An agent would see other members' notices (mentions, escalations) and every
    customer's address: the whole log is a manager's tool."""
    api = request.getfixturevalue(role_api)
    own = queue_notice(org, key="own", event=Notice.Event.ASSIGNED, user=bob_agent)
    for path in ("/notices/", f"/notices/{own.pk}"):
        answer = api.get(path)
        assert answer.status == 403, path
        assert answer.body["errors"] == []


def test_another_organizations_notice_answers_404(org, customer, outsider_api):
    notice = queue_notice(org, key="c1", customer=customer)
    answer = outsider_api.get(f"/notices/{notice.pk}")
    assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []})
    assert outsider_api.get("/notices/").body == {"items": [], "next_cursor": None}
    assert outsider_api.get("/notices/", {"customer_id": customer.pk}).body["items"] == []


def test_a_missing_notice_answers_404(org, manager_api):
    assert manager_api.get("/notices/999999").status == 404


def test_no_token_is_401(org):
    for path in ("/notices/", "/notice-templates/", "/notification-settings"):
        answer = ApiClient().get(path)
        assert answer.status == 401, path

"""API v1 of inbound email: admins only; mailboxes with a write-only password, tested and polled
against a real IMAP server (dovecot on loopback); every message that came in, its raw bytes as
a download, and the failed ones reprocessed or discarded. Another organization's ids answer 404
and change nothing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.lib.sealing import unseal
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.services import inbound_email_store, mailbox_create
from aftercare.messaging.inbound.tests.conftest import mail
from aftercare.tickets.models import Ticket

PASSWORD = "s3cret-imap-password"
NO_SENDER = b"To: support@demo.example\r\nSubject: who am I\r\n\r\nNo From header.\r\n"
MAILBOX = {
    "name": "Sales",
    "address": "Sales@Demo.example",
    "host": "imap.demo.example",
    "port": 993,
    "security": "ssl",
    "username": "sales",
    "password": PASSWORD,
    "folder": "INBOX",
    "processed_folder": "Processed",
}


@pytest.fixture
def admin_api(org, alice_admin):
    _token, key = api_token_create(user=alice_admin, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def mailbox(org):
    return mailbox_create(
        organization=org,
        password=PASSWORD,
        name="Support",
        address="support@demo.example",
        host="imap.demo.example",
        port=993,
        security="ssl",
        username="support",
        folder="INBOX",
        processed_folder="Processed",
    )


@pytest.fixture
def store(org, django_capture_on_commit_callbacks):
    """Store a raw message as the pipe does, and process it (the commit asks for it)."""

    def run(raw: bytes) -> InboundEmail:
        with django_capture_on_commit_callbacks(execute=True):
            row, _new = inbound_email_store(organization=org, raw=raw, source="pipe")
        row.refresh_from_db()
        return row

    return run


@pytest.fixture
def dead(store):
    row = store(NO_SENDER)
    assert row.state == "dead"
    return row


def _mailbox_state(mailbox: Mailbox) -> tuple:
    mailbox = Mailbox.objects.get(pk=mailbox.pk)
    return tuple(
        getattr(mailbox, field)
        for field in ("name", "address", "host", "port", "username", "folder", "password_sealed")
    )


def _no_secret(body) -> None:
    text = json.dumps(body)
    assert PASSWORD not in text
    assert "password_sealed" not in text
    for mailbox in Mailbox.objects.all():
        assert mailbox.password_sealed not in text


# --- Mailboxes ---


def test_an_admin_creates_a_mailbox_and_its_password_is_never_shown(org, admin_api):
    answer = admin_api.post("/mailboxes/", MAILBOX)
    assert answer.status == 201, answer.body
    mailbox = Mailbox.objects.get(organization=org)
    body = dict(answer.body)
    created_at = body.pop("created_at")
    assert created_at
    assert body == {
        "id": mailbox.pk,
        "name": "Sales",
        "address": "sales@demo.example",
        "host": "imap.demo.example",
        "port": 993,
        "security": "ssl",
        "username": "sales",
        "has_password": True,
        "folder": "INBOX",
        "processed_folder": "Processed",
        "is_active": True,
        "last_polled_at": None,
        "last_error": "",
    }
    assert unseal(mailbox.password_sealed) == PASSWORD
    _no_secret(answer.body)
    _no_secret(admin_api.get("/mailboxes/").body)
    _no_secret(admin_api.get(f"/mailboxes/{mailbox.pk}").body)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"address": "not an address"}, "address"),
        ({"host": "bad host"}, "host"),
        ({"port": 0}, "port"),
        ({"port": 65536}, "port"),
        ({"port": "imap"}, "port"),
        ({"security": "tls"}, "security"),
        ({"username": ""}, "username"),
        ({"password": ""}, "password"),
        ({"password": None}, "password"),
        ({"folder": "IN\nBOX"}, "folder"),
        ({"processed_folder": "INBOX"}, "processed_folder"),
        ({"is_active": "sometimes"}, "is_active"),
    ],
)
def test_a_bad_mailbox_is_refused_naming_the_field(org, admin_api, changes, field):
    answer = admin_api.post("/mailboxes/", {**MAILBOX, **changes})
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not Mailbox.objects.exists()


def test_a_mailbox_needs_a_password(org, admin_api):
    body = {key: value for key, value in MAILBOX.items() if key != "password"}
    answer = admin_api.post("/mailboxes/", body)
    assert (answer.status, answer.field) == (422, "password")


def test_a_second_mailbox_with_the_same_name_is_refused(org, admin_api, mailbox):
    answer = admin_api.post("/mailboxes/", {**MAILBOX, "name": "Support"})
    assert (answer.status, answer.field) == (422, "name")
    assert Mailbox.objects.count() == 1


def test_patch_changes_the_fields_sent_and_keeps_the_password_unless_one_is_sent(
    org, admin_api, mailbox
):
    path = f"/mailboxes/{mailbox.pk}"
    answer = admin_api.patch(path, {"name": "Support desk", "port": 143, "security": "starttls"})
    assert answer.status == 200, answer.body
    assert (answer.body["name"], answer.body["port"], answer.body["security"]) == (
        "Support desk",
        143,
        "starttls",
    )
    assert (answer.body["host"], answer.body["processed_folder"]) == (
        "imap.demo.example",
        "Processed",
    )
    mailbox.refresh_from_db()
    assert unseal(mailbox.password_sealed) == PASSWORD
    _no_secret(answer.body)

    for kept in ({"password": ""}, {"password": None}, {"is_active": False}):
        answer = admin_api.patch(path, kept)
        assert answer.status == 200, answer.body
        mailbox.refresh_from_db()
        assert unseal(mailbox.password_sealed) == PASSWORD
    assert answer.body["is_active"] is False

    answer = admin_api.patch(path, {"password": "a-new-password", "processed_folder": None})
    assert answer.status == 200
    assert "a-new-password" not in json.dumps(answer.body)
    mailbox.refresh_from_db()
    assert (unseal(mailbox.password_sealed), mailbox.processed_folder) == ("a-new-password", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"host": None}, "host"),
        ({"port": 70000}, "port"),
        ({"security": None}, "security"),
        ({"address": "nowhere"}, "address"),
        ({"processed_folder": "INBOX"}, "processed_folder"),
        ({"name": "Fine", "password": 12}, "password"),
    ],
)
def test_a_bad_patch_names_the_field_and_changes_nothing(org, admin_api, mailbox, changes, field):
    before = _mailbox_state(mailbox)
    answer = admin_api.patch(f"/mailboxes/{mailbox.pk}", {"username": "changed", **changes})
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _mailbox_state(mailbox) == before


def test_the_mailbox_list_has_a_flat_query_count(org, admin_api, mailbox):
    admin_api.get("/mailboxes/")
    with CaptureQueriesContext(connection) as one:
        assert len(admin_api.get("/mailboxes/").body) == 1
    for index in range(10):
        admin_api.post("/mailboxes/", {**MAILBOX, "name": f"Box {index}"})
    with CaptureQueriesContext(connection) as many:
        answer = admin_api.get("/mailboxes/")
    assert [row["name"] for row in answer.body][:2] == ["Box 0", "Box 1"]
    assert len(answer.body) == 11
    _no_secret(answer.body)
    # Token, membership, the mailboxes.
    assert len(many) == len(one) == 3


@pytest.fixture
def real_box(org, imap_server, imap_user):
    return mailbox_create(
        organization=org,
        password=imap_user.password,
        name="Real",
        address="support@demo.example",
        host=imap_server.host,
        port=imap_server.port,
        security=Mailbox.Security.NONE,
        username=imap_user.username,
        folder="INBOX",
        processed_folder="Processed",
    )


def test_testing_a_mailbox_signs_in_to_the_real_server(org, admin_api, real_box, imap_user):
    answer = admin_api.post(f"/mailboxes/{real_box.pk}/test")
    assert (answer.status, answer.body) == (200, {"ok": True, "error": ""})

    admin_api.patch(f"/mailboxes/{real_box.pk}", {"password": "not-the-password"})
    refused = admin_api.post(f"/mailboxes/{real_box.pk}/test")
    assert refused.status == 200
    assert refused.body["ok"] is False and refused.body["error"]
    assert "not-the-password" not in json.dumps(refused.body)
    assert imap_user.password not in json.dumps(refused.body)
    assert not InboundEmail.objects.exists()


def test_polling_now_stores_the_new_mail(org, admin_api, real_box, imap_server, imap_user):
    imap_server.append(imap_user.username, mail(subject="The dryer stops"))
    imap_server.append(imap_user.username, mail(subject="The oven beeps"))
    answer = admin_api.post(f"/mailboxes/{real_box.pk}/poll")
    assert (answer.status, answer.body) == (200, {"stored": 2, "error": ""})
    assert sorted(
        InboundEmail.objects.filter(organization=org).values_list("subject", flat=True)
    ) == [
        "The dryer stops",
        "The oven beeps",
    ]
    assert admin_api.post(f"/mailboxes/{real_box.pk}/poll").body == {"stored": 0, "error": ""}
    assert admin_api.get(f"/mailboxes/{real_box.pk}").body["last_polled_at"] is not None


def test_polling_a_mailbox_that_refuses_says_why(org, admin_api, real_box):
    admin_api.patch(f"/mailboxes/{real_box.pk}", {"password": "not-the-password"})
    answer = admin_api.post(f"/mailboxes/{real_box.pk}/poll")
    assert answer.status == 200
    assert answer.body["stored"] == 0 and answer.body["error"]
    assert admin_api.get(f"/mailboxes/{real_box.pk}").body["last_error"] == answer.body["error"]


# --- Inbound mail ---


def test_inbound_mail_is_listed_newest_first_without_its_bytes(org, admin_api, store, dead):
    done = store(mail(subject="The fridge is noisy"))
    assert done.state == "done"
    answer = admin_api.get("/inbound-emails/")
    assert answer.status == 200, answer.body
    assert [row["id"] for row in answer.body["items"]] == [done.pk, dead.pk]
    row = answer.body["items"][0]
    assert set(row) == {
        "id",
        "source",
        "from_address",
        "subject",
        "size",
        "received_at",
        "deliveries",
        "state",
        "outcome",
        "attempts",
        "last_error",
        "ticket_id",
    }
    ticket = Ticket.objects.get(organization=org)
    assert (row["state"], row["outcome"], row["ticket_id"]) == ("done", "new_request", ticket.pk)
    assert (row["source"], row["from_address"], row["size"]) == (
        "pipe",
        "maryam@example.com",
        len(bytes(done.raw)),
    )
    assert "It hums all night" not in json.dumps(answer.body)


def test_the_list_shows_what_is_asked_for(org, admin_api, store, dead):
    done = store(mail())

    def ids(show):
        answer = admin_api.get("/inbound-emails/", {"show": show})
        assert answer.status == 200, answer.body
        return [row["id"] for row in answer.body["items"]]

    assert ids("attention") == [dead.pk]
    assert ids("done") == [done.pk]
    assert ids("waiting") == [] and ids("discarded") == []
    assert ids("") == [done.pk, dead.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"show": "everything"}, "show"), ({"cursor": "!!"}, "cursor"), ({"limit": 0}, "limit")],
)
def test_the_list_refuses_bad_input_naming_the_field(org, admin_api, params, field):
    answer = admin_api.get("/inbound-emails/", params)
    assert (answer.status, answer.field) == (422, field), answer.body


def test_the_list_pages_with_a_flat_query_count(org, admin_api):
    for index in range(5):
        inbound_email_store(organization=org, raw=mail(subject=f"M{index}"), source="pipe")
    admin_api.get("/inbound-emails/")
    with CaptureQueriesContext(connection) as few:
        first = admin_api.get("/inbound-emails/", {"limit": 2})
    few_count = len(few)
    second = admin_api.get("/inbound-emails/", {"limit": 2, "cursor": first.body["next_cursor"]})
    third = admin_api.get("/inbound-emails/", {"limit": 2, "cursor": second.body["next_cursor"]})
    seen = [row["id"] for page in (first, second, third) for row in page.body["items"]]
    assert seen == list(InboundEmail.objects.order_by("-id").values_list("id", flat=True))
    assert third.body["next_cursor"] is None
    for index in range(30):
        inbound_email_store(organization=org, raw=mail(subject=f"N{index}"), source="pipe")
    with CaptureQueriesContext(connection) as many:
        answer = admin_api.get("/inbound-emails/", {"limit": 30})
    assert len(answer.body["items"]) == 30
    # Token, membership, the messages (never their bytes).
    assert len(many) == few_count == 3
    assert not any('"raw"' in query["sql"] for query in many.captured_queries)


def test_a_message_with_its_metadata_and_its_raw_bytes_as_a_download(org, admin_api, dead):
    answer = admin_api.get(f"/inbound-emails/{dead.pk}")
    assert answer.status == 200, answer.body
    body = answer.body
    assert (body["state"], body["outcome"], body["mailbox"]) == ("dead", "no_sender", None)
    assert body["detail"] == "The message has no sender address."
    assert body["raw_url"] == f"/api/v1/inbound-emails/{dead.pk}/raw"
    assert "No From header" not in json.dumps(body)

    raw = admin_api.client.get(body["raw_url"], **admin_api._headers())
    assert raw.status_code == 200
    assert raw["Content-Type"] == "message/rfc822"
    assert raw["Content-Disposition"] == f'attachment; filename="inbound-{dead.pk}.eml"'
    assert raw["X-Content-Type-Options"] == "nosniff"
    assert raw.content == NO_SENDER


def test_a_polled_message_names_its_mailbox(org, admin_api, mailbox):
    row, _new = inbound_email_store(
        organization=org, raw=mail(), source="imap", mailbox=mailbox, imap_uid=1
    )
    answer = admin_api.get(f"/inbound-emails/{row.pk}")
    assert answer.body["mailbox"] == {"id": mailbox.pk, "name": "Support"}
    _no_secret(answer.body)


def test_a_failed_message_is_reprocessed_after_a_fix(
    org, admin_api, monkeypatch, django_capture_on_commit_callbacks
):
    from aftercare.messaging.inbound import services

    monkeypatch.setattr(services, "_open", lambda row, parsed: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        row, _new = inbound_email_store(organization=org, raw=mail(), source="pipe")
    row.refresh_from_db()
    assert row.state == "failed"
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_api.post(f"/inbound-emails/{row.pk}/reprocess")
    assert answer.status == 200, answer.body
    assert (answer.body["state"], answer.body["attempts"]) == ("received", 0)
    row.refresh_from_db()
    assert (row.state, row.outcome) == ("done", "new_request")
    assert Ticket.objects.filter(organization=org).count() == 1

    again = admin_api.post(f"/inbound-emails/{row.pk}/reprocess")
    assert (again.status, again.field) == (422, "state")
    assert Ticket.objects.filter(organization=org).count() == 1


def test_a_dead_letter_is_discarded_and_kept(org, admin_api, dead, store):
    answer = admin_api.post(f"/inbound-emails/{dead.pk}/discard")
    assert answer.status == 200, answer.body
    assert answer.body["state"] == "discarded"
    dead.refresh_from_db()
    assert (dead.state, bytes(dead.raw)) == ("discarded", NO_SENDER)
    assert admin_api.get("/inbound-emails/", {"show": "attention"}).body["items"] == []

    done = store(mail())
    refused = admin_api.post(f"/inbound-emails/{done.pk}/discard")
    assert (refused.status, refused.field) == (422, "state")
    done.refresh_from_db()
    assert done.state == "done"


# --- Who may ---


def _every_call(mailbox_id: int, inbound_id: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", "/mailboxes/", None),
        ("POST", "/mailboxes/", {**MAILBOX, "name": "Taken"}),
        ("GET", f"/mailboxes/{mailbox_id}", None),
        ("PATCH", f"/mailboxes/{mailbox_id}", {"name": "Taken", "password": "taken"}),
        ("POST", f"/mailboxes/{mailbox_id}/test", None),
        ("POST", f"/mailboxes/{mailbox_id}/poll", None),
        ("GET", "/inbound-emails/", None),
        ("GET", f"/inbound-emails/{inbound_id}", None),
        ("GET", f"/inbound-emails/{inbound_id}/raw", None),
        ("POST", f"/inbound-emails/{inbound_id}/reprocess", None),
        ("POST", f"/inbound-emails/{inbound_id}/discard", None),
    ]


def _call(api: ApiClient, method: str, path: str, body):
    return api.get(path) if method == "GET" else api.send(method, path, body)


@pytest.mark.parametrize("role_api", ["manager_api", "agent_api", "viewer_api"])
def test_only_admins_reach_mailboxes_and_inbound_mail(request, org, role_api, mailbox, dead):
    api = request.getfixturevalue(role_api)
    before = _mailbox_state(mailbox)
    for method, path, body in _every_call(mailbox.pk, dead.pk):
        answer = _call(api, method, path, body)
        assert answer.status == 403, (method, path)
        assert answer.body["errors"] == []
    assert _mailbox_state(mailbox) == before
    assert Mailbox.objects.count() == 1
    dead.refresh_from_db()
    assert dead.state == "dead"


def test_another_organizations_mailboxes_and_mail_answer_404(org, outsider_api, mailbox, dead):
    before = _mailbox_state(mailbox)
    for method, path, body in _every_call(mailbox.pk, dead.pk):
        if path in ("/mailboxes/", "/inbound-emails/"):
            continue  # no id: their lists are empty for the outsider (below)
        answer = _call(outsider_api, method, path, body)
        assert (answer.status, answer.body) == (
            404,
            {"detail": "Not found.", "errors": []},
        ), (method, path)
    assert outsider_api.get("/mailboxes/").body == []
    assert outsider_api.get("/inbound-emails/").body == {"items": [], "next_cursor": None}
    assert _mailbox_state(mailbox) == before
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == ("dead", 1)


def test_no_token_is_401(org, mailbox):
    for path in ("/mailboxes/", f"/mailboxes/{mailbox.pk}", "/inbound-emails/"):
        assert ApiClient().get(path).status == 401, path

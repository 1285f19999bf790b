"""`Idempotency-Key` on the API's POST operations, as a client sees it: a retried create does the
work once."""

import datetime
import importlib
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.accounts.models import ApiToken, Membership
from aftercare.accounts.services import api_token_create
from aftercare.api import idempotency
from aftercare.api.idempotency import key_scope, request_hash
from aftercare.api.models import IdempotencyKey
from aftercare.api.tasks import idempotency_keys_prune_task
from aftercare.api.tests.client import ApiClient
from aftercare.api.tests.files import png_bytes
from aftercare.api_v1 import api
from aftercare.customers.models import Customer
from aftercare.customers.services import customer_create
from aftercare.lib.testing import PASSWORD
from aftercare.tickets.models import Attachment
from aftercare.tickets.tests.factories import make_ticket

KEY = {"Idempotency-Key": "7d0c1c5e-2f1b-4e43-9c55-3f6f2f0a9b11"}
REZA = {"name": "Reza Karimi", "emails": ["reza@example.com"]}


def _token(key: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=ApiToken.hash_key(key))


def _record(*, token_key: str, idempotency_key: str, body: dict, **fields) -> IdempotencyKey:
    """A key row as the first request with `body` to POST /customers/ would have written."""
    request = RequestFactory().post(
        "/api/v1/customers/", data=json.dumps(body), content_type="application/json"
    )
    values = {
        "scope": key_scope(token_id=_token(token_key).pk, key=idempotency_key),
        "request_hash": request_hash(request),
        "claim": "0" * 32,
        **fields,
    }
    return IdempotencyKey.objects.create(**values)


def test_a_retried_create_creates_one_customer_and_answers_the_first_answer(org, agent_api):
    first = agent_api.post("/customers/", REZA, headers=KEY)
    again = agent_api.post("/customers/", REZA, headers=KEY)

    assert first.status == 201, first.body
    customer = Customer.objects.get(organization=org)
    assert first.body["id"] == customer.pk
    assert "Idempotent-Replayed" not in first.response
    assert (again.status, again.body) == (201, first.body)
    assert again.response.content == first.response.content
    assert again.response["Idempotent-Replayed"] == "true"
    assert again.response["Content-Type"] == first.response["Content-Type"]
    assert Customer.objects.filter(organization=org).count() == 1
    record = IdempotencyKey.objects.get()
    assert (record.status, record.response_status, record.organization_id) == ("done", 201, org.pk)
    # The key as sent is not stored, only a hash of it with the token.
    assert KEY["Idempotency-Key"] not in record.scope


def test_without_the_header_every_post_creates(org, agent_api):
    agent_api.post("/customers/", REZA)
    agent_api.post("/customers/", {**REZA, "emails": []})
    assert Customer.objects.filter(organization=org).count() == 2
    assert not IdempotencyKey.objects.exists()


def test_the_key_with_a_different_body_is_refused_naming_the_header(org, agent_api):
    agent_api.post("/customers/", REZA, headers=KEY)
    other = agent_api.post("/customers/", {"name": "Someone else"}, headers=KEY)

    assert other.status == 422
    assert other.body["errors"] == [
        {
            "field": "Idempotency-Key",
            "message": "This Idempotency-Key was already used for a different request: "
            "send a new key with a new request.",
            "code": "reused",
        }
    ]
    assert list(Customer.objects.values_list("name", flat=True)) == ["Reza Karimi"]


def test_the_key_on_another_path_is_refused(org, manager_api):
    manager_api.post("/customers/", REZA, headers=KEY)
    other = manager_api.post("/product-models/", {"name": "WM-800", "sku": "WM800"}, headers=KEY)
    assert (other.status, other.field) == (422, "Idempotency-Key")
    assert other.body["errors"][0]["code"] == "reused"


def test_other_tokens_with_the_same_key_are_independent(
    org, other_org, agent_api, manager_api, outsider_api
):
    mine = agent_api.post("/customers/", REZA, headers=KEY)
    colleague = manager_api.post("/customers/", REZA | {"emails": []}, headers=KEY)
    outsider = outsider_api.post("/customers/", REZA, headers=KEY)

    assert (mine.status, colleague.status, outsider.status) == (201, 201, 201)
    assert len({mine.body["id"], colleague.body["id"], outsider.body["id"]}) == 3
    for answer in (mine, colleague, outsider):
        assert "Idempotent-Replayed" not in answer.response
    assert Customer.objects.filter(organization=org).count() == 2
    assert Customer.objects.filter(organization=other_org).count() == 1
    assert IdempotencyKey.objects.count() == 3
    # A retry by each still gets its own answer.
    assert agent_api.post("/customers/", REZA, headers=KEY).body == mine.body
    assert outsider_api.post("/customers/", REZA, headers=KEY).body == outsider.body


@pytest.mark.parametrize(
    "key", ["", "x" * 256, "clé", " leading", "trailing ", "tab\there", "new\x7fline"]
)
def test_a_bad_key_is_refused_naming_the_header(org, agent_api, key):
    answer = agent_api.post("/customers/", REZA, headers={"Idempotency-Key": key})

    assert answer.status == 422
    assert answer.body["errors"] == [
        {
            "field": "Idempotency-Key",
            "message": "Send an Idempotency-Key of 1 to 255 printable ASCII characters, "
            "with no space at either end.",
            "code": "invalid",
        }
    ]
    assert not Customer.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["a", "x" * 255, "order 42/retry:#1", "~!@\"'{}"])
def test_keys_of_every_printable_character_are_taken(org, agent_api, key):
    first = agent_api.post("/customers/", REZA, headers={"Idempotency-Key": key})
    again = agent_api.post("/customers/", REZA, headers={"Idempotency-Key": key})
    assert (first.status, again.status) == (201, 201)
    assert again.response["Idempotent-Replayed"] == "true"
    assert Customer.objects.count() == 1


def test_a_retry_while_the_first_runs_is_told_to_wait(org, agent_api, agent_token):
    record = _record(token_key=agent_token, idempotency_key=KEY["Idempotency-Key"], body=REZA)

    answer = agent_api.post("/customers/", REZA, headers=KEY)

    assert answer.status == 409
    assert answer.response["Retry-After"] == "1"
    assert answer.body == {
        "detail": "A request with this Idempotency-Key is still being processed: "
        "try again in a moment.",
        "errors": [
            {
                "field": "Idempotency-Key",
                "message": "A request with this Idempotency-Key is still being processed: "
                "try again in a moment.",
                "code": "in_progress",
            }
        ],
    }
    assert not Customer.objects.exists()
    record.refresh_from_db()
    assert (record.status, record.claim) == ("in_progress", "0" * 32)


def test_a_key_left_in_progress_past_the_lease_is_taken_over(org, agent_api, agent_token):
    _record(
        token_key=agent_token,
        idempotency_key=KEY["Idempotency-Key"],
        body=REZA,
        created_at=timezone.now() - datetime.timedelta(minutes=6),
    )

    answer = agent_api.post("/customers/", REZA, headers=KEY)

    assert answer.status == 201, answer.body
    assert Customer.objects.filter(organization=org).count() == 1
    record = IdempotencyKey.objects.get()
    assert (record.status, record.response_status) == ("done", 201)
    assert record.claim != "0" * 32


def test_an_expired_key_is_replaced(org, agent_api, agent_token, settings):
    old = _record(
        token_key=agent_token,
        idempotency_key=KEY["Idempotency-Key"],
        body={"name": "Long ago"},
        status="done",
        response_status=201,
        response_content_type="application/json",
        response_body=b'{"id": 1}',
        created_at=timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS),
    )

    answer = agent_api.post("/customers/", REZA, headers=KEY)

    assert answer.status == 201, answer.body
    assert "Idempotent-Replayed" not in answer.response
    assert answer.body["id"] == Customer.objects.get(organization=org).pk
    record = IdempotencyKey.objects.get()
    assert record.pk == old.pk
    assert record.request_hash != old.request_hash
    assert bytes(record.response_body) == answer.response.content
    assert record.created_at > old.created_at


def test_an_exception_releases_the_key_and_writes_nothing(org, agent_api, monkeypatch):
    def broken(**kwargs):
        Customer.objects.create(organization=org, name="Half written")
        raise RuntimeError("the database went away")

    monkeypatch.setattr("aftercare.customers.api.customer_create", broken)
    with pytest.raises(RuntimeError):
        agent_api.post("/customers/", REZA, headers=KEY)
    assert not Customer.objects.exists()
    assert not IdempotencyKey.objects.exists()

    monkeypatch.undo()
    retried = agent_api.post("/customers/", REZA, headers=KEY)
    assert retried.status == 201, retried.body
    assert "Idempotent-Replayed" not in retried.response
    assert list(Customer.objects.values_list("name", flat=True)) == ["Reza Karimi"]


def test_an_answer_of_429_releases_the_key(org, agent_api, monkeypatch):
    from aftercare.lib.errors import ApplicationError

    def limited(**kwargs):
        raise ApplicationError("Slow down.", code="rate_limited")

    monkeypatch.setattr("aftercare.customers.api.customer_create", limited)
    assert agent_api.post("/customers/", REZA, headers=KEY).status == 429
    assert not IdempotencyKey.objects.exists()
    monkeypatch.undo()
    assert agent_api.post("/customers/", REZA, headers=KEY).status == 201
    assert Customer.objects.count() == 1


def test_the_write_and_its_stored_answer_commit_together(org, agent_api, monkeypatch):
    def lost(**kwargs):
        raise RuntimeError("the answer could not be stored")

    monkeypatch.setattr(idempotency, "idempotency_key_complete", lost)
    with pytest.raises(RuntimeError):
        agent_api.post("/customers/", REZA, headers=KEY)
    # The customer was written in the transaction that failed to store the answer: both gone,
    # and the key is free for the retry.
    assert not Customer.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_an_error_answer_of_the_handler_is_kept_too(org, agent_api):
    owner = customer_create(organization=org, name="Owner", emails=["reza@example.com"])

    first = agent_api.post("/customers/", REZA, headers=KEY)
    again = agent_api.post("/customers/", REZA, headers=KEY)

    assert (first.status, first.field) == (422, "emails")
    assert (again.status, again.body) == (422, first.body)
    assert again.response["Idempotent-Replayed"] == "true"
    assert list(Customer.objects.all()) == [owner]


def test_a_retried_upload_stores_the_file_once(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    path = f"/tickets/{ticket.pk}/attachments"

    def photo(content: bytes) -> dict:
        return {"attachments": [SimpleUploadedFile("photo.png", content, content_type="image/png")]}

    first = agent_api.upload(path, photo(png_bytes(3, 3)), headers=KEY)
    again = agent_api.upload(path, photo(png_bytes(3, 3)), headers=KEY)
    other = agent_api.upload(path, photo(png_bytes(4, 4)), headers=KEY)

    assert first.status == 201, first.body
    assert (again.status, again.body) == (201, first.body)
    assert again.response["Idempotent-Replayed"] == "true"
    assert (other.status, other.field) == (422, "Idempotency-Key")
    assert Attachment.objects.filter(ticket=ticket).count() == 1


@pytest.fixture
def commits_at_once(monkeypatch):
    """On-commit work runs as the handler's transaction ends, as on a real server."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def test_a_handler_that_commits_before_answering_is_kept_after(org, alice_admin, commits_at_once):
    _token, key = api_token_create(user=alice_admin, organization=org, name="test")
    admin_api = ApiClient(key)
    body = {"email": "neda@demo.example", "full_name": "Neda", "role": "agent"}

    first = admin_api.post("/members/", body, headers=KEY)
    again = admin_api.post("/members/", body, headers=KEY)

    assert first.status == 201, first.body
    assert first.body["mail_sent"] is True
    assert (again.status, again.body) == (201, first.body)
    assert again.response["Idempotent-Replayed"] == "true"
    assert len(mail.outbox) == 1
    assert Membership.objects.filter(organization=org, user__email="neda@demo.example").count() == 1


def test_without_the_header_no_query_is_added(org, agent_api):
    agent_api.post("/customers/", {"name": "Warm-up"})  # the token's last use is recorded once

    with CaptureQueriesContext(connection) as plain:
        assert agent_api.post("/customers/", REZA).status == 201
    with CaptureQueriesContext(connection) as keyed:
        other = {"name": "Reza", "emails": ["reza.k@example.com"]}
        assert agent_api.post("/customers/", other, headers=KEY).status == 201

    def of_keys(query: dict) -> bool:
        return "api_idempotencykey" in query["sql"]

    def of_transactions(query: dict) -> bool:
        return query["sql"].split(" ", 1)[0] in {"SAVEPOINT", "RELEASE", "ROLLBACK"}

    def work(context) -> list[dict]:
        return [query for query in context.captured_queries if not of_transactions(query)]

    assert not any(of_keys(query) for query in plain.captured_queries)
    # With the header: the look-up, the row in progress and the answer (and savepoints).
    assert sum(of_keys(query) for query in keyed.captured_queries) == 3
    assert len(work(keyed)) == len(work(plain)) + 3


def test_the_token_answer_is_never_stored(org, bob_agent):
    client = ApiClient()
    body = {"email": "bob@demo.example", "password": PASSWORD}

    first = client.post("/auth/token", body, headers=KEY)
    again = client.post("/auth/token", body, headers=KEY)

    assert (first.status, again.status) == (200, 200)
    assert first.body["token"] != again.body["token"]
    assert "Idempotent-Replayed" not in again.response
    assert ApiToken.objects.filter(user=bob_agent).count() == 2
    assert not IdempotencyKey.objects.exists()
    # An invalid key is ignored there too: the operation has no key to keep.
    assert client.post("/auth/token", body, headers={"Idempotency-Key": ""}).status == 200


def test_old_keys_are_pruned_by_a_periodic_task(org, agent_api, agent_token, settings):
    agent_api.post("/customers/", REZA, headers=KEY)
    _record(
        token_key=agent_token,
        idempotency_key="old",
        body=REZA,
        created_at=timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS),
    )

    assert idempotency_keys_prune_task.call() == 1
    assert IdempotencyKey.objects.get().status == "done"


def test_the_prune_task_is_on_the_schedule(monkeypatch):
    """Read on a scheduler of its own: other tests may have started and stopped the shared one."""
    import crontask

    import aftercare.api.tasks

    fresh = crontask.LazyBlockingScheduler()
    monkeypatch.setattr(crontask, "scheduler", fresh)
    importlib.reload(aftercare.api.tasks)
    (job,) = [job for job in fresh.get_jobs() if job.name.endswith("idempotency_keys_prune_task")]
    assert "minute='23'" in str(job.trigger) and "hour='*'" in str(job.trigger)


def test_the_schema_declares_the_header_on_every_post_that_needs_a_token():
    schema = api.get_openapi_schema()
    posts = {path: item["post"] for path, item in schema["paths"].items() if "post" in item}
    assert "/api/v1/customers/" in posts and "/api/v1/tickets/" in posts

    for path, operation in posts.items():
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        if path == "/api/v1/auth/token":
            assert headers == [] and "security" not in operation
            continue
        assert [header["name"] for header in headers] == ["Idempotency-Key"], path
        assert headers[0]["required"] is False
        assert headers[0]["schema"]["maxLength"] == 255
        for status in (409, 422):
            error = operation["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)

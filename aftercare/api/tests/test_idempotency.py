"""The key rows of `aftercare.api.idempotency`, without a handler: claiming, answering, expiry.

The API as a client sees it (retries, replays, tokens, uploads, the schema) is tested in
`aftercare/tests/test_api_idempotency.py`, which may use the domain apps.
"""

import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from aftercare.api.idempotency import (
    KEY_PATTERN,
    Busy,
    Claimed,
    ClaimLost,
    Replay,
    Reused,
    idempotency_key_claim,
    idempotency_key_complete,
    idempotency_key_release,
    idempotency_keys_prune,
    key_scope,
    request_hash,
)
from aftercare.api.models import IdempotencyKey

SCOPE = key_scope(token_id=1, key="k-1")


def _claim(hash_: str = "a" * 64) -> Claimed | Replay | Busy | Reused:
    return idempotency_key_claim(scope=SCOPE, request_hash=hash_, organization_id=7)


def _age(*, seconds: float) -> None:
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_the_scope_keeps_tokens_and_keys_apart():
    assert key_scope(token_id=1, key="k-1") != key_scope(token_id=2, key="k-1")
    assert key_scope(token_id=1, key="k-1") != key_scope(token_id=1, key="k-2")
    assert len(SCOPE) == 64 and "k-1" not in SCOPE


def test_the_request_hash_covers_method_path_query_and_body():
    factory = RequestFactory()

    def hashed(method: str, path: str, body: str) -> str:
        request = getattr(factory, method)(path, data=body, content_type="application/json")
        return request_hash(request)

    first = hashed("post", "/api/v1/customers/", '{"name": "A"}')
    assert first == hashed("post", "/api/v1/customers/", '{"name": "A"}')
    assert first != hashed("post", "/api/v1/customers/", '{"name": "B"}')
    assert first != hashed("post", "/api/v1/customers/?x=1", '{"name": "A"}')
    assert first != hashed("post", "/api/v1/units/", '{"name": "A"}')
    assert first != hashed("put", "/api/v1/customers/", '{"name": "A"}')


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("a", True),
        ("x" * 255, True),
        ("in side", True),
        ("!~", True),
        ("", False),
        ("x" * 256, False),
        (" a", False),
        ("a ", False),
        ("é", False),
        ("a\tb", False),
        ("a\nb", False),
    ],
)
def test_the_key_is_1_to_255_printable_ascii_characters(key, valid):
    assert bool(KEY_PATTERN.fullmatch(key)) is valid


def test_a_first_claim_writes_the_key_in_progress(db):
    claimed = _claim()
    assert isinstance(claimed, Claimed)
    record = IdempotencyKey.objects.get()
    assert (record.scope, record.status, record.organization_id) == (SCOPE, "in_progress", 7)
    assert record.claim == claimed.claim
    assert isinstance(_claim(), Busy)
    assert isinstance(_claim("b" * 64), Reused)


def test_a_completed_key_replays_its_answer(db):
    claimed = _claim()
    answer = HttpResponse(b'{"id": 5}', status=201, content_type="application/json")
    idempotency_key_complete(claimed=claimed, response=answer)

    assert _claim() == Replay(status=201, content_type="application/json", body=b'{"id": 5}')
    assert isinstance(_claim("b" * 64), Reused)
    # Completing twice, or after a take-over, keeps the first answer.
    with pytest.raises(ClaimLost):
        idempotency_key_complete(claimed=claimed, response=HttpResponse(b"{}", status=200))
    assert bytes(IdempotencyKey.objects.get().response_body) == b'{"id": 5}'


def test_a_released_key_can_be_claimed_again(db):
    idempotency_key_release(claimed=_claim())
    assert not IdempotencyKey.objects.exists()
    assert isinstance(_claim(), Claimed)


def test_a_key_in_progress_past_the_lease_is_taken_over_once(db, settings):
    first = _claim()
    _age(seconds=settings.IDEMPOTENCY_KEY_LEASE_SECONDS + 1)

    second = _claim()
    assert isinstance(second, Claimed) and second.claim != first.claim
    assert isinstance(_claim(), Busy)
    # The first request, had it lived, may no longer store its answer.
    with pytest.raises(ClaimLost):
        idempotency_key_complete(claimed=first, response=HttpResponse(b"{}", status=201))
    assert IdempotencyKey.objects.count() == 1


def test_a_done_key_is_kept_until_it_expires(db, settings):
    idempotency_key_complete(claimed=_claim(), response=HttpResponse(b"{}", status=201))
    _age(seconds=settings.IDEMPOTENCY_KEY_LEASE_SECONDS + 1)
    assert isinstance(_claim(), Replay)

    _age(seconds=settings.IDEMPOTENCY_KEY_TTL_HOURS * 3600)
    replaced = _claim("b" * 64)
    assert isinstance(replaced, Claimed)
    record = IdempotencyKey.objects.get()
    assert (record.status, record.request_hash, record.response_status) == (
        "in_progress",
        "b" * 64,
        None,
    )


def test_prune_deletes_expired_keys_only(db, settings):
    idempotency_key_complete(claimed=_claim(), response=HttpResponse(b"{}", status=201))
    _age(seconds=settings.IDEMPOTENCY_KEY_TTL_HOURS * 3600)
    idempotency_key_claim(
        scope=key_scope(token_id=1, key="fresh"), request_hash="a" * 64, organization_id=7
    )

    assert idempotency_keys_prune() == 1
    assert IdempotencyKey.objects.get().scope == key_scope(token_id=1, key="fresh")

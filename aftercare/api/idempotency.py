"""`Idempotency-Key` on every POST operation that needs a token: a client whose connection
dropped sends the same request again with the same key and gets the first answer back, instead
of a second ticket, customer or stock move.

The first request with a key writes a row (in progress) in a transaction of its own before the
handler runs; the handler then runs in one transaction with the storing of its answer, so a
write is never committed without the answer a retry will get. A retry with the same key and the
same request (method, path with query, body) is answered the stored status and body with
`Idempotent-Replayed: true`; the same key with another request is refused (422), and while the
first is still running a retry is told so (409). Answers of 500 and above, 429 (trying later is
the point) and exceptions roll the handler's writes back and release the key. A key lives
IDEMPOTENCY_KEY_TTL_HOURS; a row still in progress after IDEMPOTENCY_KEY_LEASE_SECONDS belongs
to a request that died (its transaction rolled back with it) and is taken over by the retry.

A handler that must commit before it answers (it mails once its write is committed and says how
that went, or talks to a mail server between transactions) is marked `commits_before_answering`:
its answer is stored right after, in a transaction of its own.

Operations without authentication (`POST /auth/token`) are left alone: there is no caller to
scope a key to, and their answer holds a secret that must not be stored.
"""

import dataclasses
import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.api.models import IdempotencyKey
from aftercare.lib.errors import ApplicationError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# 1 to 255 printable ASCII characters, no space at either end (proxies strip it).
KEY_PATTERN = re.compile(r"[!-~](?:[ -~]{0,253}[!-~])?")
# Answers a retry must be able to get anew: the key is released and the writes rolled back.
_RETRYABLE = {429}
_OWN_TRANSACTION = "_idempotency_commits_before_answering"


def commits_before_answering(view: Callable) -> Callable:
    """Mark a handler whose writes must be committed before it answers (it reports on a mail
    sent once they are, or talks to a server between its transactions): with an
    `Idempotency-Key` it runs as it would without, and its answer is stored right after."""
    setattr(view, _OWN_TRANSACTION, True)
    return view


@dataclasses.dataclass(frozen=True)
class Claimed:
    """The key is this request's to answer."""

    record_id: int
    claim: str


@dataclasses.dataclass(frozen=True)
class Replay:
    """The key already has its answer."""

    status: int
    content_type: str
    body: bytes


class Busy:
    """Another request with the key is running."""


class Reused:
    """The key was sent with another request."""


class ClaimLost(Exception):
    """The key was taken over by a retry after the lease ran out: this answer is not kept."""


def key_scope(*, token_id: Any, key: str) -> str:
    """SHA-256 of the caller's token and the key, so no two tokens share a key."""
    return hashlib.sha256(f"idempotency\n{token_id}\n{key}".encode()).hexdigest()


def request_hash(request: HttpRequest) -> str:
    """SHA-256 of the method, the path with its query, and the body (a multipart body by its
    fields and files, which Django has read from the stream)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method}\n{request.get_full_path()}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        for name, values in sorted(request.POST.lists()):
            digest.update(f"field\n{name}\n{len(values)}\n".encode())
            for value in values:
                digest.update(f"{len(value)}\n{value}\n".encode())
        for name, files in sorted(request.FILES.lists()):
            digest.update(f"files\n{name}\n{len(files)}\n".encode())
            for file in files:
                digest.update(f"{file.name}\n{file.size}\n".encode())
                for chunk in file.chunks():
                    digest.update(chunk)
                file.seek(0)
    return digest.hexdigest()


def idempotency_key_claim(
    *, scope: str, request_hash: str, organization_id: int | None
) -> Claimed | Replay | Busy | Reused:
    """Take the key for this request (a row in progress, committed before the handler runs), or
    say why not. An expired row, or one left in progress past the lease, is taken over."""
    now = timezone.now()
    claim = secrets.token_hex(16)
    fresh = {
        "request_hash": request_hash,
        "organization_id": organization_id,
        "status": IdempotencyKey.Status.IN_PROGRESS,
        "claim": claim,
        "response_status": None,
        "response_content_type": "",
        "response_body": b"",
        "created_at": now,
        "completed_at": None,
    }
    with transaction.atomic():
        record = IdempotencyKey.objects.filter(scope=scope).first()
        if record is None:
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(scope=scope, **fresh)
                return Claimed(record_id=record.pk, claim=claim)
            except IntegrityError:
                # Another request with the key inserted it first.
                record = IdempotencyKey.objects.get(scope=scope)
        expired = record.created_at <= now - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
        abandoned = (
            record.status == IdempotencyKey.Status.IN_PROGRESS
            and record.created_at <= now - timedelta(seconds=settings.IDEMPOTENCY_KEY_LEASE_SECONDS)
        )
        if expired or abandoned:
            # Conditional on the row as read, so two retries cannot both take it over, and a
            # row completed meanwhile (its transaction held it) is left alone.
            taken = IdempotencyKey.objects.filter(
                pk=record.pk,
                claim=record.claim,
                status=record.status,
                created_at=record.created_at,
            ).update(**fresh)
            if taken:
                return Claimed(record_id=record.pk, claim=claim)
            return Busy()
    if record.request_hash != request_hash:
        return Reused()
    if record.status == IdempotencyKey.Status.IN_PROGRESS:
        return Busy()
    return Replay(
        status=record.response_status or 200,
        content_type=record.response_content_type,
        body=bytes(record.response_body),
    )


def idempotency_key_complete(*, claimed: Claimed, response: HttpResponse) -> None:
    """Store the answer on the key, in the caller's transaction; ClaimLost if a retry took the
    key over meanwhile."""
    stored = IdempotencyKey.objects.filter(
        pk=claimed.record_id, claim=claimed.claim, status=IdempotencyKey.Status.IN_PROGRESS
    ).update(
        status=IdempotencyKey.Status.DONE,
        response_status=response.status_code,
        response_content_type=response.get("Content-Type", ""),
        response_body=response.content,
        completed_at=timezone.now(),
    )
    if not stored:
        raise ClaimLost


def idempotency_key_release(*, claimed: Claimed) -> None:
    """Give the key up, so the client can try again with it."""
    IdempotencyKey.objects.filter(
        pk=claimed.record_id, claim=claimed.claim, status=IdempotencyKey.Status.IN_PROGRESS
    ).delete()


def idempotency_keys_prune() -> int:
    """Delete keys older than IDEMPOTENCY_KEY_TTL_HOURS; return how many."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted


def _error(operation, request: HttpRequest, *, status: int, message: str, code: str):
    error = ApplicationError(message, field=HEADER, code=code)
    return operation.api.create_response(request, error.as_dict(), status=status)


def _busy(operation, request: HttpRequest) -> HttpResponse:
    response = _error(
        operation,
        request,
        status=409,
        message=_(
            "A request with this Idempotency-Key is still being processed: try again in a moment."
        ),
        code="in_progress",
    )
    response["Retry-After"] = "1"
    return response


def _replay(replay: Replay) -> HttpResponse:
    response = HttpResponse(replay.body, status=replay.status, content_type=replay.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def _kept(response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and not response.streaming
        and response.status_code < 500
        and response.status_code not in _RETRYABLE
    )


class _NotKept(Exception):
    """Roll back the writes behind an answer the key does not keep."""

    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__()
        self.response = response


def _answer(operation, view: Callable, request: HttpRequest, values: dict) -> HttpResponseBase:
    """The handler's answer as ninja sends it, an error answer included; an exception ninja
    has no answer for is raised."""
    # The handler may set headers on the response ninja hands it as a parameter.
    temporal = next((value for value in values.values() if isinstance(value, HttpResponse)), None)
    if temporal is None:
        temporal = operation.api.create_temporal_response(request)
    try:
        result = view(request, **values)
        return operation._result_to_response(request, result, temporal)
    except Exception as exc:
        return operation.api.on_exception(request, exc)


def _run(operation, view: Callable, own_transaction: bool, request, key: str, values: dict):
    if not KEY_PATTERN.fullmatch(key):
        return _error(
            operation,
            request,
            status=422,
            message=_(
                "Send an Idempotency-Key of 1 to 255 printable ASCII characters, "
                "with no space at either end."
            ),
            code="invalid",
        )
    token = getattr(request, "api_token", None)
    if token is None:
        return view(request, **values)
    organization = getattr(request, "organization", None)
    outcome = idempotency_key_claim(
        scope=key_scope(token_id=token.pk, key=key),
        request_hash=request_hash(request),
        organization_id=getattr(organization, "pk", None),
    )
    if isinstance(outcome, Replay):
        return _replay(outcome)
    if isinstance(outcome, Reused):
        return _error(
            operation,
            request,
            status=422,
            message=_(
                "This Idempotency-Key was already used for a different request: "
                "send a new key with a new request."
            ),
            code="reused",
        )
    if isinstance(outcome, Busy):
        return _busy(operation, request)
    if own_transaction:
        return _answer_then_store(operation, view, request, values, outcome)
    return _answer_and_store(operation, view, request, values, outcome)


def _answer_and_store(operation, view: Callable, request, values: dict, claimed: Claimed):
    """Run the handler and store its answer in one transaction: both commit, or neither."""
    try:
        with transaction.atomic():
            response = _answer(operation, view, request, values)
            if not _kept(response):
                raise _NotKept(response)
            idempotency_key_complete(claimed=claimed, response=response)
    except _NotKept as not_kept:
        idempotency_key_release(claimed=claimed)
        return not_kept.response
    except ClaimLost:
        # A retry took the key over after the lease: its answer will stand, these writes are
        # undone.
        return _busy(operation, request)
    except BaseException:
        idempotency_key_release(claimed=claimed)
        raise
    return response


def _answer_then_store(operation, view: Callable, request, values: dict, claimed: Claimed):
    """Run a handler that commits on its own, then store its answer in a transaction of its
    own (a process that dies in between leaves the key in progress until the lease ends)."""
    try:
        response = _answer(operation, view, request, values)
    except BaseException:
        idempotency_key_release(claimed=claimed)
        raise
    if not _kept(response):
        idempotency_key_release(claimed=claimed)
        return response
    try:
        with transaction.atomic():
            idempotency_key_complete(claimed=claimed, response=response)
    except ClaimLost:
        pass  # Taken over after the lease; what this request did is done all the same.
    return response


def protect(operation) -> None:
    """Make a POST operation that needs a token honour `Idempotency-Key`; a request without
    the header runs exactly as before, without a query more."""
    if getattr(operation, "idempotent", False):
        return
    if "POST" not in operation.methods or not operation.auth_callbacks:
        return
    if operation.stream_format is not None:
        return
    view = operation.view_func
    own_transaction = bool(getattr(view, _OWN_TRANSACTION, False))

    @functools.wraps(view)
    def idempotent_view(request: HttpRequest, **values: Any):
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, **values)
        return _run(operation, view, own_transaction, request, key, values)

    operation.view_func = idempotent_view
    operation.idempotent = True


def document(schema: dict) -> dict:
    """Declare the header, and the 409 and 422 it can answer, on every protected operation."""
    hours = settings.IDEMPOTENCY_KEY_TTL_HOURS
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "description": (
            "Optional: 1 to 255 printable ASCII characters (a UUID will do), new for each "
            f"request you mean to make. The same request sent again with the same key within "
            f"{hours} hours is answered the first answer (same status and body, with "
            "`Idempotent-Replayed: true`) and does nothing again; the key with a different "
            "request answers 422, and while the first request is still running 409. Keys are "
            "per token. An answer of 429 or 500 and above is not kept: the key can be sent again."
        ),
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": r"^[!-~]([ -~]{0,253}[!-~])?$",
        },
    }
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for item in schema.get("paths", {}).values():
        operation = item.get("post")
        if not operation or not operation.get("security"):
            continue
        operation.setdefault("parameters", []).append(parameter)
        responses = operation.setdefault("responses", {})
        for status in (409, 422):
            responses.setdefault(status, {"description": HTTPStatus(status).phrase, **error})
    return schema

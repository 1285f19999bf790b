"""What the API's base keeps: the answers of requests sent with an `Idempotency-Key`."""

from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """One caller's `Idempotency-Key`: the request it was first sent with, and its answer.

    A row is written (in progress) before the handler runs, so a second request with the key
    waits its turn (409); the answer is stored in the handler's own transaction, so a retry
    gets it back instead of doing the work again. Rows expire after IDEMPOTENCY_KEY_TTL_HOURS.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress"
        DONE = "done"

    # SHA-256 of the caller's token and the key: the same key from two tokens is two rows, and
    # the key as sent is not stored.
    scope = models.CharField(max_length=64, unique=True)
    # The tenant, for sharding and clean-up; a bare id, since the API's base imports no app.
    organization_id = models.BigIntegerField(null=True, blank=True)
    # SHA-256 of the method, the path with its query and the body.
    request_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    # A random value per attempt: only the attempt that holds the row may store its answer.
    claim = models.CharField(max_length=32)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_content_type = models.CharField(max_length=200, blank=True)
    response_body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.scope[:12]}… ({self.status})"

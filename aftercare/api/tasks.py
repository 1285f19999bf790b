"""Housekeeping of the API's base."""

from crontask import cron
from django.tasks import task

from aftercare.api.idempotency import idempotency_keys_prune


@cron("23 * * * *")
@task()
def idempotency_keys_prune_task() -> int:
    """Delete Idempotency-Key answers older than IDEMPOTENCY_KEY_TTL_HOURS; return how many."""
    return idempotency_keys_prune()

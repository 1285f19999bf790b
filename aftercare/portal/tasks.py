"""Housekeeping of the customer portal."""

from crontask import cron
from django.tasks import task

from aftercare.portal.services import pending_uploads_prune


@cron("41 * * * *")
@task()
def pending_uploads_prune_task() -> int:
    """Delete request forms' kept files past their time and old form keys; how many files."""
    return pending_uploads_prune()

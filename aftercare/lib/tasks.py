"""Housekeeping of the background runtime itself."""

import datetime

from crontask import cron
from django.conf import settings
from django.tasks import task
from django.utils import timezone


@cron("17 3 * * *")
@task()
def task_results_prune_task() -> int:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS; return how many."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - datetime.timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted

"""Sending notices in the background: at once after the change that caused them, and
periodically for retries and for anything the first run missed."""

from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron
from django.conf import settings
from django.tasks import task

from aftercare.notifications.services import notices_send_due


@task()
def notices_send_task() -> int:
    """Send the notices that are due."""
    return notices_send_due()


@cron(IntervalTrigger(seconds=settings.NOTICE_SWEEP_SECONDS))
@task()
def notices_sweep_task() -> int:
    """Send retries that fell due and notices whose first run was missed."""
    return notices_send_due()

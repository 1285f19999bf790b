"""Inbound mail in the background: processing as soon as a message is stored, a periodic sweep
for retries and for anything missed, and polling of the organizations' IMAP mailboxes."""

from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron
from django.conf import settings
from django.tasks import task

from aftercare.messaging.inbound.imap import mailboxes_poll
from aftercare.messaging.inbound.services import inbound_process_due


@task()
def inbound_process_task() -> int:
    """Process the stored messages that are due."""
    return inbound_process_due()


@cron(IntervalTrigger(seconds=settings.INBOUND_SWEEP_SECONDS))
@task()
def inbound_sweep_task() -> int:
    """Retries that fell due, and messages whose first run was missed or died."""
    return inbound_process_due()


@cron(IntervalTrigger(seconds=settings.INBOUND_POLL_SECONDS))
@task()
def mailboxes_poll_task() -> int:
    """Fetch new mail from every active mailbox."""
    return mailboxes_poll()

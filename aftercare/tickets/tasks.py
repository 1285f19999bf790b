"""Background work on requests: the SLA sweep, escalations and routing. Tasks take ids and are
idempotent: running one twice, or a periodic one late, does no harm."""

import functools
import logging

from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron
from django.conf import settings
from django.db import transaction
from django.tasks import task

from aftercare.accounts.models import Team
from aftercare.tickets.escalation.services import escalation_notify, escalation_run
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.indexing import model_requests_index
from aftercare.tickets.notices import notify_sla_crossings, notify_waiting_reminders
from aftercare.tickets.routing.dispatch import routing_dispatch
from aftercare.tickets.services.sla import sla_configuration_apply

logger = logging.getLogger("aftercare.sla")


@cron(IntervalTrigger(seconds=settings.SLA_SWEEP_SECONDS))
@task()
def sla_sweep_task() -> dict:
    """Bring requests up to changed SLA settings, record what fell due, and run escalations
    left pending (a failed or missed run is caught up by the next)."""
    refreshed = sla_configuration_apply()
    result = sla_sweep()
    escalated = escalation_run()
    if result.warnings or result.breaches or result.escalations or refreshed:
        logger.info(
            "SLA sweep: %s warnings, %s breaches, %s escalations, %s requests refreshed",
            result.warnings,
            result.breaches,
            result.escalations,
            refreshed,
        )
    return {
        "tickets": result.tickets,
        "warnings": result.warnings,
        "breaches": result.breaches,
        "escalations": result.escalations,
        "escalated": escalated,
        "refreshed": refreshed,
    }


@task()
def sla_escalations_run_task(*, mark_ids: list[int]) -> int:
    """Carry out the escalations the sweep just recorded."""
    return escalation_run(mark_ids=mark_ids)


@task()
def sla_escalation_notify_task(*, mark_id: int, user_ids: list[int]) -> int:
    """Email the people an escalation tells."""
    return escalation_notify(mark_id=mark_id, user_ids=user_ids)


@task()
def routing_dispatch_task(*, organization_id: int, team_id: int | None = None) -> int:
    """Offer one organization's waiting requests to agents who can take them."""
    return routing_dispatch(organization_id=organization_id, team_id=team_id)


@cron(IntervalTrigger(seconds=settings.ROUTING_DISPATCH_SECONDS))
@task()
def routing_dispatch_all_task() -> int:
    """Offer waiting requests in every organization with an auto-assigning team."""
    organization_ids = (
        Team.objects.filter(is_active=True)
        .exclude(assignment=Team.Assignment.MANUAL)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return sum(routing_dispatch(organization_id=pk) for pk in list(organization_ids))


@cron(IntervalTrigger(seconds=settings.REMINDER_SWEEP_SECONDS))
@task()
def waiting_reminders_task() -> int:
    """Remind customers whose requests have waited on them long enough (once per wait)."""
    return notify_waiting_reminders()


@task()
def sla_crossings_notify_task(*, crossings: list[list]) -> int:
    """Tell assignees of the SLA warnings and breaches a sweep recorded (once each)."""
    return notify_sla_crossings([tuple(row) for row in crossings])


@task()
def model_requests_index_task(*, product_model_id: int) -> int:
    """Put the search documents of a renamed model's requests again."""
    return model_requests_index(product_model_id=product_model_id)


def model_requests_index_soon(*, product_model) -> None:
    """A model's name changed (`catalog.hooks.product_model_renamed`): its requests' documents
    are put again by the task worker once the change is committed."""
    transaction.on_commit(
        functools.partial(model_requests_index_task.enqueue, product_model_id=product_model.pk)
    )

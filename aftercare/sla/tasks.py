"""The sla app's periodic work: next year's official holidays on calendars made for a country."""

from crontask import cron
from django.tasks import task

from aftercare.sla.services import official_holidays_top_up


# On the first of every month at 04:41: the first run of a year adds the next year's holidays;
# the others find nothing to do, and catch up on a year missed while the server was down.
@cron("41 4 1 * *")
@task()
def official_holidays_top_up_task() -> int:
    """Add the coming year's official holidays where they are missing; return how many."""
    return official_holidays_top_up()

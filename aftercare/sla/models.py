"""Business calendars, SLA policies and escalation rules, stored per organization."""

import secrets
from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization, Team
from aftercare.lib import vocabulary
from aftercare.sla.presets import holiday_display_name

MIDNIGHT = time(0, 0)
INTERVAL_ERROR = _("A working interval must end after it starts (an end of 00:00 means midnight).")


def interval_is_valid(start: time, end: time) -> bool:
    """Whether a working interval ends after it starts; an end of 00:00 means 24:00."""
    return end == MIDNIGHT or start < end


class BusinessCalendar(models.Model):
    """A named calendar of working time in one time zone, used to measure SLAs."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="business_calendars"
    )
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64)
    is_default = models.BooleanField(_("default calendar"), default=False)
    # Whose official moving holidays the calendar gets (aftercare.sla.official); empty: none.
    country = models.CharField(_("official holidays of"), max_length=2, blank=True, default="")
    # The last year whose official holidays the yearly top-up added; a year up to it is not
    # filled again, so a holiday an admin removed stays removed.
    official_holidays_through = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False
    )
    # Bumped by every service that changes the calendar or its rows, so caches key on (id, version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="business_calendar_name_unique"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_default=True),
                name="business_calendar_one_default",
            ),
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WorkingInterval(models.Model):
    """Working hours on one weekday (0 = Monday); an end of 00:00 means midnight."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="working_intervals"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MinValueValidator(0), MaxValueValidator(6)]
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))

    class Meta:
        verbose_name = _("working interval")
        verbose_name_plural = _("working intervals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="working_interval_weekday_range"
            ),
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time"))
                | models.Q(end_time=MIDNIGHT),
                name="working_interval_ends_after_start",
            ),
        ]
        ordering = ["weekday", "start_time"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def clean(self) -> None:
        """Refuse an interval that does not end after it starts."""
        if not interval_is_valid(self.start_time, self.end_time):
            raise ValidationError({"end_time": INTERVAL_ERROR})


class Holiday(models.Model):
    """A closed date, range of dates, or month and day closed every year."""

    class Kind(models.TextChoices):
        DATE = "date", _("single date")
        RANGE = "range", _("range of dates")
        YEARLY_GREGORIAN = "yearly_gregorian", _("every year (Gregorian)")
        YEARLY_JALALI = "yearly_jalali", _("every year (Jalali)")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    # A record, not a UI string: preset holidays keep their English names and are shown by key.
    name = models.CharField(_("name"), max_length=100)
    # A preset's or python-holidays' holiday: the stable key that names it in every language
    # (aftercare.sla.presets.HOLIDAY_NAMES); empty for a holiday typed by an admin.
    key = models.CharField(_("key"), max_length=40, blank=True, default="")
    # Which year's holiday of that key (the Hijri year of a lunar one); empty for fixed dates.
    occurrence = models.CharField(_("occurrence"), max_length=20, blank=True, default="")
    source = models.CharField(_("source"), max_length=60, blank=True, default="")
    is_estimated = models.BooleanField(_("estimated by its source"), default=False)
    # The date the source gave, kept when an admin corrects it.
    source_date = models.DateField(_("date given by the source"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["kind", "month", "day", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "key", "occurrence"],
                condition=~models.Q(occurrence=""),
                name="holiday_occurrence_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language: a preset's translated, an admin's as typed."""
        return holiday_display_name(key=self.key, name=self.name)

    @property
    def is_dated(self) -> bool:
        """Whether it falls on dates of one year (which can be corrected), not every year."""
        return self.kind in (Holiday.Kind.DATE, Holiday.Kind.RANGE)

    def problems(self) -> dict[str, str]:
        """What is wrong with this holiday for its kind, by field; empty when it is valid."""
        return holiday_problems(
            kind=self.kind,
            start_date=self.start_date,
            end_date=self.end_date,
            month=self.month,
            day=self.day,
        )

    def clean(self) -> None:
        """Refuse fields that do not make a holiday of this kind."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems)


def holiday_problems(
    *,
    kind: str,
    start_date: date | None,
    end_date: date | None,
    month: int | None,
    day: int | None,
) -> dict[str, str]:
    """The first problem with a holiday's fields for its kind, keyed by field."""
    if kind not in Holiday.Kind.values:
        return {"kind": str(_("Choose a kind of holiday."))}
    if kind in (Holiday.Kind.DATE, Holiday.Kind.RANGE) and start_date is None:
        return {"start_date": str(_("Enter the date."))}
    if kind == Holiday.Kind.RANGE:
        if end_date is None:
            return {"end_date": str(_("Enter the last date of the range."))}
        if end_date < start_date:  # type: ignore[operator]
            return {"end_date": str(_("The range must not end before it starts."))}
    if kind in (Holiday.Kind.YEARLY_GREGORIAN, Holiday.Kind.YEARLY_JALALI):
        if month is None or not 1 <= month <= 12:
            return {"month": str(_("Enter a month from 1 to 12."))}
        if kind == Holiday.Kind.YEARLY_GREGORIAN:
            longest = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        else:
            longest = 31 if month <= 6 else 30
        if day is None or not 1 <= day <= longest:
            return {"day": str(_("That month has no such day."))}
    return {}


class DateOverride(models.Model):
    """A date with its own working hours, e.g. a short day or an extra working day."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="date_overrides"
    )
    date = models.DateField(_("date"))
    # [["HH:MM", "HH:MM"], ...]; an empty list closes the date, an end of "00:00" means midnight.
    intervals = models.JSONField(_("working hours"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # An official half day (python-holidays): its key, occurrence and source, as on Holiday.
    key = models.CharField(_("key"), max_length=40, blank=True, default="")
    occurrence = models.CharField(_("occurrence"), max_length=20, blank=True, default="")
    source = models.CharField(_("source"), max_length=60, blank=True, default="")
    is_estimated = models.BooleanField(_("estimated by its source"), default=False)

    class Meta:
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="date_override_date_unique"),
            models.UniqueConstraint(
                fields=["calendar", "key", "occurrence"],
                condition=~models.Q(occurrence=""),
                name="date_override_occurrence_unique",
            ),
        ]
        ordering = ["date"]

    def __str__(self) -> str:
        return self.date.isoformat()

    @property
    def display_note(self) -> str:
        """An official half day's name in the active language, else the note as typed."""
        return holiday_display_name(key=self.key, name=self.note)


class SlaState(models.TextChoices):
    """A request's SLA at a glance (aftercare.sla.clock.state)."""

    NONE = "", _("No SLA")
    RUNNING = "running", _("On track")
    WARNING = "warning", _("At risk")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


# The three targets an SLA policy can set: part of the request's vocabulary (notices name them).
Metric = vocabulary.Metric


# Statuses that stop the clock unless a policy says otherwise: waiting on the customer, or on parts.
DEFAULT_PAUSE_STATUSES = ["pending_customer", "awaiting_parts"]


def default_pause_statuses() -> list[str]:
    """A fresh copy of the default pausing statuses."""
    return list(DEFAULT_PAUSE_STATUSES)


class SlaPolicy(models.Model):
    """Targets for first response, next response and resolution, in business time of a calendar.

    The first active policy, by position, whose conditions all match a request applies to it; an
    empty condition matches anything.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="sla_policies"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    kinds = models.JSONField(_("kinds of request"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    customer_tiers = models.JSONField(_("customer tiers"), default=list, blank=True)
    product_models = models.ManyToManyField(
        "catalog.ProductModel",
        blank=True,
        related_name="sla_policies",
        verbose_name=_("product models"),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("business calendar"),
        help_text=_("Empty: the organization's default calendar, or around the clock."),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response within (minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (minutes)"), null=True, blank=True
    )
    pause_statuses = models.JSONField(
        _("statuses that pause the clock"), default=default_pause_statuses, blank=True
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warn at (percent of the target)"),
        default=80,
        validators=[MaxValueValidator(99)],
        help_text=_("0 means no warning."),
    )
    # Bumped on every change, so tickets can tell their targets came from an older version.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="sla_policy_name_unique"),
            models.CheckConstraint(
                condition=models.Q(warning_percent__lte=99), name="sla_policy_warning_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "is_active", "position"], name="sla_policy_order")
        ]

    def __str__(self) -> str:
        return self.name

    def target_minutes(self, metric: str) -> int | None:
        """The target of one metric in minutes, or None when the policy sets none."""
        return getattr(self, f"{metric}_minutes")


class EscalationRule(models.Model):
    """What happens when a request's SLA reaches a warning or a breach, at one level.

    Levels fire in their own time: a rule can wait some minutes after the threshold, so that a
    breach first tells the supervisor, and an hour later moves the request to another team.
    """

    class Threshold(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")

    ANY_METRIC = ""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="escalation_rules"
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    metric = models.CharField(
        _("target"),
        max_length=20,
        choices=[(ANY_METRIC, _("Any target")), *Metric.choices],
        blank=True,
        default=ANY_METRIC,
    )
    threshold = models.CharField(_("when"), max_length=10, choices=Threshold.choices)
    delay_minutes = models.PositiveIntegerField(
        _("minutes after"), default=0, help_text=_("Wait this long after the warning or breach.")
    )
    policies = models.ManyToManyField(
        SlaPolicy,
        blank=True,
        related_name="escalation_rules",
        verbose_name=_("SLA policies"),
        help_text=_("Empty: every policy."),
    )
    notify_supervisors = models.BooleanField(_("notify the supervisors"), default=False)
    notify_assignee = models.BooleanField(_("notify the assignee"), default=False)
    notify_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notify this person"),
    )
    reassign_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("move to team"),
        help_text=_("The request leaves its assignee and waits in this team's queue."),
    )
    raise_priority_to = models.PositiveSmallIntegerField(
        _("raise priority to"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["level", "delay_minutes", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="escalation_rule_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


def _stamp() -> str:
    return secrets.token_hex(16)


class SlaConfiguration(models.Model):
    """One row per organization: a version bumped by every change to calendars, policies and
    escalation rules, and how far open requests have been brought up to it."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="sla_configuration"
    )
    version = models.PositiveIntegerField(default=1)
    # Random on every change: caches key on it, so a rolled-back or reused id never matches.
    stamp = models.CharField(max_length=32, default=_stamp, editable=False)
    applied_version = models.PositiveIntegerField(default=0)
    # The version being applied, and the last open request id brought up to it so far.
    applying_version = models.PositiveIntegerField(default=0)
    applied_through_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SLA configuration")
        verbose_name_plural = _("SLA configurations")

    def __str__(self) -> str:
        return f"{self.organization_id} v{self.version}"

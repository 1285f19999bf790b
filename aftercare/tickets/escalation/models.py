"""The marks the SLA sweep leaves on requests: warnings, breaches and escalations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization, Team
from aftercare.sla.models import EscalationRule, Metric, SlaPolicy


class SlaMark(models.Model):
    """A warning, breach or escalation of a request's SLA, recorded once (unique `key`).

    The sweep writes these with the timeline events; an escalation's actions are carried out
    afterwards and `done_at` says they were. Reports of breaches by team read this table.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")
        ESCALATION = "escalation", _("Escalation")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="sla_marks")
    key = models.CharField(max_length=80)
    metric = models.CharField(max_length=20, choices=Metric.choices)
    cycle = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    rule = models.ForeignKey(
        EscalationRule, on_delete=models.PROTECT, null=True, blank=True, related_name="marks"
    )
    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who had the request when it happened, for reports by team and agent.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA mark")
        verbose_name_plural = _("SLA marks")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "key"], name="sla_mark_once"),
        ]
        indexes = [
            models.Index(fields=["organization", "kind", "recorded_at"], name="sla_mark_report"),
            models.Index(
                fields=["recorded_at"],
                condition=models.Q(kind="escalation", done_at__isnull=True),
                name="sla_mark_pending_escalation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.metric} on {self.ticket_id}"


class EscalationNotice(models.Model):
    """One email an escalation sent to one person, written as soon as it went out.

    The notify task skips whoever already has a notice, so a task that is run again (after a
    failure part-way through, or enqueued twice) does not send the same email twice.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    mark = models.ForeignKey(SlaMark, on_delete=models.PROTECT, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("escalation notice")
        verbose_name_plural = _("escalation notices")
        constraints = [
            models.UniqueConstraint(fields=["mark", "user"], name="escalation_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mark_id} to {self.user_id}"

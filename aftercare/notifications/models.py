"""The outbound log: every notice sent to anyone, on any channel, with its state and attempts."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer


class Notice(models.Model):
    """One message to one recipient about one event: written in the transaction of the change
    it tells of, then rendered and sent by a background task, retried with backoff."""

    class Event(models.TextChoices):
        RECEIVED = "received", _("Request received")
        REPLIED = "replied", _("Agent replied")
        WAITING = "waiting", _("Waiting on the customer")
        STATUS_CHANGED = "status_changed", _("Status changed")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # Notices are kept whatever happens to what they were about (no hard deletes of the log).
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    # The request it is about, by id: requests sit above notifications.
    ticket_id = models.BigIntegerField(null=True, blank=True)
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=16, default="email")
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    # Unique per organization: the same change never gives two notices, however often it is told.
    key = models.CharField(max_length=120)
    # What the template is rendered with: plain values, fixed when the change happened.
    context = models.JSONField(default=dict)
    # The conversation it belongs to (email: References), oldest first.
    thread = models.JSONField(default=list)
    # Where the recipient's answer goes (email: Reply-To, with the request's token).
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Which sender's run holds it while it is being sent (state "sending").
    claim = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="notice_key_unique_per_org"
            )
        ]
        indexes = [
            # What the sweep reads: only notices still to send have a next attempt, and the
            # sweep's `next_attempt_at <= ?` implies the condition. (A condition on the state,
            # `state IN ('queued', 'sending')`, was never used: SQLite does not prove that the
            # query's IN list of bound values implies it.)
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="notice_pending",
            ),
            models.Index(fields=["organization", "ticket_id", "id"], name="notice_ticket"),
            # Mail that answers or bounces a notice names its Message-ID.
            models.Index(fields=["organization", "message_id"], name="notice_message_id"),
            models.Index(fields=["customer", "-created_at", "-id"], name="notice_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient}"


class NoticeAttempt(models.Model):
    """One try at sending a notice, kept whatever came of it (append-only)."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed, will retry")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sending attempt")
        verbose_name_plural = _("sending attempts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="notice_attempt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} #{self.number}: {self.outcome}"

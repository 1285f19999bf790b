"""The outbound log: every notice sent to anyone, on any channel, with its state and attempts."""

from django.conf import settings
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
        REMINDER = "reminder", _("Reminder: waiting for the customer's answer")
        QUOTE = "quote", _("Repair quote to approve")
        # To staff.
        ASSIGNED = "assigned", _("Assigned to you")
        CUSTOMER_REPLIED = "customer_replied", _("The customer replied")
        MENTIONED = "mentioned", _("Mentioned in a note")
        SLA_WARNING = "sla_warning", _("SLA at risk")
        SLA_BREACHED = "sla_breached", _("SLA breached")
        ESCALATED = "escalated", _("Escalated to you")
        STOCK_LOW = "stock_low", _("Spare part stock low")

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
    # A member of staff it was sent to (their own notices).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
            # The outbound log filtered by state (the failed and bounced ones), newest first.
            models.Index(fields=["organization", "state", "-id"], name="notice_state"),
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


# Who each event is for, and what a customer may turn off: transactional notices about their own
# requests always go; reminders go unless the customer unsubscribed (one click, RFC 8058).
STAFF_EVENTS = frozenset(
    {
        Notice.Event.ASSIGNED,
        Notice.Event.CUSTOMER_REPLIED,
        Notice.Event.MENTIONED,
        Notice.Event.SLA_WARNING,
        Notice.Event.SLA_BREACHED,
        Notice.Event.ESCALATED,
        Notice.Event.STOCK_LOW,
    }
)
CUSTOMER_EVENTS = frozenset(set(Notice.Event) - STAFF_EVENTS)


class Topic(models.TextChoices):
    """What a customer's notice is about, for their consent."""

    UPDATES = "updates", _("Updates on my requests")
    REMINDERS = "reminders", _("Reminders")


TOPIC_OF_EVENT = {Notice.Event.REMINDER: Topic.REMINDERS}
# Topics a customer receives until they say no (anything else would need their yes first).
TOPICS_ON_BY_DEFAULT = frozenset({Topic.UPDATES, Topic.REMINDERS})
# Transactional: always sent, nothing to unsubscribe from.
TRANSACTIONAL_TOPICS = frozenset({Topic.UPDATES})


class CustomerPreference(models.Model):
    """A customer's yes or no to a topic of notices, with when and how it was given."""

    class Source(models.TextChoices):
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        PORTAL = "portal", _("Portal")
        STAFF = "staff", _("Staff")
        API = "api", _("API")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="notice_preferences"
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    allowed = models.BooleanField(_("allowed"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("customer notice preference")
        verbose_name_plural = _("customer notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["customer", "topic"], name="customer_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.topic}: {self.allowed}"


class StaffPreference(models.Model):
    """A member of staff's choice of which of their notices they get by email."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("event"), max_length=32, choices=Notice.Event.choices)
    email = models.BooleanField(_("by email"), default=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("staff notice preference")
        verbose_name_plural = _("staff notice preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "event"], name="staff_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}: {self.email}"


class NotificationSettings(models.Model):
    """An organization's rules for notices: quiet hours on phones, the waiting reminder."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="notification_settings"
    )
    # Non-urgent notices on phones (SMS, messengers) wait from start to end, in the
    # organization's time zone (an end before the start spans midnight). Empty: no quiet hours.
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # A request waiting on the customer this many business hours reminds them once; 0: never.
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind a customer after (business hours)"), default=24
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"notification settings of {self.organization_id}"


class NoticeTemplate(models.Model):
    """An organization's own words for an event's notice in one language and channel, instead
    of the shipped ones. Rendered in a sandbox: only the values offered, no tags that reach
    anything else (aftercare/notifications/sandbox.py)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("event"), max_length=32, choices=Notice.Event.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    channel = models.CharField(_("channel"), max_length=16, default="email")
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event", "language", "channel"],
                name="notice_template_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.language} {self.channel}"


class ConsoleNotice(models.Model):
    """One notice in a member of staff's bell in the console: written for every staff event
    told to them, whether or not they get it by email, and kept (read or not)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("event"), max_length=32, choices=Notice.Event.choices)
    # The request it is about, by id (requests sit above notifications); none for stock.
    ticket_id = models.BigIntegerField(null=True, blank=True)
    # The change it tells of, as the notice by email names it: one bell notice per key and user.
    key = models.CharField(max_length=120)
    # What its sentence is written with, in the reader's language when shown: reference,
    # subject, the customer's and the agent's names.
    context = models.JSONField(default=dict)
    # Where it leads in the console (a path of this site), fixed when it was written.
    path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("console notice")
        verbose_name_plural = _("console notices")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "key"], name="console_notice_key_unique"
            )
        ]
        indexes = [
            # A member's notices, newest first (the bell and the keyset-paged list).
            models.Index(fields=["organization", "user", "-id"], name="console_notice_user"),
            # Their unread ones: counted on every console page's channel, marked read at once.
            models.Index(
                fields=["organization", "user", "id"],
                condition=models.Q(read_at__isnull=True),
                name="console_notice_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user_id}"

    @property
    def is_unread(self) -> bool:
        """Whether its reader has not opened it (nor marked every notice read) since."""
        return self.read_at is None

    @property
    def sentence(self) -> str:
        """What happened, in the active language."""
        from aftercare.notifications.bell import notice_sentence

        return notice_sentence(self.event, self.context)

"""What came in: every raw message as it arrived, before anything was made of it, and the
mailboxes it is fetched from."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization
from aftercare.tickets.models import Ticket, TicketMessage


class Mailbox(models.Model):
    """An IMAP mailbox of an organization, polled for new mail. The password is sealed
    (aftercare.lib.sealing) and never shown back."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS (port 993)")
        STARTTLS = "starttls", _("STARTTLS (port 143)")
        NONE = "none", _("None (trusted network only)")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    address = models.EmailField(_("address"), help_text=_("The address customers write to."))
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=8, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=255)
    password_sealed = models.TextField(blank=True, editable=False)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    processed_folder = models.CharField(
        _("move processed mail to"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to keep mail in the folder and mark it as read."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Where polling got to: UIDs are only meaningful under the folder's UIDVALIDITY.
    uidvalidity = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.PositiveBigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="mailbox_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InboundEmail(models.Model):
    """One raw message as it arrived (never changed, never deleted), and what came of it."""

    class Source(models.TextChoices):
        IMAP = "imap", _("IMAP")
        PIPE = "pipe", _("Mail server pipe")
        WEBHOOK = "webhook", _("Provider webhook")

    class State(models.TextChoices):
        RECEIVED = "received", _("Waiting to be processed")
        DONE = "done", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    class Outcome(models.TextChoices):
        NEW_REQUEST = "new_request", _("New request")
        APPENDED = "appended", _("Added to a request")
        AUTO_REPLY = "auto_reply", _("Automatic reply")
        BOUNCE = "bounce", _("Delivery failure report")
        LOOP = "loop", _("Mail loop")
        NO_SENDER = "no_sender", _("No sender address")
        ERROR = "error", _("Error")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # Unique per organization: the Message-ID, else a digest of the bytes. A second delivery of
    # the same message finds this row and is counted, not processed again.
    key = models.CharField(max_length=200)
    raw = models.BinaryField()
    size = models.PositiveBigIntegerField(_("size"))
    envelope_sender = models.CharField(max_length=254, blank=True)
    envelope_recipient = models.CharField(max_length=254, blank=True)
    imap_uid = models.PositiveBigIntegerField(null=True, blank=True)
    # Read from the headers when stored, for the lists (the raw message is the record).
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=1)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Set while the message still has to be processed (first time or retry).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ticket_message = models.ForeignKey(
        TicketMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound email")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="inbound_key_unique")
        ]
        indexes = [
            # What the processor reads next: the implied condition of `next_attempt_at <= ?`.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="inbound_pending",
            ),
            # Threading by an earlier message's Message-ID; a sender's recent volume (loops).
            models.Index(fields=["organization", "message_id"], name="inbound_message_id"),
            models.Index(
                fields=["organization", "from_address", "received_at"], name="inbound_sender"
            ),
            # The console's list, per state, newest first.
            models.Index(fields=["organization", "state", "-id"], name="inbound_state"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"

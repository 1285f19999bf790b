"""The service request and everything on its timeline."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization, Team
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.lib.choices import ChoiceLabelsMixin
from aftercare.lib.vocabulary import OPEN_STATUSES, Channel, Kind, Priority, Status
from aftercare.sla.models import SlaPolicy, SlaState
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.warranty.models import Unit


def _public_token() -> str:
    return secrets.token_urlsafe(18)


class Category(models.Model):
    """A category of problem, optionally under a parent category."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="ticket_categories"
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"], name="category_name_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent} / {self.name}" if self.parent_id else self.name


class Tag(models.Model):
    """A free label on requests."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tags")
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="tag_unique")]

    def __str__(self) -> str:
        return self.name


class Ticket(ChoiceLabelsMixin, models.Model):
    """A service request, carrying the five sections of the standard after-sales form."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tickets")
    number = models.PositiveBigIntegerField(_("number"), editable=False)
    public_token = models.CharField(
        max_length=32, unique=True, default=_public_token, editable=False
    )
    subject = models.CharField(_("subject"), max_length=200)

    # A. Customer
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="tickets")
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    # B. Product or service
    product_model = models.ForeignKey(
        ProductModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("product model"),
    )
    # The registered unit the request is about; the model, serial, purchase date and seller
    # below are copied from it (or typed by hand when the unit is not registered).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("unit"),
    )
    serial_number = models.CharField(_("serial number"), max_length=64, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    seller = models.CharField(_("seller"), max_length=200, blank=True)

    # C. Problem
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.QUESTION)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("category"),
    )
    description = models.TextField(_("problem description"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets", verbose_name=_("tags"))

    # Work state
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    is_open = models.BooleanField(default=True, editable=False)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )

    # E. Finalization
    resolution = models.TextField(_("resolution"), blank=True)
    root_cause = models.CharField(_("root cause"), max_length=200, blank=True)
    customer_confirmed_at = models.DateTimeField(_("confirmed by customer"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0, editable=False)
    # A duplicate merged into another request: closed, and its timeline shown on that one.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_requests",
        editable=False,
        verbose_name=_("merged into"),
    )

    # SLA: the policy that applies, its clock (aftercare.sla.clock, as JSON) and what the queues,
    # the sweep and reports read from it, kept in columns so they can be indexed.
    sla_policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("SLA policy"),
    )
    sla_clock = models.JSONField(null=True, blank=True, editable=False)
    sla_state = models.CharField(
        _("SLA"), max_length=10, choices=SlaState.choices, blank=True, default="", editable=False
    )
    sla_due_at = models.DateTimeField(_("SLA due"), null=True, blank=True, editable=False)
    first_response_due_at = models.DateTimeField(
        _("first response due"), null=True, blank=True, editable=False
    )
    next_response_due_at = models.DateTimeField(
        _("next response due"), null=True, blank=True, editable=False
    )
    resolution_due_at = models.DateTimeField(
        _("resolution due"), null=True, blank=True, editable=False
    )
    sla_next_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="ticket_number_unique")
        ]
        indexes = [
            models.Index(
                fields=["organization", "is_open", "-updated_at", "-id"], name="ticket_queue_open"
            ),
            models.Index(
                fields=["organization", "assignee", "is_open", "-updated_at", "-id"],
                name="ticket_queue_assignee",
            ),
            models.Index(
                fields=["organization", "team", "is_open", "-updated_at", "-id"],
                name="ticket_queue_team",
            ),
            models.Index(
                fields=["organization", "status", "-updated_at", "-id"], name="ticket_status"
            ),
            models.Index(fields=["organization", "-updated_at", "-id"], name="ticket_updated"),
            models.Index(fields=["organization", "-created_at", "-id"], name="ticket_created"),
            models.Index(
                fields=["organization", "is_open", "-priority", "-updated_at", "-id"],
                name="ticket_queue_priority",
            ),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer"),
            models.Index(
                fields=["organization", "is_open", "sla_due_at", "id"], name="ticket_queue_sla_due"
            ),
            models.Index(
                fields=["organization", "sla_state", "sla_due_at", "id"], name="ticket_sla_state"
            ),
            # The sweep reads only what falls due; most tickets have nothing pending.
            models.Index(
                fields=["sla_next_check_at"],
                condition=models.Q(sla_next_check_at__isnull=False),
                name="ticket_sla_next_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def save(self, *args, **kwargs):
        self.is_open = self.status in OPEN_STATUSES
        if kwargs.get("update_fields") is not None and "status" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_open"}
        super().save(*args, **kwargs)

    @cached_property
    def tag_names(self) -> list[str]:
        """The names of the request's tags, alphabetically. Selectors fill this for a whole page
        in one query (tickets.selectors.with_tag_names); services set it when they change tags."""
        return sorted(self.tags.values_list("name", flat=True))

    @property
    def reference(self) -> str:
        """The human number, e.g. AS-000123."""
        return self.format_reference(self.organization.ticket_prefix, self.number)

    @staticmethod
    def format_reference(prefix: str, number: int) -> str:
        """A request's human number from its organization's prefix and its number."""
        return f"{prefix}-{number:06d}"


class TicketMessage(ChoiceLabelsMixin, models.Model):
    """One entry someone wrote on the timeline: customer message, reply, note or call log."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    body = models.TextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    call_direction = models.CharField(
        _("call direction"), max_length=16, choices=CallDirection.choices, blank=True
    )
    call_duration_seconds = models.PositiveIntegerField(_("call duration"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="message_timeline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.ticket_id}"

    @property
    def is_public(self) -> bool:
        """Customer messages and agent replies are visible to the customer."""
        return self.kind in (MessageKind.CUSTOMER, MessageKind.REPLY)


def private_storage():
    """The storage for files only served after a permission check."""
    from django.core.files.storage import storages

    return storages["private"]


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return (
        f"org-{instance.organization_id}/tickets/{instance.ticket_id}/"
        f"{secrets.token_hex(8)}/{instance.filename}"
    )


class Attachment(models.Model):
    """A file on a request, kept in private storage and served after a permission check."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey(
        TicketMessage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(storage=private_storage, upload_to=_attachment_path)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TicketEvent(ChoiceLabelsMixin, models.Model):
    """An append-only record of a change; the database refuses UPDATE and DELETE on it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assignee changed")
        TEAM_CHANGED = "team_changed", _("Team changed")
        PRIORITY_CHANGED = "priority_changed", _("Priority changed")
        FIELDS_CHANGED = "fields_changed", _("Details changed")
        TAGS_CHANGED = "tags_changed", _("Tags changed")
        MESSAGE_ADDED = "message_added", _("Message added")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        REOPENED = "reopened", _("Reopened")
        CONFIRMED = "confirmed", _("Resolution confirmed by the customer")
        SLA_APPLIED = "sla_applied", _("SLA policy applied")
        SLA_WARNING = "sla_warning", _("SLA warning")
        SLA_BREACHED = "sla_breached", _("SLA breached")
        ESCALATED = "escalated", _("Escalated")
        ROUTED = "routed", _("Routed")
        # Repair work (repairs sits above tickets): a work order's stage, quote, visit, claim;
        # what happened is in data["action"], described by `hooks.work_event_describers`.
        WORK = "work", _("Repair work")
        MERGED = "merged", _("Merged")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.ticket_id}"


# The models of the app's subpackages (routing, agents, escalation) register with the app here.
from aftercare.tickets.agents.models import AgentProfile  # noqa: E402, F401
from aftercare.tickets.escalation.models import EscalationNotice, SlaMark  # noqa: E402, F401
from aftercare.tickets.productivity.models import (  # noqa: E402, F401
    CannedAnswer,
    Macro,
    SavedView,
)
from aftercare.tickets.routing.models import RoutingRule  # noqa: E402, F401

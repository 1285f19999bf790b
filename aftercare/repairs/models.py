"""Work orders and what is done under them: diagnosis, labour, parts, quotes for work the
customer pays for, and on-site visits; plus each organization's repair settings."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftercare.accounts.models import Organization
from aftercare.catalog.models import FaultCode, SparePart
from aftercare.inventory.models import Reservation, StockLocation
from aftercare.tickets.models import Ticket
from aftercare.warranty.models import Unit, WarrantyClaim


def _token() -> str:
    return secrets.token_urlsafe(24)


class RepairSettings(models.Model):
    """An organization's money and numbering for repairs: currency, tax, labour and travel
    rates, how long a quote holds, and the last work order number given."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="repair_settings"
    )
    currency = models.CharField(_("currency"), max_length=3, default="IRR")
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=0)
    labour_rate = models.DecimalField(
        _("labour per hour"), max_digits=14, decimal_places=2, default=0
    )
    travel_fee = models.DecimalField(
        _("on-site travel fee"), max_digits=14, decimal_places=2, default=0
    )
    quote_valid_days = models.PositiveSmallIntegerField(_("a quote holds for (days)"), default=14)
    work_order_sequence = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("repair settings")
        verbose_name_plural = _("repair settings")

    def __str__(self) -> str:
        return f"repair settings of {self.organization_id}"


class WorkOrder(models.Model):
    """A repair, installation or maintenance job on a unit, opened from a request; each stage
    change is written on the request's timeline, which the customer follows."""

    class Kind(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("Service centre")
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote")
        INSTALLATION = "installation", _("Installation")
        MAINTENANCE = "maintenance", _("Maintenance")

    class Stage(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("repair stage", "Received")
        DIAGNOSING = "diagnosing", _("Diagnosing")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for your approval")
        AWAITING_PARTS = "awaiting_parts", _("Waiting for parts")
        IN_REPAIR = "in_repair", _("In repair")
        READY = "ready", _("Ready")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Billing(models.TextChoices):
        WARRANTY = "warranty", _("Warranty")
        CUSTOMER = "customer", _("Paid by the customer")
        GOODWILL = "goodwill", _("Goodwill")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="work_orders"
    )
    number = models.PositiveBigIntegerField(_("number"), editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="work_orders")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED
    )
    is_open = models.BooleanField(default=True, editable=False)
    billing = models.CharField(
        _("billing"), max_length=16, choices=Billing.choices, default=Billing.CUSTOMER
    )
    # What the coverage check said when billing was set: {"covered", "by", "until", "reason"...}.
    coverage = models.JSONField(default=dict, blank=True)
    claim = models.OneToOneField(
        WarrantyClaim, on_delete=models.PROTECT, null=True, blank=True, related_name="work_order"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("technician"),
    )
    # Where its parts are taken from.
    stock_location = models.ForeignKey(
        StockLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parts from"),
    )
    reported_fault = models.ForeignKey(
        FaultCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported fault"),
    )
    diagnosis = models.TextField(_("diagnosis"), blank=True)
    root_cause = models.ForeignKey(
        FaultCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("root cause"),
    )
    work_done = models.TextField(_("work done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="work_order_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="work_order_ticket"),
            # The API's list, newest first.
            models.Index(fields=["organization", "-created_at", "-id"], name="work_order_recent"),
            models.Index(
                fields=["organization", "stage", "-stage_changed_at", "-id"],
                name="work_order_board",
                condition=models.Q(is_open=True),
            ),
            models.Index(
                fields=["technician", "stage"],
                name="work_order_technician",
                condition=models.Q(is_open=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"WO-{self.number:06d}"


class LabourEntry(models.Model):
    """Time a technician spent on a work order."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="labour")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.CharField(_("what was done"), max_length=500)
    rate = models.DecimalField(_("rate per hour"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("labour entry")
        verbose_name_plural = _("labour entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="labour_minutes")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.work_order_id}"


class PartLine(models.Model):
    """A spare part a work order needs: reserved at a location, then used or let go."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        WAITING = "waiting", _("Waiting for stock")
        USED = "used", _("Used")
        RELEASED = "released", _("Released")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="parts")
    part = models.ForeignKey(SparePart, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    # Set when the part was used: the serial of a serialised part fitted into the unit.
    serial_number = models.CharField(_("serial number"), max_length=64, blank=True)
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    reservation = models.OneToOneField(
        Reservation, on_delete=models.PROTECT, null=True, blank=True, related_name="part_line"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("part line")
        verbose_name_plural = _("part lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="part_line_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part_id} ({self.status})"


class Quote(models.Model):
    """What a repair the warranty does not pay for will cost; the customer approves or
    declines it in the portal. Declining stops the work order and lets its parts go."""

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for the customer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="quotes")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    currency = models.CharField(max_length=3)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    subtotal = models.DecimalField(max_digits=14, decimal_places=2)
    tax = models.DecimalField(max_digits=14, decimal_places=2)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note to the customer"), blank=True)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        indexes = [models.Index(fields=["work_order", "-created_at"], name="quote_work_order")]

    def __str__(self) -> str:
        return f"quote {self.pk} of {self.work_order_id}"


class QuoteLine(models.Model):
    """One line of a quote: a part, labour, travel or another charge."""

    class Kind(models.TextChoices):
        PART = "part", _("Part")
        LABOUR = "labour", _("Labour")
        TRAVEL = "travel", _("Travel")
        OTHER = "other", _("Other")

    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    part = models.ForeignKey(
        SparePart, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class Visit(models.Model):
    """A technician's visit to the customer's address within a time window."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ON_THE_WAY = "on_the_way", _("On the way")
        DONE = "done", _("Done")
        MISSED = "missed", _("Customer not there")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="visits")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("technician"),
    )
    address = models.TextField(_("address"))
    window_start = models.DateTimeField(pgettext_lazy("start time", "from"))
    window_end = models.DateTimeField(_("until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")), name="visit_window"
            )
        ]
        indexes = [
            models.Index(fields=["technician", "window_start"], name="visit_technician_day"),
            models.Index(fields=["organization", "window_start"], name="visit_dispatch"),
        ]

    def __str__(self) -> str:
        return f"visit {self.pk} of {self.work_order_id}"

"""Stock locations (warehouses, technicians' vans), what each holds of each spare part, the
append-only stock ledger, and reservations of parts for work orders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftercare.accounts.models import Organization
from aftercare.catalog.models import SparePart


class StockLocation(models.Model):
    """A place parts are kept: a warehouse, or a technician's van."""

    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Warehouse")
        VAN = "van", _("Technician's van")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="stock_locations"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WAREHOUSE)
    # The technician whose van it is.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technician"),
    )
    # Who is told when a part here falls to its reorder point.
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stock keeper"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="stock_location_unique")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    """How many of a part a location holds and how many of those are reserved; kept by the
    ledger's services in the same transaction as each move, never below zero."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="levels")
    part = models.ForeignKey(SparePart, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)
    reorder_point = models.PositiveIntegerField(_("reorder point"), null=True, blank=True)
    reorder_quantity = models.PositiveIntegerField(_("reorder quantity"), null=True, blank=True)
    # Set when the free quantity fell to the reorder point and the keeper was told; cleared
    # when stock comes back above it, so each fall is told once.
    low_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["location", "part"], name="stock_level_unique"),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="stock_on_hand"),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0) & models.Q(reserved__lte=models.F("on_hand")),
                name="stock_reserved",
            ),
        ]
        indexes = [
            models.Index(fields=["part", "location"], name="stock_level_part"),
            models.Index(
                fields=["organization", "low_since"],
                name="stock_level_low",
                condition=models.Q(low_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part_id}@{self.location_id}: {self.on_hand}"

    @property
    def free(self) -> int:
        """On hand and not reserved: what a work order can still take."""
        return self.on_hand - self.reserved


class StockMove(models.Model):
    """One line of the stock ledger: append-only (the database refuses UPDATE and DELETE)."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", pgettext_lazy("stock move", "Received")
        CONSUMPTION = "consumption", _("Used in a repair")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        TRANSFER_IN = "transfer_in", _("Transferred in")
        COUNT = "count", _("Stock count")
        RETURN = "return", _("Returned to stock")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="moves")
    part = models.ForeignKey(SparePart, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))  # signed: + in, - out
    balance_after = models.IntegerField(_("on hand after"))
    reason = models.CharField(_("reason"), max_length=500)
    # What caused it, for the ledger's reader: "WO-000012", a transfer's other location...
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # The work order a consumption belongs to (repairs sits above inventory: an id, not a key).
    work_order_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        indexes = [
            models.Index(fields=["location", "part", "-created_at", "-id"], name="ledger_level"),
            models.Index(fields=["organization", "-created_at", "-id"], name="ledger_recent"),
            models.Index(fields=["part", "-created_at", "-id"], name="ledger_part"),
            models.Index(fields=["organization", "kind", "-created_at", "-id"], name="ledger_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d}"


class Reservation(models.Model):
    """Parts held at a location for a work order until they are used or let go."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Reserved")
        CONSUMED = "consumed", _("Used")
        RELEASED = "released", _("Released")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="reservations"
    )
    part = models.ForeignKey(SparePart, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField(_("quantity"))
    work_order_id = models.PositiveBigIntegerField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="reservation_quantity")
        ]
        indexes = [
            models.Index(fields=["work_order_id", "status"], name="reservation_work_order"),
            models.Index(fields=["organization", "status", "-id"], name="reservation_status"),
            models.Index(fields=["location", "status", "-id"], name="reservation_location"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part_id} ({self.status})"

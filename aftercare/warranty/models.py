"""Registered units (one serial of one model, owned by a customer), their ownership history,
warranty contracts beyond the policy's standard one, and warranty claims."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import FaultCode, ProductModel
from aftercare.customers.models import Customer
from aftercare.lib.uploads import private_storage


class Unit(models.Model):
    """One serial of one product model: where and when it was bought, delivered and installed,
    and who owns it now. The serial is stored in ASCII whatever digits it was typed with."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Registered by the customer")
        CONSOLE = "console", _("Registered by staff")
        API = "api", _("API")
        IMPORT = "import", _("Imported from sales")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="units")
    product_model = models.ForeignKey(
        ProductModel, on_delete=models.PROTECT, related_name="units", verbose_name=_("model")
    )
    serial_number = models.CharField(_("serial number"), max_length=64)
    # The serial folded for look-ups (upper case, no spaces or dashes): unique per organization.
    serial_key = models.CharField(max_length=64, editable=False)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("owner"),
    )
    # False: bought elsewhere (a grey import, a second-hand unit): registered for paid service.
    is_sold_by_us = models.BooleanField(_("sold by us or our dealers"), default=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    seller = models.CharField(_("seller"), max_length=200, blank=True)
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    installation_date = models.DateField(_("installation date"), null=True, blank=True)
    # An invoice names the buyer: kept in private storage, served after a permission check.
    proof_of_purchase = models.FileField(
        _("proof of purchase"),
        upload_to="warranty/proof/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    source = models.CharField(_("registered through"), max_length=16, choices=Source.choices)
    # When the owner registered it (the policy may require it within N days of the start).
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day it last changed hands; None if never. A policy that does not pass to a new owner
    # stops covering it from that day.
    transferred_on = models.DateField(_("changed owner on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "serial_key"], name="unit_serial_unique"
            )
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="unit_customer"),
            models.Index(fields=["organization", "-created_at", "-id"], name="unit_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.product_model} · {self.serial_number}"


class UnitTransfer(models.Model):
    """A change of owner, kept as history."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transfers")
    from_customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    transferred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("change of owner")
        verbose_name_plural = _("changes of owner")
        indexes = [models.Index(fields=["unit", "created_at"], name="unit_transfer_history")]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.to_customer_id}"


class Contract(models.Model):
    """Cover beyond the policy's standard warranty: an extended warranty sold to the customer,
    or goodwill granted by the business. (The standard warranty is computed from the policy.)"""

    class Kind(models.TextChoices):
        EXTENDED = "extended", _("Extended warranty")
        GOODWILL = "goodwill", _("Goodwill")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="warranty_contracts"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    covers_parts = models.BooleanField(_("covers parts"), default=True)
    covers_labour = models.BooleanField(_("covers labour"), default=True)
    covers_travel = models.BooleanField(_("covers on-site travel"), default=False)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A cancelled contract is kept (it was sold), marked void from this moment.
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("warranty contract")
        verbose_name_plural = _("warranty contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_dates"
            )
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="contract_unit")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"


class WarrantyClaim(models.Model):
    """A request that the warranty pay for a repair, and the decision on it; the customer sees
    the decision and, on a rejection, its reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="warranty_claims"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="claims")
    # The request the claim was made on (tickets sits above warranty: an id, not a key).
    ticket_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    fault_code = models.ForeignKey(
        FaultCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fault_on = models.DateField(_("fault date"))
    # "standard", "extended" or "goodwill": what the coverage check found when it was made.
    covered_by = models.CharField(max_length=16, blank=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason given to the customer"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="claim_queue")
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} ({self.status})"

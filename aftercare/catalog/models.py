"""Product models, their warranty policies and fault codes, and spare parts."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization


class ProductModel(models.Model):
    """A model the organization sells, e.g. a washing machine line."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="product_models"
    )
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    warranty_policy = models.ForeignKey(
        "WarrantyPolicy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="product_models",
        verbose_name=_("warranty policy"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        constraints = [
            models.UniqueConstraint(fields=["organization", "sku"], name="product_model_sku_unique")
        ]
        ordering = ["brand", "name"]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}".strip()


class FaultCode(models.Model):
    """A coded fault or root cause ("compressor failure", "physical damage"), for coverage
    exclusions and for analysis of what breaks; it applies to the listed models, or to all."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="fault_codes"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    product_models = models.ManyToManyField(
        ProductModel, blank=True, related_name="fault_codes", verbose_name=_("product models")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fault code")
        verbose_name_plural = _("fault codes")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="fault_code_unique")
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WarrantyPolicy(models.Model):
    """The standard warranty of the product models that name it: how long, from when, what it
    covers and excludes, when a unit must be registered, whether it passes to a new owner."""

    class Start(models.TextChoices):
        PURCHASE = "purchase", _("Purchase date")
        DELIVERY = "delivery", _("Delivery date")
        INSTALLATION = "installation", _("Installation date")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="warranty_policies"
    )
    name = models.CharField(_("name"), max_length=200)
    months = models.PositiveSmallIntegerField(_("length in months"))
    starts_from = models.CharField(
        _("starts from"), max_length=16, choices=Start.choices, default=Start.PURCHASE
    )
    covers_parts = models.BooleanField(_("covers parts"), default=True)
    covers_labour = models.BooleanField(_("covers labour"), default=True)
    covers_travel = models.BooleanField(_("covers on-site travel"), default=False)
    excluded_faults = models.ManyToManyField(
        FaultCode, blank=True, related_name="excluded_by", verbose_name=_("excluded faults")
    )
    # None: no registration needed; 0: on the day the warranty starts; N: within N days of it.
    registration_days = models.PositiveSmallIntegerField(
        _("register within (days)"), null=True, blank=True
    )
    is_transferable = models.BooleanField(_("passes to a new owner"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("warranty policy")
        verbose_name_plural = _("warranty policies")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="warranty_policy_unique")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SparePart(models.Model):
    """A spare part the organization stocks and sells (an SKU), with its name per language."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="spare_parts"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    # {"fa": "...", "tr": "...", "kk": "..."}: the name in other languages; `name` otherwise.
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, default=0)
    compatible_models = models.ManyToManyField(
        ProductModel, blank=True, related_name="spare_parts", verbose_name=_("compatible models")
    )
    is_serialised = models.BooleanField(_("tracked by serial number"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("spare part")
        verbose_name_plural = _("spare parts")
        constraints = [
            models.UniqueConstraint(fields=["organization", "sku"], name="spare_part_sku_unique"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="spare_part_price"),
        ]
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def name_in(self, language: str) -> str:
        """The part's name in a language, or its default name."""
        return (self.names or {}).get(language) or self.name

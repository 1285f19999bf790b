"""Product models (and, as later issues land, warranty policies, plans and spare parts)."""

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

"""Routing rules: which team new requests that match go to."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization, Team
from aftercare.catalog.models import ProductModel


class RoutingRule(models.Model):
    """Sends new requests that match to a team; the first active rule by position wins."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="routing_rules"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    kinds = models.JSONField(_("kinds of request"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    categories = models.ManyToManyField(
        "tickets.Category", blank=True, related_name="+", verbose_name=_("categories")
    )
    product_models = models.ManyToManyField(
        ProductModel, blank=True, related_name="+", verbose_name=_("product models")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="routing_rules", verbose_name=_("team")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="routing_rule_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

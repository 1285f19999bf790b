"""How routing sees each member of staff: presence, capacity and skills."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.lib.choices import ChoiceLabelsMixin


class AgentProfile(ChoiceLabelsMixin, models.Model):
    """How routing sees one member of staff: presence, capacity and skills."""

    class Presence(models.TextChoices):
        AVAILABLE = "available", _("Available")
        AWAY = "away", _("Away")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agent_profiles"
    )
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.AVAILABLE
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Most open requests routing gives this person; empty for no limit."),
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Empty: any language.")
    )
    product_models = models.ManyToManyField(
        ProductModel,
        blank=True,
        related_name="+",
        verbose_name=_("products"),
        help_text=_("Empty: any product."),
    )
    last_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    presence_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="agent_profile_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.presence})"

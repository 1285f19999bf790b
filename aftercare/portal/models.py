"""One-time sign-in links for the customer portal."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization


class PortalLoginLink(models.Model):
    """A one-time sign-in link emailed to a customer; only the token's SHA-256 is stored."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="portal_login_links"
    )
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    requested_ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal sign-in link")
        verbose_name_plural = _("portal sign-in links")
        indexes = [
            models.Index(fields=["email", "-created_at"], name="portal_link_email_recent"),
            models.Index(fields=["requested_ip", "-created_at"], name="portal_link_ip_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.email} @ {self.organization}"

    @staticmethod
    def hash_token(token: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        """Past its expiry time."""
        return self.expires_at <= timezone.now()

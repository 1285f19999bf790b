"""The customer portal's own rows: one-time sign-in links, and what a request form keeps between
its tries (the files of a form not sent yet, the key of a form sent)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.lib.uploads import private_storage
from aftercare.tickets.models import Ticket


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


def _pending_upload_path(instance: "PendingUpload", filename: str) -> str:
    return (
        f"org-{instance.organization_id}/portal/pending/{instance.customer_id}/"
        f"{secrets.token_hex(8)}/{instance.filename}"
    )


class PendingUpload(models.Model):
    """A file a customer attached to a request form that was not sent (a field needed fixing),
    kept for them alone until the form is sent, they remove it, or it expires. Not a record:
    it is deleted then, its file with it (a sent form's files are the request's attachments)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=private_storage, upload_to=_pending_upload_path)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("file waiting to be sent")
        verbose_name_plural = _("files waiting to be sent")
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="portal_pending_customer"),
            models.Index(fields=["expires_at"], name="portal_pending_expires"),
        ]

    def __str__(self) -> str:
        return self.filename


class RequestSubmission(models.Model):
    """A portal request form that was sent, by the key the form was shown with and what it
    said, and the request it opened: the same form sent again answers that request and opens
    none (sent again with other words, it is another request)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    # SHA-256 of what was sent: its fields, the kept files' ids, the new files' contents.
    fingerprint = models.CharField(max_length=64)
    # Empty only inside the transaction that opens the request.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request form sent")
        verbose_name_plural = _("request forms sent")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "key", "fingerprint"], name="portal_submission_key"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="portal_submission_created")]

    def __str__(self) -> str:
        return self.key

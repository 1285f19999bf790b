"""Each organization's own ways out: the mail server or email provider its mail goes through,
and the HTTP gateway its text messages go through. Secrets are sealed (aftercare.lib.sealing)
and never shown back."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization


class EmailSetting(models.Model):
    """How an organization's mail leaves: its SMTP server, or an email provider's API (through
    django-anymail); and the provider whose inbound webhook brings its customers' mail. Without
    one (or while inactive) its mail goes through the installation's mailer."""

    class Transport(models.TextChoices):
        SMTP = "smtp", _("SMTP server")
        POSTMARK = "postmark", _("Postmark (API)")

    class Security(models.TextChoices):
        STARTTLS = "starttls", _("STARTTLS (port 587)")
        TLS = "tls", _("TLS (port 465)")
        NONE = "none", _("None (trusted network only)")

    class InboundProvider(models.TextChoices):
        NONE = "", _("None")
        POSTMARK = "postmark", _("Postmark")

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="+")
    transport = models.CharField(
        _("send through"), max_length=16, choices=Transport.choices, default=Transport.SMTP
    )
    from_address = models.EmailField(_("from address"))
    from_name = models.CharField(_("from name"), max_length=100, blank=True)
    smtp_host = models.CharField(_("SMTP server"), max_length=255, blank=True)
    smtp_port = models.PositiveIntegerField(_("port"), default=587)
    smtp_security = models.CharField(
        _("connection security"), max_length=8, choices=Security.choices, default=Security.STARTTLS
    )
    smtp_username = models.CharField(_("user name"), max_length=255, blank=True)
    smtp_password_sealed = models.TextField(blank=True, editable=False)
    # The provider's sending key (Postmark: the server token).
    api_key_sealed = models.TextField(blank=True, editable=False)
    inbound_provider = models.CharField(
        _("inbound webhook"), max_length=16, choices=InboundProvider.choices, blank=True
    )
    # What the provider's inbound webhook proves itself with (Postmark: the user:password of
    # the webhook address's basic authentication).
    webhook_secret_sealed = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("email setting")
        verbose_name_plural = _("email settings")
        indexes = [models.Index(fields=["from_address"], name="email_setting_from")]

    def __str__(self) -> str:
        return self.from_address


def new_report_token() -> str:
    """An unguessable token naming a gateway in its delivery-report address."""
    return secrets.token_urlsafe(24)


class SmsGateway(models.Model):
    """An organization's SMS gateway, reached over HTTP in the shape most Iranian, Turkish and
    Kazakh gateways use: a URL, a method, named parameters for the recipient, the text, the
    sender line and the API key; a JSON answer with the message's id. Its delivery reports come
    back to an address named by `report_token`."""

    class Method(models.TextChoices):
        GET = "GET", "GET"
        POST = "POST", "POST"

    class BodyFormat(models.TextChoices):
        FORM = "form", _("Form fields")
        JSON = "json", _("JSON")

    class NumberFormat(models.TextChoices):
        E164 = "e164", _("+989121234567 (E.164)")
        DIGITS = "digits", _("989121234567 (E.164 without +)")

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), max_length=500)
    method = models.CharField(_("method"), max_length=4, choices=Method.choices, default="POST")
    body_format = models.CharField(
        _("body"), max_length=4, choices=BodyFormat.choices, default=BodyFormat.FORM
    )
    number_format = models.CharField(
        _("phone numbers as"),
        max_length=8,
        choices=NumberFormat.choices,
        default=NumberFormat.E164,
    )
    recipient_parameter = models.CharField(_("recipient parameter"), max_length=64)
    text_parameter = models.CharField(_("text parameter"), max_length=64)
    sender_parameter = models.CharField(_("sender parameter"), max_length=64, blank=True)
    sender = models.CharField(_("sender"), max_length=64, blank=True)
    api_key_parameter = models.CharField(_("API key parameter"), max_length=64, blank=True)
    api_key_header = models.CharField(_("API key header"), max_length=64, blank=True)
    api_key_sealed = models.TextField(blank=True, editable=False)
    # Fixed parameters every request carries, one `name=value` a line.
    extra_parameters = models.TextField(_("other parameters"), blank=True)
    message_id_path = models.CharField(_("message id in the answer"), max_length=200, blank=True)
    success_path = models.CharField(_("success field in the answer"), max_length=200, blank=True)
    success_values = models.CharField(_("success values"), max_length=200, blank=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=10)
    report_token = models.CharField(
        max_length=64, unique=True, default=new_report_token, editable=False
    )
    report_id_parameter = models.CharField(
        _("report's message id parameter"), max_length=64, default="messageid"
    )
    report_status_parameter = models.CharField(
        _("report's status parameter"), max_length=64, default="status"
    )
    delivered_values = models.CharField(
        _("statuses meaning delivered"), max_length=200, default="10,delivered"
    )
    failed_values = models.CharField(
        _("statuses meaning not delivered"),
        max_length=200,
        default="6,11,13,14,failed,undelivered",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS gateway")
        verbose_name_plural = _("SMS gateways")

    def __str__(self) -> str:
        return self.name

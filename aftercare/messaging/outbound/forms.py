"""Shapes of the console's sending settings; the rules themselves live in the services. Secrets
are never shown back: a secret field left empty keeps the stored one."""

from django import forms
from django.utils.translation import gettext_lazy

from aftercare.console.forms import ConsoleForm, active_checkbox, text_field
from aftercare.messaging.outbound.models import EmailSetting, SmsGateway

_SECRETS = ("smtp_password", "api_key", "webhook_secret")


def _secret(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=1000,
        help_text=help_text,
        strip=False,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password", "dir": "ltr"}
        ),
    )


def _keep_stored(form: forms.Form, stored: dict[str, bool]) -> None:
    """Tell, under each secret already stored, that leaving it empty keeps it."""
    for name, is_stored in stored.items():
        if is_stored and name in form.fields:
            form.fields[name].help_text = gettext_lazy("Stored. Leave empty to keep it.")


class EmailSettingForm(ConsoleForm):
    """An organization's mail server or email provider, and its inbound webhook."""

    transport = forms.ChoiceField(
        label=gettext_lazy("Send through"), choices=EmailSetting.Transport.choices
    )
    from_address = forms.EmailField(
        label=gettext_lazy("From address"),
        max_length=254,
        help_text=gettext_lazy("The address customers see your mail come from."),
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    from_name = text_field(
        gettext_lazy("From name"),
        max_length=100,
        help_text=gettext_lazy("Leave empty to show the organization's name."),
    )
    smtp_host = text_field(gettext_lazy("SMTP server"), max_length=255, direction="ltr")
    smtp_port = forms.IntegerField(
        label=gettext_lazy("Port"), required=False, min_value=1, max_value=65535
    )
    smtp_security = forms.ChoiceField(
        label=gettext_lazy("Connection security"), choices=EmailSetting.Security.choices
    )
    smtp_username = text_field(
        gettext_lazy("User name"),
        max_length=255,
        direction="ltr",
        help_text=gettext_lazy("Leave empty if the server takes mail without signing in."),
    )
    smtp_password = _secret(gettext_lazy("Password"))
    api_key = _secret(
        gettext_lazy("Provider's key"),
        gettext_lazy("Postmark: the server's API token."),
    )
    inbound_provider = forms.ChoiceField(
        label=gettext_lazy("Receive mail through"),
        required=False,
        choices=EmailSetting.InboundProvider.choices,
        help_text=gettext_lazy(
            "A provider that posts your customers' mail to this site's webhook address."
        ),
    )
    webhook_secret = _secret(
        gettext_lazy("Webhook secret"),
        gettext_lazy(
            "Postmark: choose a user:password and put it in the webhook address you give "
            "Postmark, as https://user:password@…"
        ),
    )
    is_active = active_checkbox(
        gettext_lazy("Inactive settings are kept; mail goes out through this site's server.")
    )

    def __init__(self, *args, stored: dict[str, bool] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _keep_stored(self, stored or {})

    def values(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key not in _SECRETS}

    def secrets(self) -> dict:
        return {key: self.cleaned_data.get(key) or "" for key in _SECRETS}


class SmsGatewayForm(ConsoleForm):
    """An organization's HTTP SMS gateway."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    url = text_field(
        gettext_lazy("Address"),
        max_length=500,
        required=True,
        direction="ltr",
        help_text=gettext_lazy(
            "The gateway's sending address. If the API key goes in the address, write "
            "{api_key} where it goes."
        ),
    )
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=SmsGateway.Method.choices)
    body_format = forms.ChoiceField(
        label=gettext_lazy("Body (POST)"), choices=SmsGateway.BodyFormat.choices
    )
    number_format = forms.ChoiceField(
        label=gettext_lazy("Phone numbers as"), choices=SmsGateway.NumberFormat.choices
    )
    recipient_parameter = text_field(
        gettext_lazy("Recipient parameter"), max_length=64, required=True, direction="ltr"
    )
    text_parameter = text_field(
        gettext_lazy("Text parameter"), max_length=64, required=True, direction="ltr"
    )
    sender_parameter = text_field(gettext_lazy("Sender parameter"), max_length=64, direction="ltr")
    sender = text_field(
        gettext_lazy("Sender"),
        max_length=64,
        direction="ltr",
        help_text=gettext_lazy("Your line number or sender name at the gateway."),
    )
    api_key_parameter = text_field(
        gettext_lazy("API key parameter"),
        max_length=64,
        direction="ltr",
        help_text=gettext_lazy("Leave empty if the key goes in a header or in the address."),
    )
    api_key_header = text_field(
        gettext_lazy("API key header"),
        max_length=64,
        direction="ltr",
        help_text=gettext_lazy("A request header that carries the key, e.g. X-API-KEY."),
    )
    api_key = _secret(gettext_lazy("API key"))
    extra_parameters = forms.CharField(
        label=gettext_lazy("Other parameters"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Sent with every message: one name=value a line."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )
    message_id_path = text_field(
        gettext_lazy("Message id in the answer"),
        max_length=200,
        direction="ltr",
        help_text=gettext_lazy(
            "Where the JSON answer gives the message's id, as a dotted path: entries.0.messageid."
        ),
    )
    success_path = text_field(
        gettext_lazy("Success field in the answer"),
        max_length=200,
        direction="ltr",
        help_text=gettext_lazy(
            "A dotted path in the JSON answer, e.g. return.status. Empty: any 2xx answer "
            "means the message was taken."
        ),
    )
    success_values = text_field(
        gettext_lazy("Success values"),
        max_length=200,
        direction="ltr",
        help_text=gettext_lazy("Values of that field that mean success, separated by commas."),
    )
    timeout_seconds = forms.IntegerField(
        label=gettext_lazy("Timeout (seconds)"), min_value=1, max_value=60
    )
    report_id_parameter = text_field(
        gettext_lazy("Report's message id parameter"),
        max_length=64,
        required=True,
        direction="ltr",
    )
    report_status_parameter = text_field(
        gettext_lazy("Report's status parameter"), max_length=64, required=True, direction="ltr"
    )
    delivered_values = text_field(
        gettext_lazy("Statuses meaning delivered"),
        max_length=200,
        direction="ltr",
        help_text=gettext_lazy("Separated by commas."),
    )
    failed_values = text_field(
        gettext_lazy("Statuses meaning not delivered"),
        max_length=200,
        direction="ltr",
        help_text=gettext_lazy("Separated by commas. Other statuses are ignored."),
    )
    is_active = active_checkbox(gettext_lazy("An inactive gateway sends nothing."))

    # A starting point in the shape of Kavenegar (Iran); every field can be changed.
    INITIAL = {
        "url": "https://api.kavenegar.com/v1/{api_key}/sms/send.json",
        "method": "POST",
        "body_format": "form",
        "number_format": "e164",
        "recipient_parameter": "receptor",
        "text_parameter": "message",
        "sender_parameter": "sender",
        "message_id_path": "entries.0.messageid",
        "success_path": "return.status",
        "success_values": "200",
        "timeout_seconds": 10,
        "report_id_parameter": "messageid",
        "report_status_parameter": "status",
        "delivered_values": "10,delivered",
        "failed_values": "6,11,13,14,failed,undelivered",
        "is_active": True,
    }

    def __init__(self, *args, stored: dict[str, bool] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _keep_stored(self, stored or {})

    def values(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "api_key"}


class SmsTestForm(ConsoleForm):
    """Where a test text goes."""

    phone = text_field(gettext_lazy("Phone number"), max_length=40, required=True, direction="ltr")

"""Shapes of the console's mailbox inputs; the rules themselves live in the services."""

from django import forms
from django.utils.translation import gettext_lazy

from aftercare.console.forms import ConsoleForm, active_checkbox, text_field
from aftercare.messaging.inbound.models import Mailbox


class MailboxForm(ConsoleForm):
    """An IMAP mailbox. The password is never shown back: empty keeps the stored one."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    address = forms.EmailField(
        label=gettext_lazy("Address"),
        help_text=gettext_lazy("The address customers write to."),
        max_length=254,
    )
    host = text_field(gettext_lazy("IMAP server"), max_length=255, required=True)
    port = forms.IntegerField(label=gettext_lazy("Port"), min_value=1, max_value=65535)
    security = forms.ChoiceField(
        label=gettext_lazy("Connection security"), choices=Mailbox.Security.choices
    )
    username = text_field(gettext_lazy("User name"), max_length=255, required=True)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    folder = text_field(gettext_lazy("Folder"), max_length=200, required=True)
    processed_folder = text_field(
        gettext_lazy("Move processed mail to"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty to keep mail in the folder and mark it as read."),
    )
    is_active = active_checkbox(gettext_lazy("Inactive mailboxes are not polled."))

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["password"].help_text = gettext_lazy(
                "A password is stored. Leave empty to keep it."
            )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("password", None)
        return data

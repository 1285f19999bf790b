"""Shapes of the console's customer inputs; the rules themselves live in the services."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from aftercare.console.forms import EMPTY, ConsoleForm, text_field
from aftercare.customers.models import Tier
from aftercare.lib.vocabulary import Channel

_SEPARATORS = re.compile(r"[,;،\n]+")


def split_values(value: str) -> list[str]:
    """Several contact values typed in one box, separated by commas or new lines."""
    return [part.strip() for part in _SEPARATORS.split(value or "") if part.strip()]


class CustomerForm(ConsoleForm):
    """A customer's profile and contact points (on edit, the contact points are added)."""

    name = text_field(gettext_lazy("Name"), max_length=200)
    company = text_field(gettext_lazy("Company"), max_length=200)
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Preferred language"),
        required=False,
        choices=[("", EMPTY), *settings.LANGUAGES],
    )
    preferred_channel = forms.ChoiceField(
        label=gettext_lazy("Preferred channel"),
        required=False,
        choices=[("", EMPTY), *Channel.choices],
    )
    tier = forms.ChoiceField(
        label=gettext_lazy("Service tier"),
        required=False,
        choices=Tier.choices,
        initial=Tier.STANDARD,
        help_text=gettext_lazy("SLA policies can give premium and VIP customers faster targets."),
    )
    email = text_field(gettext_lazy("Email"), max_length=1000, direction="ltr", inputmode="email")
    phone = text_field(gettext_lazy("Phone"), max_length=1000, direction="ltr", type="tel")
    telegram = text_field(gettext_lazy("Telegram"), max_length=1000, direction="ltr")
    whatsapp = text_field(gettext_lazy("WhatsApp"), max_length=1000, direction="ltr", type="tel")
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    CONTACT_FIELDS = ("email", "phone", "telegram", "whatsapp")

    def clean_tier(self) -> str:
        """Standard unless another tier is chosen."""
        return self.cleaned_data.get("tier") or Tier.STANDARD

    def __init__(self, *args, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        help_text = (
            gettext_lazy("Added to the customer's contact points. Separate several with commas.")
            if adding
            else gettext_lazy("Separate several with commas.")
        )
        for name in self.CONTACT_FIELDS:
            self.fields[name].help_text = help_text

    def contact_values(self, name: str) -> list[str]:
        """The values typed in one contact field."""
        return split_values(self.cleaned_data.get(name, ""))

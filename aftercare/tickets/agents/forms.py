"""The console form of an agent's routing profile."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from aftercare.console.forms import (
    ConsoleForm,
    checkboxes,
)
from aftercare.tickets.agents.models import AgentProfile


class AgentProfileForm(ConsoleForm):
    """What routing knows of a member: presence, capacity and skills."""

    presence = forms.ChoiceField(
        label=gettext_lazy("Presence"), choices=AgentProfile.Presence.choices
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        required=False,
        min_value=0,
        max_value=10_000,
        help_text=gettext_lazy("Most open requests routing gives this person; empty for no limit."),
    )
    languages = checkboxes(
        gettext_lazy("Languages"), settings.LANGUAGES, gettext_lazy("Empty: any language.")
    )
    product_models = checkboxes(
        gettext_lazy("Products"), help_text=gettext_lazy("Empty: any product.")
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_checks("product_models", products)

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {
            "presence": data["presence"],
            "capacity": data["capacity"],
            "languages": data["languages"],
            "product_models": self.checked("product_models"),
        }

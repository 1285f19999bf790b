"""The console form of a routing rule."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from aftercare.console.forms import (
    ConsoleForm,
    active_checkbox,
    checkboxes,
    position_field,
    text_field,
)
from aftercare.lib.vocabulary import Channel, Kind


class RoutingRuleForm(ConsoleForm):
    """Which new requests a rule sends to which team."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    position = position_field(
        gettext_lazy("Lower is matched first; the first rule that matches applies.")
    )
    team = forms.ChoiceField(label=gettext_lazy("Send to team"))
    kinds = checkboxes(gettext_lazy("Kinds of request"), Kind.choices)
    channels = checkboxes(gettext_lazy("Channels"), Channel.choices)
    languages = checkboxes(gettext_lazy("Languages"), settings.LANGUAGES)
    categories = checkboxes(gettext_lazy("Categories"))
    product_models = checkboxes(gettext_lazy("Product models"))
    is_active = active_checkbox(gettext_lazy("Inactive rules send nothing."))

    def __init__(self, *args, teams, categories, products, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("team", teams)
        self.set_checks("categories", categories)
        self.set_checks("product_models", products)
        if not editing:
            del self.fields["is_active"]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "team": self.object_for("team"),
            "kinds": data["kinds"],
            "channels": data["channels"],
            "languages": data["languages"],
            "categories": self.checked("categories"),
            "product_models": self.checked("product_models"),
        }
        if data.get("position") is not None:
            arguments["position"] = data["position"]
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments

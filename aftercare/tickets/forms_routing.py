"""Console forms for escalation rules, routing rules and agents' profiles."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from aftercare.console.forms import (
    EMPTY,
    ConsoleForm,
    active_checkbox,
    checkbox,
    checkboxes,
    text_field,
)
from aftercare.lib.vocabulary import Channel, Kind, Priority
from aftercare.sla.models import EscalationRule, Metric
from aftercare.tickets.models import AgentProfile


class EscalationRuleForm(ConsoleForm):
    """When a rule fires and what it does."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    level = forms.IntegerField(label=gettext_lazy("Level"), min_value=1, max_value=9, initial=1)
    threshold = forms.ChoiceField(
        label=gettext_lazy("When"), choices=EscalationRule.Threshold.choices
    )
    metric = forms.ChoiceField(
        label=gettext_lazy("Target"),
        required=False,
        choices=[("", gettext_lazy("Any target")), *Metric.choices],
    )
    delay_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes after"),
        min_value=0,
        max_value=30 * 24 * 60,
        initial=0,
        help_text=gettext_lazy("Wait this long after the warning or breach."),
    )
    policies = checkboxes(
        gettext_lazy("SLA policies"), help_text=gettext_lazy("Empty: every policy.")
    )
    notify_supervisors = checkbox(
        gettext_lazy("Notify the supervisors"),
        gettext_lazy("By email; the admins when the organization has no supervisor."),
    )
    notify_assignee = checkbox(gettext_lazy("Notify the assignee"))
    notify_user = forms.ChoiceField(label=gettext_lazy("Notify this person"), required=False)
    reassign_team = forms.ChoiceField(
        label=gettext_lazy("Move to team"),
        required=False,
        help_text=gettext_lazy("The request leaves its assignee and waits in this team's queue."),
    )
    raise_priority_to = forms.TypedChoiceField(
        label=gettext_lazy("Raise priority to"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", EMPTY), *Priority.choices],
    )
    is_active = active_checkbox(gettext_lazy("Inactive rules do nothing."))

    def __init__(self, *args, policies, members, teams, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_checks("policies", policies)
        self.set_objects("notify_user", [membership.user for membership in members])
        self.set_objects("reassign_team", teams)
        if not editing:
            del self.fields["is_active"]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "level": data["level"],
            "threshold": data["threshold"],
            "metric": data["metric"],
            "delay_minutes": data["delay_minutes"],
            "policies": self.checked("policies"),
            "notify_supervisors": data["notify_supervisors"],
            "notify_assignee": data["notify_assignee"],
            "notify_user": self.object_for("notify_user"),
            "reassign_team": self.object_for("reassign_team"),
            "raise_priority_to": data["raise_priority_to"],
        }
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments


class RoutingRuleForm(ConsoleForm):
    """Which new requests a rule sends to which team."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    position = forms.IntegerField(
        label=gettext_lazy("Order"),
        required=False,
        min_value=0,
        max_value=10**6,
        help_text=gettext_lazy("Lower is matched first; the first rule that matches applies."),
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


class SummaryPeriodForm(forms.Form):
    """The period breaches are counted over on the SLA page."""

    days = forms.TypedChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        coerce=int,
        empty_value=7,
        choices=[
            (1, gettext_lazy("Last 24 hours")),
            (7, gettext_lazy("Last 7 days")),
            (30, gettext_lazy("Last 30 days")),
        ],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )

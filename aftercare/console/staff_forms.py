"""Shapes of the settings area's member and API token inputs; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.console.forms import ConsoleForm, active_checkbox, text_field


class MemberInviteForm(ConsoleForm):
    """Invite someone to the organization's staff by email, with a role."""

    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    full_name = text_field(
        gettext_lazy("Full name"),
        max_length=200,
        help_text=gettext_lazy("Used only when this email has no account yet."),
        autocomplete="off",
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Membership.Role.choices, initial=Membership.Role.AGENT
    )


class MembershipForm(ConsoleForm):
    """A member's role, and whether they may still work in the organization."""

    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Membership.Role.choices)
    is_active = active_checkbox(
        gettext_lazy("A deactivated member can no longer sign in here or use the API.")
    )


class ApiTokenForm(ConsoleForm):
    """A name for a new personal API token."""

    name = text_field(
        gettext_lazy("Name"),
        max_length=100,
        required=True,
        help_text=gettext_lazy("What the token is for, e.g. the ERP sync."),
        autocomplete="off",
    )

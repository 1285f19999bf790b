"""Shapes of the settings area's member, team and API token inputs; the rules live in the
services."""

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftercare.accounts.models import ApiToken, Membership, Team, User
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
    """A new personal API token: its name, what it may do and how long it works."""

    # How long a new token works, in days, or without end. A form sent without a choice (an
    # older page, a script) gets the defaults: read and write, 90 days.
    NEVER = "never"
    LIFETIMES = [
        ("30", gettext_lazy("30 days")),
        ("90", gettext_lazy("90 days")),
        ("365", gettext_lazy("1 year")),
        (NEVER, pgettext_lazy("expires", "Never")),
    ]

    name = text_field(
        gettext_lazy("Name"),
        max_length=100,
        required=True,
        help_text=gettext_lazy("What the token is for, e.g. the ERP sync."),
        autocomplete="off",
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.WRITE,
        required=False,
        help_text=gettext_lazy("What the token may do; never more than your role allows."),
    )
    lifetime = forms.ChoiceField(
        label=gettext_lazy("Expires after"),
        choices=LIFETIMES,
        initial="90",
        required=False,
        help_text=gettext_lazy("A token that never expires works until you revoke it."),
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or ApiToken.Scope.WRITE

    def clean_lifetime(self) -> str:
        return self.cleaned_data.get("lifetime") or "90"

    def expires_at(self, *, now: datetime.datetime) -> datetime.datetime | None:
        """When the chosen lifetime ends, from `now` (None: never)."""
        lifetime = self.cleaned_data["lifetime"]
        return None if lifetime == self.NEVER else now + datetime.timedelta(days=int(lifetime))


class TeamForm(ConsoleForm):
    """A team's name and members; on edit, whether it still works the queue."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Members"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    assignment = forms.ChoiceField(
        label=gettext_lazy("Assignment"),
        required=False,
        choices=Team.Assignment.choices,
        initial=Team.Assignment.MANUAL,
        help_text=gettext_lazy(
            "Automatic assignment gives each new request to an available member whose languages "
            "and products fit, up to their capacity (Settings → Agents)."
        ),
    )
    is_active = active_checkbox(gettext_lazy("Inactive teams have no queue and get no requests."))

    def __init__(self, *args, members: list[Membership], editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
        self._users = {str(m.user_id): m.user for m in members}
        self.fields["members"].choices = [
            (key, user.display_name) for key, user in self._users.items()
        ]

    def clean_assignment(self) -> str:
        """Manual unless another way is chosen."""
        return self.cleaned_data.get("assignment") or Team.Assignment.MANUAL

    def member_choices(self) -> list[tuple]:
        """Each member's checkbox with its user, to show the name and email apart."""
        return list(zip(self["members"], self._users.values(), strict=True))

    def chosen_members(self) -> list[User]:
        """The users ticked in the members list."""
        return [self._users[key] for key in self.cleaned_data.get("members", [])]


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete, "dir": "ltr"})


class PasswordSetForm(ConsoleForm):
    """A new password, typed twice; the validators' rules are checked by the service."""

    password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        max_length=4096,
        widget=_password_input("new-password"),
    )
    password_confirmation = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        max_length=4096,
        widget=_password_input("new-password"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict:
        """Both typings must match."""
        data = super().clean()
        first, second = data.get("password"), data.get("password_confirmation")
        if first and second and first != second:
            self.add_error(
                "password_confirmation", gettext_lazy("The two passwords are not the same.")
            )
        return data


class PasswordResetForm(ConsoleForm):
    """The email of the account whose password was forgotten."""

    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "username"}),
    )


class EmailChangeForm(ConsoleForm):
    """The new email of one's own account, confirmed with the current password."""

    new_email = forms.EmailField(
        label=gettext_lazy("New email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Your current password"),
        strip=False,
        max_length=4096,
        widget=_password_input("current-password"),
    )


class PasswordChangeForm(PasswordSetForm):
    """One's current password, and a new one typed twice."""

    current_password = forms.CharField(
        label=gettext_lazy("Current password"),
        strip=False,
        max_length=4096,
        widget=_password_input("current-password"),
    )
    field_order = ["current_password", "password", "password_confirmation"]

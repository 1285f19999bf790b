"""Shapes of the console's inputs for canned answers, macros, saved views and bulk actions; the
rules themselves are in the services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.console.forms import EMPTY, ConsoleForm, text_field
from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets.forms import split_tags
from aftercare.tickets.productivity.models import Macro, Scope
from aftercare.tickets.productivity.placeholders import PLACEHOLDERS


def placeholders_help() -> str:
    """The placeholders a text may use, for the form's help."""
    names = ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
    return _("Placeholders: %(names)s.") % {"names": names}


def _scope_choices(can_manage: bool) -> list:
    if can_manage:
        return list(Scope.choices)
    return [(Scope.PERSONAL.value, Scope.PERSONAL.label)]


class CannedAnswerForm(ConsoleForm):
    """A canned answer: its name, language, who it is shared with and its text."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("Every language")), *settings.LANGUAGES],
    )
    scope = forms.ChoiceField(label=gettext_lazy("Shared with"), choices=Scope.choices)
    team_id = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )

    def __init__(self, *args, teams, can_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("team_id", teams)
        self.fields["scope"].choices = _scope_choices(can_manage)
        self.fields["body"].help_text = placeholders_help()


class MacroForm(ConsoleForm):
    """A macro: what it sets, the tags it adds and removes, and the message it writes."""

    ASSIGN_CHOICES = [
        ("", gettext_lazy("Leave as it is")),
        ("me", gettext_lazy("Whoever applies the macro")),
        ("none", gettext_lazy("Nobody (back to the queue)")),
        ("member", gettext_lazy("This member:")),
    ]

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    scope = forms.ChoiceField(label=gettext_lazy("Shared with"), choices=Scope.choices)
    team_id = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Set status"),
        required=False,
        choices=[("", gettext_lazy("Leave as it is")), *Status.choices],
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Set priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Leave as it is")), *Priority.choices],
    )
    set_team_id = forms.ChoiceField(label=gettext_lazy("Move to team"), required=False)
    assign = forms.ChoiceField(label=gettext_lazy("Assign to"), required=False)
    set_assignee_id = forms.ChoiceField(label=gettext_lazy("Member"), required=False)
    tags_add = text_field(
        gettext_lazy("Add tags"),
        max_length=1000,
        help_text=gettext_lazy("Separate tags with commas."),
    )
    tags_remove = text_field(
        gettext_lazy("Remove tags"),
        max_length=1000,
        help_text=gettext_lazy("Separate tags with commas."),
    )
    message_kind = forms.ChoiceField(
        label=gettext_lazy("Write"), required=False, choices=Macro.MessageKind.choices
    )
    canned_answer_id = forms.ChoiceField(label=gettext_lazy("Canned answer"), required=False)
    body = forms.CharField(
        label=gettext_lazy("Or this text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args, teams, members, answers, can_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = _scope_choices(can_manage)
        self.fields["assign"].choices = self.ASSIGN_CHOICES
        self.set_objects("team_id", teams)
        self.set_objects("set_team_id", teams, empty=_("Leave as it is"))
        self.set_objects("set_assignee_id", [membership.user for membership in members])
        self.set_objects("canned_answer_id", answers, empty=EMPTY)
        self.fields["body"].help_text = placeholders_help()

    def clean_tags_add(self) -> list[str]:
        """A list of tag names."""
        return split_tags(self.cleaned_data.get("tags_add", ""))

    def clean_tags_remove(self) -> list[str]:
        """A list of tag names."""
        return split_tags(self.cleaned_data.get("tags_remove", ""))


class SavedViewForm(ConsoleForm):
    """Save the queue as it is filtered now, under a name."""

    name = text_field(gettext_lazy("Name of the view"), max_length=60, required=True)
    is_shared = forms.BooleanField(
        label=gettext_lazy("Share with the organization"), required=False
    )


class BulkForm(ConsoleForm):
    """One action on the requests ticked in the queue."""

    ACTIONS = [
        ("assign", gettext_lazy("Assign to")),
        ("status", gettext_lazy("Set status")),
        ("priority", gettext_lazy("Set priority")),
        ("tag_add", gettext_lazy("Add tags")),
        ("tag_remove", gettext_lazy("Remove tags")),
        ("merge", gettext_lazy("Merge into the oldest")),
    ]

    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=ACTIONS)
    assignee_id = forms.ChoiceField(label=gettext_lazy("Assignee"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", EMPTY), *Status.choices]
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", EMPTY), *Priority.choices],
    )
    tags = text_field(gettext_lazy("Tags"), max_length=1000)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects(
            "assignee_id", [membership.user for membership in members], empty=_("Unassigned")
        )

    def clean_tags(self) -> list[str]:
        """A list of tag names."""
        return split_tags(self.cleaned_data.get("tags", ""))

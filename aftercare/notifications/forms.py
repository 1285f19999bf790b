"""Shapes of the console's notice settings; the rules themselves live in the services."""

from django import forms
from django.utils.translation import gettext_lazy

from aftercare.console.forms import ConsoleForm, active_checkbox, checkbox, text_field
from aftercare.lib.text import normalize_digits


class _TimeField(forms.TimeField):
    """A wall time typed as HH:MM, in any digits."""

    def to_python(self, value):
        return super().to_python(normalize_digits(value) if isinstance(value, str) else value)


class NotificationSettingsForm(ConsoleForm):
    quiet_start = _TimeField(
        label=gettext_lazy("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"}, format="%H:%M"),
        help_text=gettext_lazy("Text messages and messengers wait until the quiet hours end."),
    )
    quiet_end = _TimeField(
        label=gettext_lazy("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"}, format="%H:%M"),
    )
    reminder_hours = forms.IntegerField(
        label=gettext_lazy("Remind a waiting customer after (business hours)"),
        min_value=0,
        max_value=720,
        help_text=gettext_lazy("0 sends no reminders."),
    )


class NoticeTemplateForm(ConsoleForm):
    subject = text_field(
        gettext_lazy("Subject"),
        max_length=300,
        help_text=gettext_lazy("Leave empty to keep the standard subject."),
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    is_active = active_checkbox(gettext_lazy("Inactive templates are kept but not used."))
    number = forms.IntegerField(
        label=gettext_lazy("Preview on request number"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Leave empty to preview with sample values."),
    )


class StaffPreferencesForm(ConsoleForm):
    """One switch per notice a member of staff can get."""

    def __init__(self, *args, events: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for event, label in events.items():
            self.fields[event] = checkbox(label)

"""The console form of the SLA page's period."""

from django import forms
from django.utils.translation import gettext_lazy


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

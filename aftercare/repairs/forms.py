"""Shapes of the repairs pages' inputs; the rules live in the services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.console.forms import (
    ConsoleForm,
    checkbox,
    clean_user_date,
    date_widget,
    text_field,
)
from aftercare.repairs.models import Visit, WorkOrder
from aftercare.repairs.services.quotes import LABOUR_ESTIMATE_MAX
from aftercare.repairs.services.work_orders import LABOUR_MINUTES_MAX


def _textarea(label, *, max_length: int, required: bool = False, rows: int = 3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}),
    )


def _object_choice(label, *, required: bool = False, help_text="") -> forms.ChoiceField:
    """A choice among objects `ConsoleForm.set_objects` offers."""
    return forms.ChoiceField(label=label, required=required, choices=(), help_text=help_text)


class WorkOrderOpenForm(ConsoleForm):
    """A new work order on a request: its kind, unit, technician, where parts come from, and
    the fault reported."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=WorkOrder.Kind.choices)
    unit_id = _object_choice(
        gettext_lazy("Unit"), help_text=gettext_lazy("Its coverage sets who pays.")
    )
    technician_id = _object_choice(gettext_lazy("Technician"))
    stock_location_id = _object_choice(gettext_lazy("Parts from"))
    reported_fault_id = _object_choice(gettext_lazy("Reported fault"))

    def __init__(self, *args, units, technicians, locations, faults, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("unit_id", units)
        self.set_objects("technician_id", technicians)
        self.set_objects("stock_location_id", locations)
        self.set_objects("reported_fault_id", faults)


class StageForm(ConsoleForm):
    """The stage a person moves the work order to."""

    stage = forms.ChoiceField(label=gettext_lazy("Move to"), choices=())
    note = text_field(gettext_lazy("Note for the team"), max_length=500)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (value, label) for value, label in WorkOrder.Stage.choices if value in allowed
        ]


class DiagnoseForm(ConsoleForm):
    """What is wrong, and its coded root cause."""

    diagnosis = _textarea(gettext_lazy("Diagnosis"), max_length=10_000, required=True, rows=4)
    root_cause_id = _object_choice(
        gettext_lazy("Root cause"), help_text=gettext_lazy("The fault codes of the unit's model.")
    )

    def __init__(self, *args, faults, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("root_cause_id", faults)


class WorkDoneForm(ConsoleForm):
    """What was done, as the receipt tells the customer."""

    work_done = _textarea(gettext_lazy("Work done"), max_length=10_000, rows=3)


class AssignForm(ConsoleForm):
    """The technician who works the work order."""

    technician_id = _object_choice(gettext_lazy("Technician"))

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("technician_id", technicians, empty=_("Nobody"))


class LabourForm(ConsoleForm):
    """Time spent on the work order."""

    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"), min_value=1, max_value=LABOUR_MINUTES_MAX
    )
    description = text_field(gettext_lazy("What was done"), max_length=500, required=True)


class PartAddForm(ConsoleForm):
    """A spare part the work order needs."""

    part_id = _object_choice(gettext_lazy("Spare part"), required=True)
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"), min_value=1, max_value=1000, initial=1
    )
    location_id = _object_choice(
        gettext_lazy("From"),
        help_text=gettext_lazy("Empty: the work order's stock, else the technician's van."),
    )

    def __init__(self, *args, parts, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("part_id", parts)
        self.set_objects("location_id", locations)


class PartUseForm(ConsoleForm):
    """Fitting a part: the serial of a part tracked by serial number."""

    serial_number = text_field(
        gettext_lazy("Serial number"), max_length=64, direction="ltr", autocomplete="off"
    )


class QuoteForm(ConsoleForm):
    """A quote for the customer: labour still to do, travel, and a note."""

    labour_minutes = forms.IntegerField(
        label=gettext_lazy("Labour still to do (minutes)"),
        required=False,
        min_value=0,
        max_value=LABOUR_ESTIMATE_MAX,
    )
    include_travel = checkbox(gettext_lazy("Charge on-site travel"))
    note = _textarea(gettext_lazy("Note to the customer"), max_length=2000, rows=2)


class BillingForm(ConsoleForm):
    """Who pays: the customer, or goodwill."""

    billing = forms.ChoiceField(
        label=gettext_lazy("Billing"),
        choices=[
            (WorkOrder.Billing.CUSTOMER, WorkOrder.Billing.CUSTOMER.label),
            (WorkOrder.Billing.GOODWILL, WorkOrder.Billing.GOODWILL.label),
        ],
    )


class ClaimRejectForm(ConsoleForm):
    """Why the warranty does not pay; the customer reads it."""

    reason = _textarea(
        gettext_lazy("Reason given to the customer"), max_length=1000, required=True, rows=2
    )


class VisitForm(ConsoleForm):
    """A technician's visit: the day and the window, in the organization's time zone."""

    technician_id = _object_choice(gettext_lazy("Technician"), required=True)
    day = forms.CharField(label=gettext_lazy("Day"), max_length=20)
    start = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"})
    )
    end = forms.TimeField(
        label=gettext_lazy("Until"), widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"})
    )
    address = _textarea(gettext_lazy("Address"), max_length=1000, required=True, rows=2)
    note = text_field(gettext_lazy("Note"), max_length=1000)

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].widget = date_widget()
        self.fields["day"].widget.attrs.setdefault("class", "form-control")
        self.set_objects("technician_id", technicians)

    def clean_day(self) -> datetime.date:
        day = clean_user_date(self.cleaned_data.get("day", ""))
        if day is None:
            raise forms.ValidationError(_("This field is required."))
        return day

    def window(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The window's start and end in the current time zone."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(data["day"], data["start"], tzinfo=zone)
        end = datetime.datetime.combine(data["day"], data["end"], tzinfo=zone)
        return start, end


class VisitStatusForm(ConsoleForm):
    """How a visit went."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Visit.Status.choices)
    note = text_field(gettext_lazy("Note"), max_length=1000)


class DispatchFilterForm(ConsoleForm):
    """The dispatch board's technician filter."""

    technician = forms.ChoiceField(label=gettext_lazy("Technician"), required=False, choices=())

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("technician", technicians, empty=_("Everyone"))


class RepairSettingsForm(ConsoleForm):
    """An organization's money for repairs."""

    currency = text_field(
        gettext_lazy("Currency"),
        max_length=3,
        direction="ltr",
        required=True,
        help_text=gettext_lazy("Its three-letter code, e.g. IRR, TRY, KZT."),
    )
    tax_rate = forms.DecimalField(
        label=gettext_lazy("Tax rate (%)"), min_value=0, max_value=100, decimal_places=2
    )
    labour_rate = forms.DecimalField(
        label=gettext_lazy("Labour per hour"), min_value=0, max_digits=14, decimal_places=2
    )
    travel_fee = forms.DecimalField(
        label=gettext_lazy("On-site travel fee"), min_value=0, max_digits=14, decimal_places=2
    )
    quote_valid_days = forms.IntegerField(
        label=gettext_lazy("A quote holds for (days)"), min_value=1, max_value=365
    )

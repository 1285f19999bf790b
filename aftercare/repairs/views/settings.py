"""The settings area's repairs section: currency, tax, labour and travel rates, how long a
quote holds."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view, form_data, form_page
from aftercare.repairs.forms import RepairSettingsForm
from aftercare.repairs.services import repair_settings_get, repair_settings_update


@console_view(
    refusal=gettext_lazy("Only admins and supervisors change the repair settings."),
)
def repair_settings_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organization's money for repairs."""
    rules = repair_settings_get(organization=membership.organization)
    form = RepairSettingsForm(
        form_data(request),
        initial={
            "currency": rules.currency,
            "tax_rate": rules.tax_rate,
            "labour_rate": rules.labour_rate,
            "travel_fee": rules.travel_fee,
            "quote_valid_days": rules.quote_valid_days,
        },
    )

    def save() -> HttpResponse:
        repair_settings_update(organization=membership.organization, **form.cleaned_data)
        messages.success(request, _("Repair settings saved."))
        return redirect("repairs:settings")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="repairs/settings.html",
        context={"settings_section": "repairs"},
    )

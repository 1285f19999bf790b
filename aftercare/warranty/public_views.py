"""The public warranty check: anyone may look a serial number up on an organization's portal
and see its model and coverage today, never who owns it. A GET form, so a check can be
bookmarked or linked from a label; rate-limited per client address."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aftercare.accounts.middleware import activate_organization_time_zone
from aftercare.accounts.selectors import organization_get_by_slug
from aftercare.customers.selectors import customer_for_portal_user
from aftercare.lib.ratelimit import client_ip, rate_limit_hit
from aftercare.warranty.contract_selectors import unit_for_coverage
from aftercare.warranty.coverage import coverage_check


class WarrantyCheckForm(forms.Form):
    """The serial number, typed any way."""

    serial = forms.CharField(
        label=gettext_lazy("Serial number"),
        max_length=100,
        help_text=gettext_lazy("As printed on the unit's label; Persian digits are fine."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "dir": "ltr",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )

    def clean_serial(self) -> str:
        """The serial without NULs or outer spaces."""
        value = self.cleaned_data["serial"].replace("\x00", "").strip()
        if not value:
            raise forms.ValidationError(_("Enter the serial number."))
        return value


def _check_allowed(request: HttpRequest) -> bool:
    """Count a look-up from this client address; False past the limit of the window."""
    return rate_limit_hit(
        key=f"warranty:check:{client_ip(request)}",
        limit=settings.WARRANTY_CHECK_MAX_PER_IP,
        window_seconds=settings.WARRANTY_CHECK_WINDOW_MINUTES * 60,
    )


@require_GET
def warranty_check_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Look a serial up: the model and what covers it today (until when), or why nothing does;
    an unknown serial says only that it is unknown."""
    organization = organization_get_by_slug(slug=org_slug)
    activate_organization_time_zone(request, organization)
    asked = "serial" in request.GET
    form = WarrantyCheckForm(request.GET if asked else None)
    context = {
        "organization": organization,
        "customer": customer_for_portal_user(organization=organization, user=request.user),
        "section": "warranty",
        "form": form,
        "unit": None,
        "coverage": None,
        "not_found": False,
        "rate_limited": False,
    }
    template = "warranty/public_check.html"
    if not asked:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=422)
    if not _check_allowed(request):
        context["rate_limited"] = True
        return render(request, template, context, status=429)
    unit = unit_for_coverage(organization=organization, serial=form.cleaned_data["serial"])
    if unit is None:
        context["not_found"] = True
        return render(request, template, context, status=404)
    today = organization.today()
    context.update(unit=unit, today=today, coverage=coverage_check(unit=unit, on=today))
    return render(request, template, context)

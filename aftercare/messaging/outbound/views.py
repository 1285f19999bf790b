"""The console's sending settings (admins): the organization's mail server or email provider
and its SMS gateway, each with a test message that shows what the server answered."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view, form_data, form_page, render_console
from aftercare.messaging.outbound.forms import EmailSettingForm, SmsGatewayForm, SmsTestForm
from aftercare.messaging.outbound.models import EmailSetting
from aftercare.messaging.outbound.payload import SendError
from aftercare.messaging.outbound.selectors import (
    email_setting_for,
    email_setting_get,
    sms_gateway_for,
    sms_gateway_get,
)
from aftercare.messaging.outbound.services import (
    email_setting_create,
    email_setting_delete,
    email_setting_test,
    email_setting_update,
    sms_gateway_create,
    sms_gateway_delete,
    sms_gateway_test,
    sms_gateway_update,
)

_admin_view = console_view(
    refusal=gettext_lazy("Only admins manage how mail and text messages go out.")
)
_SECTION = {"settings_section": "sending"}


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@_admin_view
def overview_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """How the organization's mail and text messages go out, and the addresses its providers
    call back."""
    organization = membership.organization
    gateway = sms_gateway_for(organization=organization)
    context = {
        **_SECTION,
        "email_setting": email_setting_for(organization=organization),
        "gateway": gateway,
        "installation_from": settings.DEFAULT_FROM_EMAIL,
        "inbound_webhooks": [
            (label, _absolute(reverse("hooks:email", args=[value])))
            for value, label in EmailSetting.InboundProvider.choices
            if value
        ],
        "report_url": (
            _absolute(reverse("hooks:sms_report", args=[gateway.report_token])) if gateway else ""
        ),
        "sms_test_form": SmsTestForm(),
    }
    return render_console(request, membership, "outbound/overview.html", context)


def _email_page(request, membership, form, *, setting, save):
    return form_page(
        request,
        membership,
        form,
        save=save,
        template="outbound/email_form.html",
        context={**_SECTION, "setting": setting},
    )


@_admin_view
def email_setting_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    existing = email_setting_for(organization=membership.organization)
    if existing is not None:
        return redirect("outbound:email_edit", setting_id=existing.pk)
    form = EmailSettingForm(
        form_data(request),
        initial={
            "transport": EmailSetting.Transport.SMTP,
            "smtp_port": 587,
            "smtp_security": EmailSetting.Security.STARTTLS,
            "is_active": True,
        },
    )

    def save() -> HttpResponse:
        email_setting_create(
            organization=membership.organization, **form.secrets(), **form.values()
        )
        messages.success(request, _("Email settings saved."))
        return redirect("outbound:overview")

    return _email_page(request, membership, form, setting=None, save=save)


@_admin_view
def email_setting_edit_view(
    request: HttpRequest, membership: Membership, setting_id: int
) -> HttpResponse:
    setting = email_setting_get(organization=membership.organization, setting_id=setting_id)
    initial = {
        field: getattr(setting, field)
        for field in EmailSettingForm.base_fields
        if hasattr(setting, field)
    }
    stored = {
        "smtp_password": bool(setting.smtp_password_sealed),
        "api_key": bool(setting.api_key_sealed),
        "webhook_secret": bool(setting.webhook_secret_sealed),
    }
    form = EmailSettingForm(form_data(request), initial=initial, stored=stored)

    def save() -> HttpResponse:
        email_setting_update(setting=setting, **form.secrets(), **form.values())
        messages.success(request, _("Email settings saved."))
        return redirect("outbound:overview")

    return _email_page(request, membership, form, setting=setting, save=save)


@require_POST
@_admin_view
def email_setting_test_view(
    request: HttpRequest, membership: Membership, setting_id: int
) -> HttpResponse:
    """Send a test message to the admin's own address; show what the server answered."""
    setting = email_setting_get(organization=membership.organization, setting_id=setting_id)
    result = email_setting_test(setting=setting, to=request.user.email)
    if isinstance(result, SendError):
        messages.error(
            request, _("The test message was not sent: %(error)s") % {"error": str(result)}
        )
    else:
        messages.success(
            request,
            _("A test message went to %(address)s.") % {"address": request.user.email},
        )
    return redirect("outbound:overview")


@require_POST
@_admin_view
def email_setting_delete_view(
    request: HttpRequest, membership: Membership, setting_id: int
) -> HttpResponse:
    setting = email_setting_get(organization=membership.organization, setting_id=setting_id)
    email_setting_delete(setting=setting)
    messages.success(request, _("Email settings removed: mail goes out through this site."))
    return redirect("outbound:overview")


def _gateway_page(request, membership, form, *, gateway, save):
    return form_page(
        request,
        membership,
        form,
        save=save,
        template="outbound/sms_form.html",
        context={**_SECTION, "gateway": gateway},
    )


@_admin_view
def sms_gateway_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    existing = sms_gateway_for(organization=membership.organization)
    if existing is not None:
        return redirect("outbound:sms_edit", gateway_id=existing.pk)
    form = SmsGatewayForm(form_data(request), initial=SmsGatewayForm.INITIAL)

    def save() -> HttpResponse:
        sms_gateway_create(
            organization=membership.organization,
            api_key=form.cleaned_data.get("api_key") or "",
            **form.values(),
        )
        messages.success(request, _("SMS gateway saved."))
        return redirect("outbound:overview")

    return _gateway_page(request, membership, form, gateway=None, save=save)


@_admin_view
def sms_gateway_edit_view(
    request: HttpRequest, membership: Membership, gateway_id: int
) -> HttpResponse:
    gateway = sms_gateway_get(organization=membership.organization, gateway_id=gateway_id)
    initial = {
        field: getattr(gateway, field)
        for field in SmsGatewayForm.base_fields
        if hasattr(gateway, field)
    }
    form = SmsGatewayForm(
        form_data(request), initial=initial, stored={"api_key": bool(gateway.api_key_sealed)}
    )

    def save() -> HttpResponse:
        sms_gateway_update(
            gateway=gateway, api_key=form.cleaned_data.get("api_key") or "", **form.values()
        )
        messages.success(request, _("SMS gateway saved."))
        return redirect("outbound:overview")

    return _gateway_page(request, membership, form, gateway=gateway, save=save)


@require_POST
@_admin_view
def sms_gateway_test_view(
    request: HttpRequest, membership: Membership, gateway_id: int
) -> HttpResponse:
    """Send a test text to the number typed; show what the gateway answered."""
    gateway = sms_gateway_get(organization=membership.organization, gateway_id=gateway_id)
    form = SmsTestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the phone number the test message goes to."))
        return redirect("outbound:overview")
    result = sms_gateway_test(gateway=gateway, phone=form.cleaned_data["phone"])
    if isinstance(result, SendError):
        messages.error(
            request, _("The test message was not sent: %(error)s") % {"error": str(result)}
        )
    else:
        messages.success(
            request,
            _("The gateway took the test message (id: %(id)s).") % {"id": result.message_id or "—"},
        )
    return redirect("outbound:overview")


@require_POST
@_admin_view
def sms_gateway_delete_view(
    request: HttpRequest, membership: Membership, gateway_id: int
) -> HttpResponse:
    gateway = sms_gateway_get(organization=membership.organization, gateway_id=gateway_id)
    sms_gateway_delete(gateway=gateway)
    messages.success(request, _("SMS gateway removed."))
    return redirect("outbound:overview")

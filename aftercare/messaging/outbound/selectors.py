"""Reading an organization's sending settings, always within one organization (or, for a
webhook, by what names it)."""

from django.http import Http404

from aftercare.accounts.models import Organization
from aftercare.messaging.outbound.models import EmailSetting, SmsGateway


def email_setting_for(*, organization: Organization) -> EmailSetting | None:
    """The organization's email settings, if it has any."""
    return EmailSetting.objects.filter(organization=organization).first()


def email_setting_get(*, organization: Organization, setting_id: int) -> EmailSetting:
    """The organization's email settings by id, or 404."""
    setting = EmailSetting.objects.filter(organization=organization, pk=setting_id).first()
    if setting is None:
        raise Http404
    return setting


def email_settings_receiving(
    *, provider: str, addresses: list[str], organization_ids: list[int]
) -> list[EmailSetting]:
    """The email settings that receive `provider`'s inbound webhook for an organization named
    by one of its from addresses or by id, with a webhook secret to check it by."""
    from django.db.models import Q

    return list(
        EmailSetting.objects.filter(inbound_provider=provider)
        .exclude(webhook_secret_sealed="")
        .filter(Q(from_address__in=addresses) | Q(organization_id__in=organization_ids))
        .select_related("organization")
        .order_by("pk")
    )


def sms_gateway_for(*, organization: Organization) -> SmsGateway | None:
    """The organization's SMS gateway, if it has one."""
    return SmsGateway.objects.filter(organization=organization).first()


def sms_gateway_get(*, organization: Organization, gateway_id: int) -> SmsGateway:
    """The organization's SMS gateway by id, or 404."""
    gateway = SmsGateway.objects.filter(organization=organization, pk=gateway_id).first()
    if gateway is None:
        raise Http404
    return gateway


def sms_gateway_for_report(*, token: str) -> SmsGateway | None:
    """The gateway whose delivery-report address carries `token`."""
    if not token or len(token) > 64:
        return None
    return SmsGateway.objects.filter(report_token=token).first()

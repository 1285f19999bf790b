"""Every write to what shapes notices: an organization's rules and own templates, a member's
choices. (Customers' consent is in consent.py.)"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.notifications import hooks
from aftercare.notifications.models import (
    STAFF_EVENTS,
    Notice,
    NoticeTemplate,
    NotificationSettings,
    StaffPreference,
)
from aftercare.notifications.render import Rendered, notice_render
from aftercare.notifications.sandbox import sandbox_compile

# What a preview without a request shows.
SAMPLE_VALUES = {
    "reference": "AS-000123",
    "subject": "Washing machine does not drain",
    "name": "Maryam Ahmadi",
    "agent": "Bob Agent",
    "body": "A technician comes on Monday between 9 and 12.",
    "url": "https://support.example/portal/demo/requests/123/",
    "status": "open",
    "due": "2026-12-08T09:00:00+00:00",
    "note": "Please check the warranty first.",
    "metric": "first_response",
}

TEMPLATE_CHANNELS = ("email",)


def notification_settings_get(*, organization: Organization) -> NotificationSettings:
    """The organization's rules (the defaults until it changes them)."""
    found = NotificationSettings.objects.filter(organization=organization).first()
    return found or NotificationSettings(organization=organization)


@transaction.atomic
def notification_settings_update(
    *,
    organization: Organization,
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    reminder_hours: int,
) -> NotificationSettings:
    """Quiet hours (both or neither, not equal) and the waiting reminder (0: never)."""
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        raise ApplicationError(_("Give both ends of the quiet hours, or neither."), field=field)
    if quiet_start is not None and quiet_start == quiet_end:
        raise ApplicationError(_("Quiet hours must end at another time."), field="quiet_end")
    if isinstance(reminder_hours, bool) or not isinstance(reminder_hours, int):
        raise ApplicationError(_("Enter a whole number of hours."), field="reminder_hours")
    if not 0 <= reminder_hours <= 720:
        raise ApplicationError(_("Enter from 0 to 720 hours."), field="reminder_hours")
    rules, _created = NotificationSettings.objects.update_or_create(
        organization=organization,
        defaults={
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "reminder_hours": reminder_hours,
            "updated_at": timezone.now(),
        },
    )
    return rules


def _template_values(*, event: str, language: str, channel: str, subject: str, body: str):
    if event not in Notice.Event.values:
        raise ApplicationError(_("Unknown event."), field="event")
    if not is_language(language):
        raise ApplicationError(_("Unknown language."), field="language")
    if channel not in TEMPLATE_CHANNELS:
        raise ApplicationError(_("Unknown channel."), field="channel")
    subject = (subject or "").strip()
    body = (body or "").strip()
    if len(subject) > 300:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": 300}, field="subject"
        )
    if "\n" in subject or "\r" in subject:
        raise ApplicationError(_("The subject is one line."), field="subject")
    if not body:
        raise ApplicationError(_("This field is required."), field="body")
    if subject:
        sandbox_compile(subject, field="subject")
    sandbox_compile(body, field="body")
    return subject, body


@transaction.atomic
def notice_template_save(
    *,
    organization: Organization,
    event: str,
    language: str,
    subject: str,
    body: str,
    is_active: bool = True,
    channel: str = "email",
    actor: User | None = None,
) -> NoticeTemplate:
    """The organization's own words for an event in a language (one per event, language and
    channel: saving again replaces them). A template that would not render is refused, naming
    the field and the problem."""
    subject, body = _template_values(
        event=event, language=language, channel=channel, subject=subject, body=body
    )
    template, _created = NoticeTemplate.objects.update_or_create(
        organization=organization,
        event=event,
        language=language,
        channel=channel,
        defaults={
            "subject": subject,
            "body": body,
            "is_active": bool(is_active),
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    return template


@transaction.atomic
def notice_template_restore(
    *, organization: Organization, event: str, language: str, channel: str = "email"
) -> int:
    """Use the standard words again: the organization's own template for the event and
    language is removed (a setting, not a record). Returns how many were removed."""
    deleted, _rows = NoticeTemplate.objects.filter(
        organization=organization, event=event, language=language, channel=channel
    ).delete()
    return deleted


@transaction.atomic
def staff_preference_set(
    *, organization: Organization, user: User, event: str, email: bool
) -> StaffPreference:
    """Whether a member gets an event's notices by email."""
    if event not in STAFF_EVENTS:
        raise ApplicationError(_("Not a notice staff receive."), field="event")
    preference, _created = StaffPreference.objects.update_or_create(
        organization=organization,
        user=user,
        event=event,
        defaults={"email": bool(email), "changed_at": timezone.now()},
    )
    return preference


def staff_preferences(*, organization: Organization, user: User) -> dict[str, bool]:
    """Every staff event and whether this member gets it (yes unless they said no)."""
    off = set(
        StaffPreference.objects.filter(
            organization=organization, user=user, email=False
        ).values_list("event", flat=True)
    )
    return {event: event not in off for event in Notice.Event.values if event in STAFF_EVENTS}


def notice_preview(
    *,
    organization: Organization,
    event: str,
    language: str,
    subject: str,
    body: str,
    number: int | None = None,
) -> Rendered:
    """A draft template rendered as a notice about the organization's request `number` would
    be (its real values), or about sample values without one. Nothing is saved or sent; a
    draft that would not render is refused naming the field."""
    subject, body = _template_values(
        event=event, language=language, channel="email", subject=subject, body=body
    )
    context = None
    if number is not None:
        found = [
            values
            for values in hooks.notice_preview_context.collect(
                organization=organization, event=event, number=number
            )
            if values
        ]
        if not found:
            raise ApplicationError(_("No such request."), field="number")
        context = found[0]
    if context is None:
        context = {
            **SAMPLE_VALUES,
            "organization": organization.name,
            "time_zone": organization.time_zone,
        }
    notice = Notice(organization=organization, event=event, language=language, context=context)
    draft = NoticeTemplate(
        organization=organization, event=event, language=language, subject=subject, body=body
    )
    return notice_render(notice, template=draft)

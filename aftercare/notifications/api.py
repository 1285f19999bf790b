"""API v1 of notifications: the outbound log, the organization's own templates and its rules,
a member's own choices, and a customer's consent.

Who may do what, as in the console:
- the outbound log (every notice, to customers and to staff) is read by managers (admins and
  supervisors) only: it holds other members' notices and every customer's address;
- templates and the organization's rules are read by managers, changed by admins;
- any member reads and changes their own notice preferences;
- any member reads a customer's consent; everyone but viewers records it.
"""

import datetime
from typing import Annotated, Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import ConfigDict, StringConstraints, create_model

from aftercare.api.fields import api_field_names
from aftercare.api.schemas import (
    AUTH,
    READ,
    WRITE,
    BodySchema,
    ErrorOut,
    Id,
    LanguageCode,
    PageQuery,
    Text,
    UserRefOut,
    responses,
)
from aftercare.customers.selectors import customer_get
from aftercare.notifications.consent import customer_preference_set
from aftercare.notifications.models import (
    STAFF_EVENTS,
    TOPICS_ON_BY_DEFAULT,
    TRANSACTIONAL_TOPICS,
    CustomerPreference,
    Notice,
    NoticeTemplate,
    Topic,
)
from aftercare.notifications.sandbox import TEMPLATE_MAX_CHARS
from aftercare.notifications.selectors import notice_get, notice_list
from aftercare.notifications.settings_services import (
    notice_preview,
    notice_template_restore,
    notice_template_save,
    notification_settings_get,
    notification_settings_update,
    staff_preference_set,
    staff_preferences,
)

notices_router = Router(tags=["notifications"])
templates_router = Router(tags=["notifications"])
settings_router = Router(tags=["notifications"])
preferences_router = Router(tags=["notifications"])
consent_router = Router(tags=["notifications"])

EventName = Literal[tuple(Notice.Event.values)]
StateName = Literal[tuple(Notice.State.values)]
TopicName = Literal[tuple(Topic.values)]
WallTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
# The staff events in the order the model lists them: one field each in the preferences.
STAFF_EVENT_NAMES = [event for event in Notice.Event.values if event in STAFF_EVENTS]
# The errors of an operation only managers or admins may call, on no object of the path.
REFUSABLE = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
REFUSABLE_NO_INPUT = {401: ErrorOut, 403: ErrorOut}


# --- The outbound log ---


class NoticeOut(Schema):
    """One notice of the outbound log: to whom, about what, and whether it went."""

    id: int
    event: str
    channel: str
    recipient: str
    language: str
    state: str = Field(description="queued, sending, sent, delivered, failed or bounced.")
    attempts: int = Field(description="How many times sending was tried.")
    last_error: str
    ticket_id: int | None
    customer_id: int | None = Field(description="Set when it went to a customer.")
    user_id: int | None = Field(description="Set when it went to a member of staff.")
    subject: str = Field(description="Empty until it is first sent (it is written then).")
    message_id: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None


class NoticeAttemptOut(Schema):
    """One try at sending a notice."""

    number: int
    outcome: str = Field(description="sent, retry, failed or bounced.")
    error: str
    created_at: datetime.datetime


class NoticeDetailOut(NoticeOut):
    """A notice with every try at sending it, oldest first."""

    attempt_log: list[NoticeAttemptOut]

    @staticmethod
    def resolve_attempt_log(obj) -> list:
        return sorted(obj.attempt_log.all(), key=lambda attempt: attempt.number)


class NoticePageOut(Schema):
    """One page of the outbound log."""

    items: list[NoticeOut]
    next_cursor: str | None


class NoticeListQuery(PageQuery):
    """Filters of the outbound log."""

    state: StateName | None = None
    event: EventName | None = None
    channel: Text(16) = Field("", description="email, sms, telegram...; empty: every channel.")
    ticket_id: Id | None = None
    customer_id: Id | None = None


@notices_router.get(
    "/", response=responses({200: NoticePageOut}, REFUSABLE), summary="The outbound log"
)
def notice_list_api(request: HttpRequest, filters: Query[NoticeListQuery]):
    """Every notice the organization sent or is sending, newest first (admins and supervisors:
    it holds other members' notices too)."""
    return notice_list(
        organization=request.organization,
        state=filters.state or "",
        event=filters.event or "",
        channel=filters.channel,
        ticket_id=filters.ticket_id,
        customer_id=filters.customer_id,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@notices_router.get(
    "/{notice_id}",
    response=responses({200: NoticeDetailOut}, {**READ, 403: ErrorOut}),
    summary="Get a notice",
)
def notice_get_api(request: HttpRequest, notice_id: Id):
    """One notice with its sending attempts (admins and supervisors)."""
    return notice_get(organization=request.organization, notice_id=notice_id)


# --- Templates ---


class NoticeTemplateOut(Schema):
    """The organization's own words for an event's notice in one language, used instead of the
    shipped ones while active."""

    event: str
    language: str
    channel: str
    subject: str = Field(description="Empty: the shipped subject line.")
    body: str
    is_active: bool
    updated_at: datetime.datetime
    updated_by: UserRefOut | None


class NoticeTemplateIn(BodySchema):
    """An event's words in one language. Django template language with only the notice's
    values (`{{ reference }}`, `{{ subject }}`, `{{ name }}`...), `if`, `firstof` and a few
    text filters."""

    subject: Text(300) = Field("", description="One line; empty keeps the shipped subject.")
    body: Text(TEMPLATE_MAX_CHARS, min_length=1)
    is_active: bool = True


class NoticePreviewIn(BodySchema):
    """A draft to render, with a request's real values or sample ones."""

    subject: Text(300) = ""
    body: Text(TEMPLATE_MAX_CHARS, min_length=1)
    ticket_number: Id | None = Field(
        None, description="The number of one of the organization's requests; omit for samples."
    )


class NoticePreviewOut(Schema):
    """The notice as it would be sent: nothing is saved or sent."""

    subject: str
    text: str
    html: str


def _template_list(request: HttpRequest) -> list[NoticeTemplate]:
    return list(
        NoticeTemplate.objects.filter(organization=request.organization)
        .select_related("updated_by")
        .order_by("event", "language", "channel")
    )


@templates_router.get(
    "/",
    response=responses({200: list[NoticeTemplateOut]}, REFUSABLE_NO_INPUT),
    summary="List templates",
)
def notice_template_list_api(request: HttpRequest):
    """The organization's own templates (admins and supervisors); events and languages without
    one use the shipped words. At most one per event, language and channel."""
    return _template_list(request)


@templates_router.put(
    "/{event}/{language}",
    response=responses({200: NoticeTemplateOut}, WRITE),
    summary="Save a template",
)
def notice_template_save_api(
    request: HttpRequest, event: EventName, language: LanguageCode, payload: NoticeTemplateIn
):
    """Set the organization's words for an event in a language (admins); a template that would
    not render is refused, naming `subject` or `body`."""
    return notice_template_save(
        organization=request.organization,
        event=event,
        language=language,
        subject=payload.subject,
        body=payload.body,
        is_active=payload.is_active,
        actor=request.user,
    )


@templates_router.delete(
    "/{event}/{language}",
    response=responses({204: None}, WRITE),
    summary="Remove a template",
)
def notice_template_delete_api(request: HttpRequest, event: EventName, language: LanguageCode):
    """Remove the organization's own words for an event in a language (admins): its notices
    use the shipped words again. 404 when there are none."""
    removed = notice_template_restore(
        organization=request.organization, event=event, language=language
    )
    if not removed:
        raise Http404
    return Answer(204, None)


@templates_router.post(
    "/{event}/{language}/preview",
    response=responses({200: NoticePreviewOut}, WRITE),
    summary="Preview a template",
)
def notice_template_preview_api(
    request: HttpRequest, event: EventName, language: LanguageCode, payload: NoticePreviewIn
):
    """Render a draft as the notice about request `ticket_number` would be (its real values),
    or with sample values (admins and supervisors). Nothing is saved or sent."""
    with api_field_names({"number": "ticket_number"}):
        rendered = notice_preview(
            organization=request.organization,
            event=event,
            language=language,
            subject=payload.subject,
            body=payload.body,
            number=payload.ticket_number,
        )
    return {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}


# --- The organization's rules ---


class NotificationSettingsOut(Schema):
    """Quiet hours for phone notices and the waiting reminder."""

    quiet_start: str | None = Field(
        description="HH:MM in the organization's time zone; null: no quiet hours."
    )
    quiet_end: str | None = Field(description="HH:MM; before quiet_start: across midnight.")
    reminder_hours: int = Field(
        description="Business hours a request waits on the customer before one reminder; 0: never."
    )

    @staticmethod
    def resolve_quiet_start(obj) -> str | None:
        return None if obj.quiet_start is None else f"{obj.quiet_start:%H:%M}"

    @staticmethod
    def resolve_quiet_end(obj) -> str | None:
        return None if obj.quiet_end is None else f"{obj.quiet_end:%H:%M}"


class NotificationSettingsIn(BodySchema):
    """All of the rules: both ends of the quiet hours or neither (null)."""

    quiet_start: WallTime | None
    quiet_end: WallTime | None
    reminder_hours: int = Field(ge=0, le=720)


def _wall_time(value: str | None) -> datetime.time | None:
    return None if value is None else datetime.time.fromisoformat(value)


@settings_router.get(
    "",
    response=responses({200: NotificationSettingsOut}, REFUSABLE_NO_INPUT),
    summary="Get the rules",
)
def notification_settings_get_api(request: HttpRequest):
    """The organization's quiet hours and reminder (admins and supervisors)."""
    return notification_settings_get(organization=request.organization)


@settings_router.put(
    "",
    response=responses({200: NotificationSettingsOut}, REFUSABLE),
    summary="Change the rules",
)
def notification_settings_update_api(request: HttpRequest, payload: NotificationSettingsIn):
    """Set the quiet hours and the reminder (admins)."""
    return notification_settings_update(
        organization=request.organization,
        quiet_start=_wall_time(payload.quiet_start),
        quiet_end=_wall_time(payload.quiet_end),
        reminder_hours=payload.reminder_hours,
    )


# --- A member's own preferences ---


def _event_label(event: str) -> str:
    # The schema is written in English, whatever language is active when it is built.
    with translation.override("en"):
        return str(Notice.Event(event).label)


StaffPreferencesOut = create_model(
    "StaffPreferencesOut",
    __base__=Schema,
    __doc__="Whether you get each of your notices by email.",
    **{event: (bool, Field(description=_event_label(event))) for event in STAFF_EVENT_NAMES},
)


class _Strict(BodySchema):
    # Read strictly (a choice is true or false, not 0 or "no"), and an unknown (or a
    # customer's) event is an error naming it, not silently ignored.
    model_config = ConfigDict(strict=True, extra="forbid")


# Absent means unchanged; null is no choice (an error).
StaffPreferencesIn = create_model(
    "StaffPreferencesIn",
    __base__=_Strict,
    __doc__="The choices to change: true to get an event's notices by email, false not to.",
    **{event: (bool, Field(None, description=_event_label(event))) for event in STAFF_EVENT_NAMES},
)


@preferences_router.get(
    "", response=responses({200: StaffPreferencesOut}, AUTH), summary="Your notice choices"
)
def staff_preferences_get_api(request: HttpRequest):
    """Which of your notices you get by email (any member; yes unless you said no)."""
    return staff_preferences(organization=request.organization, user=request.user)


@preferences_router.put(
    "",
    response=responses({200: StaffPreferencesOut}, REFUSABLE),
    summary="Change your notice choices",
)
def staff_preferences_set_api(request: HttpRequest, payload: StaffPreferencesIn):
    """Turn your notices of some events on or off; events not sent stay as they are."""
    with transaction.atomic():
        for event, email in payload.model_dump(exclude_unset=True).items():
            staff_preference_set(
                organization=request.organization, user=request.user, event=event, email=email
            )
    return staff_preferences(organization=request.organization, user=request.user)


# --- A customer's consent ---


class CustomerPreferenceOut(Schema):
    """A customer's yes or no to a topic of notices, and where it came from."""

    topic: str = Field(description="updates (about their requests) or reminders.")
    allowed: bool
    can_change: bool = Field(description="False for updates: they are always sent.")
    source: str = Field(description="unsubscribe, portal, staff or api; empty: the default.")
    changed_at: datetime.datetime | None


class CustomerPreferenceIn(BodySchema):
    """A customer's yes or no to a topic, as they told you."""

    topic: TopicName
    allowed: bool


def _consent(customer) -> list[dict]:
    said = {
        preference.topic: preference
        for preference in CustomerPreference.objects.filter(customer=customer)
    }
    rows = []
    for topic in Topic.values:
        preference = said.get(topic)
        rows.append(
            {
                "topic": topic,
                "allowed": topic in TOPICS_ON_BY_DEFAULT
                if preference is None
                else preference.allowed,
                "can_change": topic not in TRANSACTIONAL_TOPICS,
                "source": "" if preference is None else preference.source,
                "changed_at": None if preference is None else preference.changed_at,
            }
        )
    return rows


@consent_router.get(
    "/{customer_id}",
    response=responses({200: list[CustomerPreferenceOut]}, READ),
    summary="A customer's consent",
)
def customer_preference_list_api(request: HttpRequest, customer_id: Id):
    """The customer's yes or no to each topic of notices (any member of staff)."""
    customer = customer_get(organization=request.organization, customer_id=customer_id)
    return _consent(customer)


@consent_router.put(
    "/{customer_id}",
    response=responses({200: list[CustomerPreferenceOut]}, WRITE),
    summary="Record a customer's consent",
)
def customer_preference_set_api(
    request: HttpRequest, customer_id: Id, payload: CustomerPreferenceIn
):
    """Record the customer's yes or no to a topic (everyone but viewers); updates on their own
    requests cannot be turned off."""
    customer = customer_get(organization=request.organization, customer_id=customer_id)
    customer_preference_set(
        customer=customer,
        topic=payload.topic,
        allowed=payload.allowed,
        source=CustomerPreference.Source.API,
    )
    return _consent(customer)

"""Queueing notices and sending them. A notice is written in the transaction of the change it
tells of; sending happens after commit, in a task, never in the request that caused it."""

import contextlib
import contextvars
import datetime
import logging
from collections.abc import Iterator
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string

from aftercare.accounts.models import Organization, User
from aftercare.customers.models import Customer
from aftercare.lib.debounce import AtMostEvery
from aftercare.lib.realtime import publish_collected_on_commit, publish_on_commit, user_group
from aftercare.messaging.outbound import OutboundMessage, SendError, Sent, send_many
from aftercare.notifications import hooks
from aftercare.notifications.bell import VALUES, live_item, notice_path
from aftercare.notifications.consent import unsubscribe_headers
from aftercare.notifications.models import (
    TOPIC_OF_EVENT,
    TOPICS_ON_BY_DEFAULT,
    TRANSACTIONAL_TOPICS,
    ConsoleNotice,
    CustomerPreference,
    Notice,
    NoticeAttempt,
    NotificationSettings,
    StaffPreference,
    Topic,
)
from aftercare.notifications.render import notice_render, own_templates, template_key
from aftercare.notifications.selectors import console_notices_unread_count

logger = logging.getLogger(__name__)

# Set while history is replayed (the demo's seeding): changes are recorded, nobody is told.
_withheld = contextvars.ContextVar("notices_withheld", default=False)

# How long a claimed notice stays with the sender that claimed it; after that (the process died
# mid-send) it is due again. A notice may then go twice, never zero times.
SENDING_LEASE = datetime.timedelta(minutes=10)


@contextlib.contextmanager
def notices_withheld() -> Iterator[None]:
    """Record changes without telling anyone (replaying history, importing)."""
    token = _withheld.set(True)
    try:
        yield
    finally:
        _withheld.reset(token)


# Channels that reach a phone: non-urgent notices on them wait out the quiet hours.
PHONE_CHANNELS = frozenset({"sms", "telegram", "whatsapp"})


def notice_queue(
    *,
    organization: Organization,
    event: str,
    recipient: str,
    language: str,
    key: str,
    context: dict,
    thread: list[str] | None = None,
    customer: Customer | None = None,
    user: User | None = None,
    ticket_id: int | None = None,
    channel: str = "email",
    reply_to: str = "",
    urgent: bool = False,
    once: bool = False,
) -> Notice | None:
    """Record a notice to send once the current transaction commits (to a member of staff: in
    their bell too, even when its email is off). None when there is no recipient, notices are
    withheld, the member of staff turned this event's email off, or the customer said no to its
    topic. `key` names the change: one notice per key (with `once`, a second call for the same
    key is None instead of an error)."""
    if not recipient or _withheld.get():
        return None
    if user is not None:
        # The bell keeps every notice to staff, whether or not it goes by email too.
        console_notice_record(
            organization=organization,
            user=user,
            event=event,
            key=key,
            context=context,
            ticket_id=ticket_id,
            once=once,
        )
        if not staff_wants(organization=organization, user=user, event=event):
            return None
    if customer is not None and not customer_allows(customer=customer, event=event):
        return None
    key = key[:120]
    if once and Notice.objects.filter(organization=organization, key=key).exists():
        return None
    now = timezone.now()
    due = now if urgent or channel not in PHONE_CHANNELS else after_quiet_hours(organization, now)
    notice = Notice.objects.create(
        organization=organization,
        customer=customer,
        user=user,
        ticket_id=ticket_id,
        event=event,
        channel=channel,
        recipient=recipient,
        language=language,
        key=key,
        context=context,
        thread=thread or [],
        reply_to=reply_to,
        next_attempt_at=due,
    )
    transaction.on_commit(_send_soon)
    return notice


def notices_queue_for_staff(notices: list[Notice]) -> int:
    """Record many staff notices at once (an SLA sweep's warnings and breaches): each in its
    recipient's bell, and by email unless they turned the event off; a key already recorded is
    skipped. Returns how many emails were recorded."""
    if not notices or _withheld.get():
        return 0
    console_notices_record(
        [
            ConsoleNotice(
                organization_id=notice.organization_id,
                user_id=notice.user_id,
                event=notice.event,
                key=notice.key,
                context=notice.context,
                ticket_id=notice.ticket_id,
            )
            for notice in notices
            if notice.user_id is not None
        ]
    )
    off = set(
        StaffPreference.objects.filter(
            user_id__in={notice.user_id for notice in notices}, email=False
        ).values_list("organization_id", "user_id", "event")
    )
    now = timezone.now()
    keep = []
    for notice in notices:
        if notice.recipient and (notice.organization_id, notice.user_id, notice.event) not in off:
            notice.key = notice.key[:120]
            notice.next_attempt_at = now
            keep.append(notice)
    if not keep:
        return 0
    existing = set(
        Notice.objects.filter(
            organization_id__in={notice.organization_id for notice in keep},
            key__in=[notice.key for notice in keep],
        ).values_list("organization_id", "key")
    )
    keep = [notice for notice in keep if (notice.organization_id, notice.key) not in existing]
    Notice.objects.bulk_create(keep, ignore_conflicts=True)
    transaction.on_commit(_send_soon)
    return len(keep)


def staff_wants(*, organization: Organization, user: User, event: str) -> bool:
    """Whether a member of staff gets this event's notices (yes unless they turned it off)."""
    return not StaffPreference.objects.filter(
        organization=organization, user=user, event=event, email=False
    ).exists()


def customer_allows(*, customer: Customer, event: str) -> bool:
    """Whether a customer gets this event's notices: transactional ones always; others by
    their last word, or by the topic's default when they gave none."""
    topic = TOPIC_OF_EVENT.get(event, Topic.UPDATES)
    if topic in TRANSACTIONAL_TOPICS:
        return True
    said = (
        CustomerPreference.objects.filter(customer=customer, topic=topic)
        .values_list("allowed", flat=True)
        .first()
    )
    return topic in TOPICS_ON_BY_DEFAULT if said is None else said


def after_quiet_hours(organization: Organization, now: datetime.datetime) -> datetime.datetime:
    """`now`, or the end of the organization's quiet hours when `now` falls inside them."""
    rules = NotificationSettings.objects.filter(organization=organization).first()
    if rules is None or rules.quiet_start is None or rules.quiet_end is None:
        return now
    if rules.quiet_start == rules.quiet_end:
        return now
    zone = ZoneInfo(organization.time_zone or "UTC")
    local = now.astimezone(zone)
    start, end = rules.quiet_start, rules.quiet_end
    clock = local.time()
    # An end before the start spans midnight.
    inside = start <= clock < end if start < end else clock >= start or clock < end
    if not inside:
        return now
    day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    wake = datetime.datetime.combine(day, end, tzinfo=zone)
    return wake.astimezone(datetime.UTC)


# Asked for after each commit that queues work; one run takes everything due.
_ask = AtMostEvery(lambda: settings.NOTICE_SEND_DEBOUNCE_SECONDS)


def _send_soon() -> None:
    """Ask for the due notices to be sent: at most once per NOTICE_SEND_DEBOUNCE_SECONDS per
    process, since one run sends everything due (a notice missed at the edge is sent by the
    periodic run, NOTICE_SWEEP_SECONDS later at most)."""
    if not _ask.ready():
        return
    from aftercare.notifications.tasks import notices_send_task

    notices_send_task.enqueue()


def _backoff(attempts: int) -> datetime.timedelta:
    """The wait before the next try: 1, 2, 4 ... minutes, at most NOTICE_RETRY_MAX_MINUTES."""
    minutes = min(2 ** max(0, attempts - 1), settings.NOTICE_RETRY_MAX_MINUTES)
    return datetime.timedelta(minutes=minutes)


def _due(now: datetime.datetime):
    """Notices to send now: queued and due, or claimed by a sender whose lease ran out."""
    return Notice.objects.filter(
        next_attempt_at__lte=now, state__in=[Notice.State.QUEUED, Notice.State.SENDING]
    )


def _claim(ids: list[int], now: datetime.datetime) -> list[Notice]:
    """Take the notices among `ids` that are still due (another sender may have taken some),
    counting the attempt; the taken ones, oldest first."""
    token = get_random_string(24)
    _due(now).filter(pk__in=ids).update(
        state=Notice.State.SENDING,
        claim=token,
        next_attempt_at=now + SENDING_LEASE,
        attempts=F("attempts") + 1,
    )
    claimed = Notice.objects.filter(pk__in=ids, claim=token).select_related("organization")
    return list(claimed.order_by("id"))


def _message(notice: Notice, templates: dict) -> OutboundMessage:
    """The payload of a notice, rendered on its first try (a retry sends the very same words),
    with its organization's own template if `templates` (the batch's) has one."""
    if not notice.subject:
        rendered = notice_render(notice, template=templates.get(template_key(notice)))
        notice.subject, notice.text, notice.html = rendered.subject, rendered.text, rendered.html
    files = tuple(file for files in hooks.notice_files.collect(notice=notice) for file in files)
    headers = unsubscribe_headers(
        organization=notice.organization, customer_id=notice.customer_id, event=notice.event
    )
    return OutboundMessage(
        subject=notice.subject,
        attachments=files,
        text=notice.text,
        html=notice.html,
        language=notice.language,
        sender_name=notice.context.get("organization", ""),
        reply_to=notice.reply_to,
        thread=tuple(notice.thread),
        organization_id=notice.organization_id,
        headers=headers,
    )


def _deliver(notices: list[Notice], now: datetime.datetime) -> int:
    """Send claimed notices, one batch per channel, and record each outcome and attempt in
    one transaction. Returns how many went."""
    outcomes: dict[int, Sent | SendError] = {}
    templates = own_templates([notice for notice in notices if not notice.subject])
    for channel in {notice.channel for notice in notices}:
        batch = []
        for notice in notices:
            if notice.channel != channel:
                continue
            try:
                batch.append((notice, _message(notice, templates)))
            except Exception as error:  # one broken template fails one notice, not the batch
                logger.exception("Notice %s could not be written.", notice.pk)
                outcomes[notice.pk] = SendError(
                    f"The notice could not be written: {error}", permanent=True
                )
        results = send_many(
            channel=channel, messages=[(notice.recipient, message) for notice, message in batch]
        )
        outcomes.update(zip((notice.pk for notice, _ in batch), results, strict=True))
    attempts = []
    with transaction.atomic():
        for notice in notices:
            outcome = outcomes[notice.pk]
            fields = {"subject": notice.subject, "text": notice.text, "html": notice.html}
            if isinstance(outcome, Sent):
                fields.update(
                    state=Notice.State.SENT,
                    sent_at=timezone.now(),
                    message_id=outcome.message_id,
                    next_attempt_at=None,
                    claim="",
                )
                result, error = NoticeAttempt.Outcome.SENT, ""
            else:
                final = outcome.permanent or notice.attempts >= settings.NOTICE_MAX_ATTEMPTS
                error = str(outcome)[:2000]
                fields.update(
                    state=Notice.State.FAILED if final else Notice.State.QUEUED,
                    last_error=error,
                    next_attempt_at=None if final else now + _backoff(notice.attempts),
                    claim="",
                )
                result = NoticeAttempt.Outcome.FAILED if final else NoticeAttempt.Outcome.RETRY
            Notice.objects.filter(pk=notice.pk).update(**fields)
            attempts.append(
                NoticeAttempt(notice=notice, number=notice.attempts, outcome=result, error=error)
            )
        NoticeAttempt.objects.bulk_create(attempts)
    return sum(isinstance(outcome, Sent) for outcome in outcomes.values())


def notice_send(notice_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Try to send one notice, if it is due and no other sender holds it; record the attempt.
    Returns whether it went."""
    now = now or timezone.now()
    claimed = _claim([notice_id], now)
    return bool(claimed) and _deliver(claimed, now) == 1


def notices_send_due(*, batch: int = 100) -> int:
    """Send every notice that is due, oldest first, `batch` at a time; returns how many went."""
    sent = 0
    while True:
        now = timezone.now()
        ids = list(_due(now).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:batch])
        if not ids:
            return sent
        claimed = _claim(ids, now)
        if claimed:
            sent += _deliver(claimed, now)


def notices_bounced(*, organization: Organization, message_ids: list[str], reason: str) -> int:
    """Mark the notices a delivery failure report names as bounced (their mail left but never
    arrived); returns how many."""
    if not message_ids:
        return 0
    return Notice.objects.filter(
        organization=organization,
        message_id__in=message_ids,
        state__in=[Notice.State.SENT, Notice.State.DELIVERED],
    ).update(state=Notice.State.BOUNCED, last_error=reason[:2000] or "bounced")


def notices_delivery_report(
    *, organization_id: int, channel: str, message_id: str, delivered: bool, error: str = ""
) -> int:
    """What a channel's delivery report says of a sent notice (an SMS gateway's callback, a
    provider's webhook): delivered, or failed after all. Returns how many notices it named."""
    if not message_id:
        return 0
    if delivered:
        fields = {"state": Notice.State.DELIVERED}
    else:
        fields = {"state": Notice.State.FAILED, "last_error": (error or "not delivered")[:2000]}
    return Notice.objects.filter(
        organization_id=organization_id,
        message_id=message_id,
        channel=channel,
        state=Notice.State.SENT,
    ).update(**fields)


# --- The bell ---


def _console_notice(
    *,
    organization_id: int,
    user_id: int,
    event: str,
    key: str,
    context: dict,
    ticket_id: int | None,
) -> ConsoleNotice:
    """An unsaved bell notice: the values its sentence names, and where it leads."""
    return ConsoleNotice(
        organization_id=organization_id,
        user_id=user_id,
        event=event,
        ticket_id=ticket_id,
        key=key[:120],
        context={name: context[name] for name in VALUES if context.get(name)},
        path=notice_path(context.get("url", "")),
    )


def _announce_to_bells(notices: list[ConsoleNotice]) -> None:
    """Tell each reader's open console pages of their new notices once the transaction
    commits: one event per reader and transaction."""
    for notice in notices:
        publish_collected_on_commit(
            user_group(notice.organization_id, notice.user_id),
            "notices",
            notice.pk or notice.key,
            partial(live_item, notice),
        )


def console_notice_record(
    *,
    organization: Organization,
    user: User,
    event: str,
    key: str,
    context: dict,
    ticket_id: int | None = None,
    once: bool = False,
) -> ConsoleNotice | None:
    """Put a notice in a member of staff's bell, in the caller's transaction, and tell their
    open pages once it commits. With `once`, a key already in their bell is None."""
    if _withheld.get():
        return None
    notice = _console_notice(
        organization_id=organization.pk,
        user_id=user.pk,
        event=event,
        key=key,
        context=context,
        ticket_id=ticket_id,
    )
    if (
        once
        and ConsoleNotice.objects.filter(
            organization_id=organization.pk, user_id=user.pk, key=notice.key
        ).exists()
    ):
        return None
    notice.save(force_insert=True)
    _announce_to_bells([notice])
    return notice


def console_notices_record(notices: list[ConsoleNotice]) -> int:
    """Put many notices in their readers' bells at once (an SLA sweep's): keys already there
    are skipped. Returns how many were recorded."""
    if not notices or _withheld.get():
        return 0
    rows = [
        _console_notice(
            organization_id=notice.organization_id,
            user_id=notice.user_id,
            event=notice.event,
            key=notice.key,
            context=notice.context,
            ticket_id=notice.ticket_id,
        )
        for notice in notices
    ]
    existing = set(
        ConsoleNotice.objects.filter(
            organization_id__in={row.organization_id for row in rows},
            user_id__in={row.user_id for row in rows},
            key__in={row.key for row in rows},
        ).values_list("organization_id", "user_id", "key")
    )
    seen = set()
    keep = []
    for row in rows:
        name = (row.organization_id, row.user_id, row.key)
        if name not in existing and name not in seen:
            seen.add(name)
            keep.append(row)
    ConsoleNotice.objects.bulk_create(keep, ignore_conflicts=True)
    _announce_to_bells(keep)
    return len(keep)


def _announce_read(organization: Organization, user: User) -> None:
    """Tell the reader's other open pages how many notices are still unread."""
    unread = console_notices_unread_count(organization_id=organization.pk, user_id=user.pk)
    publish_on_commit(
        user_group(organization.pk, user.pk), {"type": "notices_read", "unread": unread}
    )


@transaction.atomic
def console_notices_read(
    *, organization: Organization, user: User, through_id: int | None = None
) -> int:
    """Mark a member's unread notices read (those up to `through_id`, the newest they saw, if
    given: one that came since stays unread). Returns how many."""
    unread = ConsoleNotice.objects.filter(
        organization=organization, user=user, read_at__isnull=True
    )
    if through_id is not None:
        unread = unread.filter(pk__lte=through_id)
    count = unread.update(read_at=timezone.now())
    if count:
        _announce_read(organization, user)
    return count


@transaction.atomic
def console_notice_read(*, notice: ConsoleNotice) -> ConsoleNotice:
    """Mark one notice read (its reader opened it)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        ConsoleNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=notice.read_at
        )
        _announce_read(notice.organization, notice.user)
    return notice

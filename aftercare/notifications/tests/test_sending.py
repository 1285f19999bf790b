"""Notices through a real SMTP server on loopback: what arrives, in which language and calendar,
with which headers; retries while the server is down; refusals; one send per notice."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftercare.lib.testing_smtp import SmtpServer
from aftercare.notifications.models import Notice, NoticeAttempt
from aftercare.notifications.services import (
    notice_queue,
    notice_send,
    notices_send_due,
    notices_withheld,
)


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers()
    settings.DEFAULT_FROM_EMAIL = "Support <support@shop.example>"
    yield server
    server.stop()


@pytest.fixture
def smtp_down(settings):
    """A mail server that is down: its port refuses connections until started."""
    server = SmtpServer()
    settings.MAILERS = server.mailers()
    yield server
    server.stop()


def _notice(org, customer, *, language="en", event=Notice.Event.REPLIED, key="k1", **context):
    values = {
        "reference": "AS-000042",
        "subject": "Fridge is noisy",
        "name": "Maryam Ahmadi",
        "organization": "Demo Appliances",
        "time_zone": "Asia/Tehran",
        "url": "http://127.0.0.1:8000/portal/demo/requests/42/",
        "status": "open",
        **context,
    }
    return notice_queue(
        organization=org,
        event=event,
        recipient="maryam@example.com",
        language=language,
        key=key,
        context=values,
        thread=["<as-000042.abc@shop.example>"],
        customer=customer,
        ticket_id=42,
    )


def test_a_reply_notice_arrives_threaded_with_the_reply_in_text_and_html(org, customer, smtp):
    notice = _notice(org, customer, agent="Bob", body="Please send a photo of the label.")

    assert notice_send(notice.pk) is True

    [received] = smtp.received
    assert received.recipients == ["maryam@example.com"]
    message = received.message
    assert message["Subject"] == "[AS-000042] Re: Fridge is noisy"
    assert message["From"] == "Demo Appliances <support@shop.example>"
    assert message["References"] == "<as-000042.abc@shop.example>"
    assert message["In-Reply-To"] == "<as-000042.abc@shop.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bob answered your request AS-000042" in text
    assert "> Please send a photo of the label." in text
    assert "http://127.0.0.1:8000/portal/demo/requests/42/" in text
    assert "Please send a photo of the label." in html and 'dir="ltr"' in html
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT and notice.sent_at is not None
    assert notice.message_id == message["Message-ID"]
    assert notice.subject == message["Subject"] and notice.attempts == 1
    assert list(notice.attempt_log.values_list("number", "outcome")) == [(1, "sent")]


def test_a_persian_notice_is_right_to_left_with_jalali_dates_and_persian_digits(
    org, customer, smtp
):
    due = datetime.datetime(2026, 12, 6, 10, 30, tzinfo=datetime.UTC)  # 14:00 in Tehran
    notice = _notice(org, customer, language="fa", event=Notice.Event.RECEIVED, due=due.isoformat())

    notice_send(notice.pk)

    message = smtp.received[0].message
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    # 6 December 2026 is 15 Azar 1405.
    assert "۱۴۰۵/۰۹/۱۵ ۱۴:۰۰" in text and "۱۴۰۵/۰۹/۱۵ ۱۴:۰۰" in html
    assert '<html lang="fa" dir="rtl">' in html
    assert message["Subject"] == "[AS-000042] درخواست شما دریافت شد: Fridge is noisy"
    assert message["Content-Language"] == "fa"


def test_while_the_server_is_down_the_notice_waits_and_goes_when_it_returns(
    org, customer, smtp_down
):
    notice = _notice(org, customer)

    assert notice_send(notice.pk) is False

    notice.refresh_from_db()
    assert notice.state == Notice.State.QUEUED and notice.attempts == 1
    assert "could not be reached" in notice.last_error
    assert notice.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    # Not due yet: the sweep leaves it.
    assert notices_send_due() == 0

    later = notice.next_attempt_at + datetime.timedelta(seconds=1)
    assert notice_send(notice.pk, now=later) is False  # still down: the wait doubles
    notice.refresh_from_db()
    assert notice.attempts == 2
    assert notice.next_attempt_at - later >= datetime.timedelta(minutes=2)

    smtp_down.start()
    assert notice_send(notice.pk, now=notice.next_attempt_at) is True

    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT and len(smtp_down.received) == 1
    assert list(notice.attempt_log.values_list("number", "outcome")) == [
        (1, "retry"),
        (2, "retry"),
        (3, "sent"),
    ]


def test_a_refused_address_fails_at_once_and_is_not_retried(org, customer, smtp):
    smtp.refuse("maryam@example.com")
    notice = _notice(org, customer)

    assert notice_send(notice.pk) is False

    notice.refresh_from_db()
    assert notice.state == Notice.State.FAILED and notice.next_attempt_at is None
    assert "550" in notice.last_error
    assert notices_send_due() == 0
    assert NoticeAttempt.objects.get(notice=notice).outcome == "failed"


def test_after_the_last_try_a_notice_fails(org, customer, smtp_down, settings):
    settings.NOTICE_MAX_ATTEMPTS = 2
    notice = _notice(org, customer)
    notice_send(notice.pk)
    notice.refresh_from_db()

    notice_send(notice.pk, now=notice.next_attempt_at)

    notice.refresh_from_db()
    assert notice.state == Notice.State.FAILED and notice.attempts == 2


def test_a_notice_is_sent_once_however_often_sending_runs(org, customer, smtp):
    notice = _notice(org, customer)

    assert notices_send_due() == 1
    assert notices_send_due() == 0
    assert notice_send(notice.pk) is False

    assert len(smtp.received) == 1


def test_a_sender_that_died_mid_send_leaves_the_notice_due_after_its_lease(org, customer, smtp):
    notice = _notice(org, customer)
    Notice.objects.filter(pk=notice.pk).update(
        state=Notice.State.SENDING, next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert notices_send_due() == 1
    assert len(smtp.received) == 1


def test_withheld_changes_queue_nothing(org, customer):
    with notices_withheld():
        assert _notice(org, customer) is None
    assert not Notice.objects.exists()


def test_a_change_told_twice_is_one_notice(org, customer):
    _notice(org, customer, key="event:7:status")
    with pytest.raises(IntegrityError), transaction.atomic():
        _notice(org, customer, key="event:7:status")
    assert Notice.objects.count() == 1


def test_one_run_sends_a_batch_and_a_refused_address_stops_only_its_own_notice(org, customer, smtp):
    smtp.refuse("gone@example.com")
    notices = [_notice(org, customer, key=f"k{n}") for n in range(5)]
    Notice.objects.filter(pk=notices[2].pk).update(recipient="gone@example.com")

    assert notices_send_due(batch=3) == 4

    states = dict(Notice.objects.values_list("key", "state"))
    assert states == {"k0": "sent", "k1": "sent", "k2": "failed", "k3": "sent", "k4": "sent"}
    assert (
        sorted(received.recipients[0] for received in smtp.received) == ["maryam@example.com"] * 4
    )


def test_a_notice_that_cannot_be_written_fails_without_stopping_the_others(org, customer, smtp):
    broken = _notice(org, customer, key="broken")
    Notice.objects.filter(pk=broken.pk).update(event="no_such_event")
    _notice(org, customer, key="fine")

    assert notices_send_due() == 1

    broken.refresh_from_db()
    assert broken.state == Notice.State.FAILED
    assert "could not be written" in broken.last_error


def test_the_sweep_reads_only_pending_notices_through_their_index(org, customer):
    from django.db import connection

    from aftercare.notifications.services import _due

    _notice(org, customer)
    query = _due(timezone.now()).order_by("next_attempt_at", "id").values_list("pk", flat=True)
    sql, params = query[:100].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table this small is read whole unless told otherwise; the plan must be possible.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "notice_pending" in plan

"""The benchmark's notices: its SMTP server, and notify_send timing the real sending."""

import smtplib

from django.core import mail

from aftercare.accounts.services import organization_create
from aftercare.notifications.models import Notice
from aftercare.notifications.services import notice_queue
from bench.notices import MailSink, notices_drain, notify_send


def test_the_mail_sink_accepts_a_message_and_stops():
    sink = MailSink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            refused = client.sendmail("a@example.com", ["b@example.com"], b"Subject: x\r\n\r\nhi")
        assert refused == {}
    finally:
        sink.stop()
    assert sink.process.returncode is not None


def test_notify_send_sends_intakes_notices_again_and_reports_the_rate(db, settings):
    org = organization_create(name="Bench Shop", slug="bench-shop")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    for number in range(3):
        notice_queue(
            organization=org,
            event=Notice.Event.RECEIVED,
            recipient="maryam@example.com",
            language="en",
            key=f"ticket:{number}:received",
            context={"reference": f"AS-{number}", "subject": "Noisy fridge"},
        )
    Notice.objects.update(state=Notice.State.SENT, next_attempt_at=None)
    assert notices_drain() is None  # nothing waits

    row, problem = notify_send(tickets=10)

    assert problem is None
    assert (row["scenario"], row["notices"], row["tickets"]) == ("notify_send", 3, 10)
    assert row["per_s"] > 0 and row["seconds"] > 0
    assert len(mail.outbox) == 3 and all("AS-" in message.subject for message in mail.outbox)
    assert set(Notice.objects.values_list("state", flat=True)) == {"sent"}


def test_the_sink_takes_several_messages_on_one_connection_and_answers_each():
    sink = MailSink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            assert client.ehlo()[0] == 250
            for number in range(3):
                # ".x" goes out dot-stuffed (".."), not as the end of the message.
                client.sendmail("a@example.com", ["b@example.com"], f"Subject: {number}\r\n\r\n.x")
            assert client.noop()[0] == 250
            assert client.docmd("VRFY", "b@example.com")[0] == 502
    finally:
        sink.stop()

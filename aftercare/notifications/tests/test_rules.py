"""The rules a notice is queued by: quiet hours on phones, a customer's consent, a member's
choices; and an organization's own templates, rendered in a sandbox."""

import datetime

import pytest
from django.utils import timezone

from aftercare.lib.errors import ApplicationError
from aftercare.notifications.consent import customer_preference_set
from aftercare.notifications.models import (
    CustomerPreference,
    Notice,
    NoticeTemplate,
    NotificationSettings,
    Topic,
)
from aftercare.notifications.render import notice_render
from aftercare.notifications.sandbox import sandbox_compile
from aftercare.notifications.services import after_quiet_hours, notice_queue

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))


def _queue(org, customer, **changes):
    values = {
        "organization": org,
        "event": Notice.Event.REPLIED,
        "recipient": "maryam@example.com",
        "language": "en",
        "key": "k1",
        "context": {"reference": "AS-000042", "subject": "Fridge", "name": "Maryam"},
        "customer": customer,
    }
    values.update(changes)
    return notice_queue(**values)


@pytest.mark.parametrize(
    ("start", "end", "local", "wakes"),
    [
        ((22, 0), (8, 0), (23, 30), (8, 0)),  # across midnight, before it
        ((22, 0), (8, 0), (3, 0), (8, 0)),  # across midnight, after it
        ((22, 0), (8, 0), (12, 0), None),  # daytime: at once
        ((13, 0), (15, 0), (14, 0), (15, 0)),  # a siesta
    ],
)
def test_quiet_hours_hold_phone_notices_until_they_end(org, start, end, local, wakes):
    org.time_zone = "Asia/Tehran"
    NotificationSettings.objects.create(
        organization=org, quiet_start=datetime.time(*start), quiet_end=datetime.time(*end)
    )
    now = datetime.datetime(2026, 12, 7, *local, tzinfo=TEHRAN)
    due = after_quiet_hours(org, now.astimezone(datetime.UTC)).astimezone(TEHRAN)
    if wakes is None:
        assert due == now
    else:
        assert due.time() == datetime.time(*wakes) and now < due < now + datetime.timedelta(1)


def test_an_sms_waits_out_the_quiet_hours_an_email_and_an_urgent_sms_do_not(
    org, customer, monkeypatch
):
    org.time_zone = "Asia/Tehran"
    org.save()
    NotificationSettings.objects.create(
        organization=org, quiet_start=datetime.time(22), quiet_end=datetime.time(8)
    )
    night = datetime.datetime(2026, 12, 7, 23, 0, tzinfo=TEHRAN).astimezone(datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: night)
    sms = _queue(org, customer, channel="sms", recipient="+989121234567", key="s")
    email = _queue(org, customer, key="e")
    urgent = _queue(org, customer, channel="sms", recipient="+989121234567", key="u", urgent=True)
    assert sms.next_attempt_at.astimezone(TEHRAN).time() == datetime.time(8)
    assert email.next_attempt_at == night and urgent.next_attempt_at == night


def test_a_customer_who_said_no_to_reminders_gets_none_and_updates_still(org, customer):
    customer_preference_set(
        customer=customer, topic=Topic.REMINDERS, allowed=False, source="portal"
    )
    assert _queue(org, customer, event=Notice.Event.REMINDER, key="r") is None
    assert _queue(org, customer, event=Notice.Event.REPLIED, key="u") is not None
    with pytest.raises(ApplicationError) as refused:
        customer_preference_set(customer=customer, topic=Topic.UPDATES, allowed=False, source="api")
    assert refused.value.field == "allowed"
    assert CustomerPreference.objects.count() == 1


def test_queueing_the_same_change_twice_with_once_gives_one_notice(org, customer):
    assert _queue(org, customer, key="same", once=True) is not None
    assert _queue(org, customer, key="same", once=True) is None
    assert Notice.objects.count() == 1


def test_an_organizations_own_template_is_used_for_its_event_and_language(org, customer):
    NoticeTemplate.objects.create(
        organization=org,
        event=Notice.Event.REPLIED,
        language="en",
        subject="{{ reference }}: a word from {{ organization }}",
        body="Dear {{ name|upper }},\n\n{% if agent %}{{ agent }} wrote back.{% endif %}",
    )
    notice = _queue(org, customer, context={"reference": "AS-1", "name": "Maryam <b>", "agent": ""})
    notice.context["organization"] = "Demo"
    rendered = notice_render(notice)
    assert rendered.subject == "AS-1: a word from Demo"
    assert "Dear MARYAM <B>," in rendered.text
    assert "MARYAM &lt;B&gt;" in rendered.html and "<b>" not in rendered.html.split("<body")[1]
    assert "wrote back" not in rendered.text

    notice_fa = _queue(org, customer, language="fa", key="k2")
    assert "a word from" not in notice_render(notice_fa).subject  # no template in Persian


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}",
        '{% include "notifications/email/base.html" %}',
        "{% for x in name %}{{ x }}{% endfor %}",
        "{{ name.__class__ }}",
        "{{ settings.SECRET_KEY }}",
        "{{ name|safe }}",
        "{% url 'tickets:queue' %}",
        "{% debug %}",
        "{% if %}",
    ],
)
def test_the_sandbox_refuses_what_could_reach_beyond_the_offered_values(source):
    with pytest.raises(ApplicationError) as refused:
        sandbox_compile(source, field="body")
    assert refused.value.field == "body"


def test_sending_uses_the_organizations_own_template_looked_up_once_per_batch(
    org, customer, django_assert_max_num_queries
):
    from django.core import mail

    from aftercare.notifications.services import notices_send_due

    NoticeTemplate.objects.create(
        organization=org,
        event=Notice.Event.REPLIED,
        language="en",
        subject="Our answer on {{ reference }}",
        body="Hi {{ name }}.",
    )
    for number in range(5):
        _queue(org, customer, key=f"batch-{number}")
    # claim, read back, templates once, files hook, attempts and updates: not one per notice
    with django_assert_max_num_queries(5 + 2 * 5):
        assert notices_send_due() == 5
    assert {message.subject for message in mail.outbox} == {"Our answer on AS-000042"}

"""The console's notice pages: admins set the rules and their own templates (previewed before
saving, refused when they would not render); managers read the outbound log; every member
chooses their own notices. Another organization's notices answer 404."""

import re

import pytest
from django.urls import reverse

from aftercare.lib.testing import text_of
from aftercare.notifications.models import (
    Notice,
    NoticeTemplate,
    NotificationSettings,
    StaffPreference,
)
from aftercare.notifications.services import notice_queue


def _notice(org, customer, key="k"):
    return notice_queue(
        organization=org,
        event=Notice.Event.REPLIED,
        recipient="maryam@example.com",
        language="en",
        key=key,
        context={"reference": "AS-000007", "subject": "Fridge", "name": "Maryam"},
        customer=customer,
        ticket_id=7,
    )


def test_an_admin_sets_quiet_hours_and_the_reminder_in_persian_digits(org, admin_client):
    response = admin_client.post(
        reverse("notifications:rules"),
        {"quiet_start": "۲۲:۰۰", "quiet_end": "07:30", "reminder_hours": "12"},
    )
    assert response.status_code == 302
    rules = NotificationSettings.objects.get(organization=org)
    assert (str(rules.quiet_start), str(rules.quiet_end), rules.reminder_hours) == (
        "22:00:00",
        "07:30:00",
        12,
    )


def test_half_a_quiet_window_is_refused_naming_the_field(org, admin_client):
    response = admin_client.post(
        reverse("notifications:rules"),
        {"quiet_start": "22:00", "quiet_end": "", "reminder_hours": "1"},
    )
    assert response.status_code == 422
    assert 'data-testid="error-quiet_end"' in text_of(response)
    assert not NotificationSettings.objects.exists()


def test_an_admin_previews_then_saves_and_restores_an_own_template(org, admin_client):
    url = reverse("notifications:template_edit", args=["received", "en"])
    page = text_of(admin_client.get(url))
    assert "{{ reference }}" in page  # the standard words, as a starting point

    body = "Thanks {{ name }}! Your number is {{ reference }}."
    preview = admin_client.post(
        url, {"action": "preview", "subject": "Got it: {{ reference }}", "body": body}
    )
    assert preview.status_code == 200
    shown = text_of(preview)
    assert "Got it: AS-000123" in shown and "Thanks Maryam Ahmadi!" in shown
    assert not NoticeTemplate.objects.exists()

    saved = admin_client.post(
        url, {"action": "save", "subject": "", "body": body, "is_active": "on"}
    )
    assert saved.status_code == 302
    template = NoticeTemplate.objects.get(organization=org, event="received", language="en")
    assert template.body == body
    listing = text_of(admin_client.get(reverse("notifications:templates")))
    assert 'data-testid="template-received-en">Own words' in listing

    admin_client.post(reverse("notifications:template_restore", args=["received", "en"]))
    assert not NoticeTemplate.objects.exists()


@pytest.mark.parametrize(
    ("body", "subject", "field"),
    [("{% load static %}", "", "body"), ("Fine", "{{ password }}", "subject"), ("", "", "body")],
)
def test_a_template_that_would_not_render_is_refused_naming_the_field(
    org, admin_client, body, subject, field
):
    url = reverse("notifications:template_edit", args=["replied", "fa"])
    for action in ("preview", "save"):
        response = admin_client.post(url, {"action": action, "subject": subject, "body": body})
        assert response.status_code == 422
        assert f'data-testid="error-{field}"' in text_of(response)
    assert not NoticeTemplate.objects.exists()


def test_an_unknown_event_or_language_is_404(admin_client):
    assert (
        admin_client.get(reverse("notifications:template_edit", args=["nope", "en"])).status_code
        == 404
    )
    assert (
        admin_client.get(reverse("notifications:template_edit", args=["replied", "xx"])).status_code
        == 404
    )


def test_managers_read_the_log_and_its_attempts_others_are_refused(
    org, customer, supervisor_client, agent_client, viewer_client
):
    notice = _notice(org, customer)
    listing = supervisor_client.get(reverse("notifications:log"))
    assert f'data-notice-id="{notice.pk}"' in text_of(listing)
    detail = supervisor_client.get(reverse("notifications:log_detail", args=[notice.pk]))
    assert "maryam@example.com" in text_of(detail)
    for client in (agent_client, viewer_client):
        assert client.get(reverse("notifications:log")).status_code == 403
        assert client.get(reverse("notifications:rules")).status_code == 403
    assert supervisor_client.get(reverse("notifications:rules")).status_code == 403


def test_another_organizations_notice_answers_404_and_is_not_listed(
    other_org, other_customer, admin_client
):
    foreign = _notice(other_org, other_customer)
    assert (
        admin_client.get(reverse("notifications:log_detail", args=[foreign.pk])).status_code == 404
    )
    assert f'data-notice-id="{foreign.pk}"' not in text_of(
        admin_client.get(reverse("notifications:log"))
    )


def test_a_member_turns_off_a_notice_for_themselves_only(
    org, bob_agent, agent_client, sam_supervisor
):
    on = ("assigned", "customer_replied", "mentioned", "sla_warning", "stock_low")
    data = {event: "on" for event in on}
    response = agent_client.post(reverse("notifications:mine"), data)  # sla_breached, escalated off
    assert response.status_code == 302
    off = set(StaffPreference.objects.filter(email=False).values_list("user_id", "event"))
    assert off == {(bob_agent.pk, "sla_breached"), (bob_agent.pk, "escalated")}
    page = text_of(agent_client.get(reverse("notifications:mine")))
    checked = set(re.findall(r'<input type="checkbox" name="(\w+)"[^>]*\bchecked', page))
    assert checked == set(on)

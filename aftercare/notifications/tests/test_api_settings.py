"""API v1 of notifications, what shapes notices: the organization's templates (admins change
them, managers read and preview them) and rules, a member's own choices, and a customer's
consent; another organization's ids answer 404 and change nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.notifications import hooks
from aftercare.notifications.models import (
    CustomerPreference,
    Notice,
    NoticeTemplate,
    NotificationSettings,
    StaffPreference,
    Topic,
)
from aftercare.notifications.render import notice_render
from aftercare.notifications.services import (
    customer_allows,
    staff_wants,
)
from aftercare.notifications.tests.api_support import (
    delete,
    put,
    queue_notice,
)

# --- Templates ---

TEMPLATE = {
    "subject": "{{ reference }}: we answered",
    "body": "Dear {{ name }}, {{ agent }} answered.",
    "is_active": True,
}


def test_an_admin_saves_lists_and_removes_a_template(org, customer, admin_api, alice_admin):
    saved = put(admin_api, "/notice-templates/replied/en", TEMPLATE)
    assert saved.status == 200, saved.body
    assert {key: saved.body[key] for key in ("event", "language", "channel", "subject")} == {
        "event": "replied",
        "language": "en",
        "channel": "email",
        "subject": "{{ reference }}: we answered",
    }
    assert (saved.body["body"], saved.body["is_active"]) == (TEMPLATE["body"], True)
    assert saved.body["updated_by"] == {
        "id": alice_admin.pk,
        "name": "Alice Admin",
        "email": "alice@demo.example",
    }
    notice = queue_notice(
        org, key="c1", customer=customer, context={"reference": "AS-7", "name": "M"}
    )
    assert notice_render(notice).subject == "AS-7: we answered"

    again = put(admin_api, "/notice-templates/replied/en", {**TEMPLATE, "subject": ""})
    assert again.status == 200
    assert NoticeTemplate.objects.filter(organization=org).count() == 1
    put(admin_api, "/notice-templates/received/fa", {"body": "درخواست {{ reference }}"})
    listed = admin_api.get("/notice-templates/")
    assert listed.status == 200
    assert [(row["event"], row["language"], row["subject"]) for row in listed.body] == [
        ("received", "fa", ""),
        ("replied", "en", ""),
    ]

    removed = delete(admin_api, "/notice-templates/replied/en")
    assert (removed.status, removed.body) == (204, None)
    assert notice_render(notice).subject == "[AS-7] Re:"
    assert list(NoticeTemplate.objects.values_list("event", flat=True)) == ["received"]
    assert delete(admin_api, "/notice-templates/replied/en").status == 404


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/notice-templates/replied/en", {}, "body"),
        ("/notice-templates/replied/en", {"body": ""}, "body"),
        ("/notice-templates/replied/en", {"body": "   "}, "body"),
        ("/notice-templates/replied/en", {"body": "{% load static %}"}, "body"),
        ("/notice-templates/replied/en", {"body": "{% for x in y %}{% endfor %}"}, "body"),
        ("/notice-templates/replied/en", {"body": "{{ request.user }}"}, "body"),
        ("/notice-templates/replied/en", {"body": "x" * 10_001}, "body"),
        ("/notice-templates/replied/en", {"body": "ok", "subject": "{{ secret }}"}, "subject"),
        ("/notice-templates/replied/en", {"body": "ok", "subject": "a\nb"}, "subject"),
        ("/notice-templates/replied/en", {"body": "ok", "subject": "x" * 301}, "subject"),
        ("/notice-templates/replied/en", {"body": "ok", "is_active": "maybe"}, "is_active"),
        ("/notice-templates/birthday/en", {"body": "ok"}, "event"),
        ("/notice-templates/replied/de", {"body": "ok"}, "language"),
    ],
)
def test_a_template_that_would_not_render_is_refused_naming_the_field(
    org, admin_api, path, body, field
):
    answer = put(admin_api, path, body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not NoticeTemplate.objects.exists()


def test_supervisors_read_and_preview_templates_only_admins_change_them(
    org, admin_api, manager_api, agent_api, viewer_api
):
    put(admin_api, "/notice-templates/replied/en", TEMPLATE)
    before = list(NoticeTemplate.objects.values_list("subject", "body", "updated_at"))
    assert manager_api.get("/notice-templates/").status == 200
    preview = {"body": "Hi"}
    assert manager_api.post("/notice-templates/replied/en/preview", preview).status == 200
    for api in (manager_api, agent_api, viewer_api):
        assert put(api, "/notice-templates/replied/en", {"body": "Changed"}).status == 403
        assert delete(api, "/notice-templates/replied/en").status == 403
    for api in (agent_api, viewer_api):
        assert api.get("/notice-templates/").status == 403
        assert api.post("/notice-templates/replied/en/preview", preview).status == 403
    assert list(NoticeTemplate.objects.values_list("subject", "body", "updated_at")) == before


def test_another_organizations_templates_are_neither_shown_nor_touched(
    org, other_org, admin_api, outsider_api
):
    put(admin_api, "/notice-templates/replied/en", TEMPLATE)
    before = list(NoticeTemplate.objects.values_list("organization", "subject", "body"))
    assert outsider_api.get("/notice-templates/").body == []
    assert delete(outsider_api, "/notice-templates/replied/en").status == 404
    assert list(NoticeTemplate.objects.values_list("organization", "subject", "body")) == before
    # Their own template is theirs alone.
    assert put(outsider_api, "/notice-templates/replied/en", {"body": "Theirs"}).status == 200
    assert NoticeTemplate.objects.get(organization=org).body == TEMPLATE["body"]
    assert NoticeTemplate.objects.get(organization=other_org).body == "Theirs"


def test_the_template_list_has_a_flat_query_count(org, admin_api):
    put(admin_api, "/notice-templates/replied/en", TEMPLATE)
    with CaptureQueriesContext(connection) as one:
        assert len(admin_api.get("/notice-templates/").body) == 1
    for event in ("received", "waiting", "resolved", "closed"):
        for language in ("en", "fa", "tr", "kk"):
            put(admin_api, f"/notice-templates/{event}/{language}", TEMPLATE)
    with CaptureQueriesContext(connection) as many:
        assert len(admin_api.get("/notice-templates/").body) == 17
    assert len(many) == len(one) == 3


def test_a_draft_is_previewed_with_sample_values_and_nothing_is_saved(org, manager_api):
    answer = manager_api.post(
        "/notice-templates/replied/en/preview",
        {"subject": "{{ reference }} for {{ name }}", "body": "{{ agent }} wrote back."},
    )
    assert answer.status == 200, answer.body
    assert answer.body["subject"] == "AS-000123 for Maryam Ahmadi"
    assert answer.body["text"].startswith("Hello Maryam Ahmadi,\n\nBob Agent wrote back.")
    assert "Bob Agent wrote back." in answer.body["html"]
    assert 'lang="en"' in answer.body["html"]
    shipped_subject = manager_api.post("/notice-templates/resolved/fa/preview", {"body": "x"})
    assert shipped_subject.body["subject"] == "[AS-000123] حل شد: Washing machine does not drain"
    assert not NoticeTemplate.objects.exists() and not Notice.objects.exists()


def test_a_draft_is_previewed_with_a_requests_real_values(org, other_org, manager_api, monkeypatch):
    """The values come from the app that owns requests (through the hook); here a stand-in for
    it, since notifications may not reach requests."""
    asked = []

    def context(*, organization, event, number):
        asked.append((organization.pk, event, number))
        if organization != org or number != 42:
            return None
        return {"reference": "AS-000042", "subject": "Noisy fridge", "name": "Reza"}

    monkeypatch.setattr(hooks.notice_preview_context, "_receivers", [context])
    draft = {"subject": "{{ reference }} / {{ subject }}", "body": "Hi {{ name }}"}
    answer = manager_api.post(
        "/notice-templates/waiting/en/preview", {**draft, "ticket_number": 42}
    )
    assert answer.status == 200, answer.body
    assert answer.body["subject"] == "AS-000042 / Noisy fridge"
    assert "Hi Reza" in answer.body["text"]
    assert asked == [(org.pk, "waiting", 42)]

    missing = manager_api.post(
        "/notice-templates/waiting/en/preview", {**draft, "ticket_number": 9}
    )
    assert (missing.status, missing.field) == (422, "ticket_number")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"body": "{% include 'x.html' %}"}, "body"),
        ({"body": "ok", "subject": "{{ x.y }}"}, "subject"),
        ({"body": "ok", "ticket_number": 0}, "ticket_number"),
        ({"body": "ok", "ticket_number": 2**63}, "ticket_number"),
        ({"body": "ok", "ticket_number": 123456}, "ticket_number"),
    ],
)
def test_a_bad_preview_names_the_field(org, manager_api, body, field):
    answer = manager_api.post("/notice-templates/replied/en/preview", body)
    assert (answer.status, answer.field) == (422, field), answer.body


# --- The organization's rules ---


def test_admins_set_the_rules_and_managers_read_them(org, admin_api, manager_api):
    default = manager_api.get("/notification-settings")
    assert (default.status, default.body) == (
        200,
        {"quiet_start": None, "quiet_end": None, "reminder_hours": 24},
    )
    rules = {"quiet_start": "22:00", "quiet_end": "08:30", "reminder_hours": 48}
    answer = put(admin_api, "/notification-settings", rules)
    assert (answer.status, answer.body) == (200, rules)
    assert manager_api.get("/notification-settings").body == rules
    saved = NotificationSettings.objects.get(organization=org)
    assert (f"{saved.quiet_start:%H:%M}", f"{saved.quiet_end:%H:%M}") == ("22:00", "08:30")
    cleared = {"quiet_start": None, "quiet_end": None, "reminder_hours": 0}
    assert put(admin_api, "/notification-settings", cleared).body == cleared


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quiet_start": "25:00", "quiet_end": "08:00", "reminder_hours": 24}, "quiet_start"),
        ({"quiet_start": "22:00", "quiet_end": "8:00", "reminder_hours": 24}, "quiet_end"),
        ({"quiet_start": "22:00", "quiet_end": None, "reminder_hours": 24}, "quiet_end"),
        ({"quiet_start": None, "quiet_end": "08:00", "reminder_hours": 24}, "quiet_start"),
        ({"quiet_start": "22:00", "quiet_end": "22:00", "reminder_hours": 24}, "quiet_end"),
        ({"quiet_start": None, "quiet_end": None, "reminder_hours": 721}, "reminder_hours"),
        ({"quiet_start": None, "quiet_end": None, "reminder_hours": -1}, "reminder_hours"),
        ({"quiet_start": None, "quiet_end": None, "reminder_hours": "x"}, "reminder_hours"),
        ({"quiet_start": None, "quiet_end": None}, "reminder_hours"),
        ({"quiet_end": None, "reminder_hours": 1}, "quiet_start"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(org, admin_api, body, field):
    put(
        admin_api,
        "/notification-settings",
        {"quiet_start": None, "quiet_end": None, "reminder_hours": 5},
    )
    answer = put(admin_api, "/notification-settings", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert admin_api.get("/notification-settings").body["reminder_hours"] == 5


def test_only_admins_change_the_rules_and_only_managers_read_them(
    org, manager_api, agent_api, viewer_api
):
    rules = {"quiet_start": "22:00", "quiet_end": "08:00", "reminder_hours": 1}
    for api in (manager_api, agent_api, viewer_api):
        assert put(api, "/notification-settings", rules).status == 403
    for api in (agent_api, viewer_api):
        assert api.get("/notification-settings").status == 403
    assert not NotificationSettings.objects.exists()


def test_each_organization_has_its_own_rules(org, other_org, admin_api, outsider_api):
    put(
        admin_api,
        "/notification-settings",
        {"quiet_start": None, "quiet_end": None, "reminder_hours": 5},
    )
    theirs = {"quiet_start": "23:00", "quiet_end": "07:00", "reminder_hours": 0}
    assert put(outsider_api, "/notification-settings", theirs).status == 200
    assert NotificationSettings.objects.get(organization=org).reminder_hours == 5
    assert admin_api.get("/notification-settings").body["quiet_start"] is None


# --- A member's own preferences ---

ALL_ON = {
    "assigned": True,
    "customer_replied": True,
    "mentioned": True,
    "sla_warning": True,
    "sla_breached": True,
    "escalated": True,
    "stock_low": True,
}


def test_a_member_turns_their_own_notices_off_and_on(org, bob_agent, sam_supervisor, agent_api):
    assert agent_api.get("/me/notification-preferences").body == ALL_ON
    answer = put(
        agent_api, "/me/notification-preferences", {"mentioned": False, "sla_warning": False}
    )
    assert answer.status == 200, answer.body
    assert answer.body == {**ALL_ON, "mentioned": False, "sla_warning": False}
    assert not staff_wants(organization=org, user=bob_agent, event=Notice.Event.MENTIONED)
    assert staff_wants(organization=org, user=sam_supervisor, event=Notice.Event.MENTIONED)
    again = put(agent_api, "/me/notification-preferences", {"mentioned": True})
    assert again.body == {**ALL_ON, "sla_warning": False}
    assert put(agent_api, "/me/notification-preferences", {}).body == again.body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"received": False}, "received"),
        ({"birthday": False}, "birthday"),
        ({"mentioned": None}, "mentioned"),
        ({"mentioned": "sometimes"}, "mentioned"),
        ({"assigned": False, "escalated": []}, "escalated"),
        # A choice is true or false: not 0, 1 or a word that reads as one (schemathesis).
        ({"stock_low": 0}, "stock_low"),
        ({"assigned": 1}, "assigned"),
        ({"escalated": "false"}, "escalated"),
        ({"mentioned": "no"}, "mentioned"),
    ],
)
def test_bad_choices_are_refused_naming_the_field_and_change_nothing(org, agent_api, body, field):
    answer = put(agent_api, "/me/notification-preferences", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not StaffPreference.objects.exists()


def test_every_member_has_their_own_choices_in_each_organization(
    org, other_org, bob_agent, charlie_other_org, viewer_api, outsider_api, vic_viewer
):
    assert put(viewer_api, "/me/notification-preferences", {"assigned": False}).status == 200
    assert put(outsider_api, "/me/notification-preferences", {"escalated": False}).status == 200
    assert set(StaffPreference.objects.values_list("organization", "user", "event")) == {
        (org.pk, vic_viewer.pk, "assigned"),
        (other_org.pk, charlie_other_org.pk, "escalated"),
    }


# --- A customer's consent ---


def _consent(reminders: bool = True, source: str = "", changed_at: str | None = None) -> list:
    return [
        {
            "topic": "updates",
            "allowed": True,
            "can_change": False,
            "source": "",
            "changed_at": None,
        },
        {
            "topic": "reminders",
            "allowed": reminders,
            "can_change": True,
            "source": source,
            "changed_at": changed_at,
        },
    ]


def test_staff_read_and_record_a_customers_consent(org, customer, agent_api, viewer_api):
    path = f"/customer-notice-preferences/{customer.pk}"
    assert viewer_api.get(path).body == _consent()
    answer = put(agent_api, path, {"topic": "reminders", "allowed": False})
    assert answer.status == 200, answer.body
    assert answer.body[1]["changed_at"] is not None
    assert answer.body == _consent(False, "api", changed_at=answer.body[1]["changed_at"])
    assert not customer_allows(customer=customer, event=Notice.Event.REMINDER)
    saved = CustomerPreference.objects.get(customer=customer)
    assert (saved.topic, saved.allowed, saved.source) == ("reminders", False, "api")
    back = put(agent_api, path, {"topic": "reminders", "allowed": True})
    assert back.body[1]["allowed"] is True
    assert put(agent_api, path, {"topic": "updates", "allowed": True}).status == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"topic": "updates", "allowed": False}, "allowed"),
        ({"topic": "spam", "allowed": True}, "topic"),
        ({"allowed": False}, "topic"),
        ({"topic": "reminders"}, "allowed"),
        ({"topic": "reminders", "allowed": "no thanks"}, "allowed"),
    ],
)
def test_bad_consent_is_refused_naming_the_field(org, customer, agent_api, body, field):
    answer = put(agent_api, f"/customer-notice-preferences/{customer.pk}", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not CustomerPreference.objects.exists()


def test_viewers_cannot_record_consent(org, customer, viewer_api):
    answer = put(
        viewer_api,
        f"/customer-notice-preferences/{customer.pk}",
        {"topic": "reminders", "allowed": False},
    )
    assert answer.status == 403
    assert not CustomerPreference.objects.exists()


def test_another_organizations_customer_answers_404_and_nothing_changes(
    org, customer, other_customer, agent_api, outsider_api
):
    path = f"/customer-notice-preferences/{customer.pk}"
    assert outsider_api.get(path).status == 404
    answer = put(outsider_api, path, {"topic": "reminders", "allowed": False})
    assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []})
    assert agent_api.get(f"/customer-notice-preferences/{other_customer.pk}").status == 404
    assert agent_api.get("/customer-notice-preferences/999999").status == 404
    assert not CustomerPreference.objects.exists()
    assert customer_allows(customer=customer, event=Notice.Event.REMINDER)


def test_reading_consent_takes_the_same_queries_whatever_was_said(org, customer, agent_api):
    path = f"/customer-notice-preferences/{customer.pk}"
    agent_api.get(path)
    with CaptureQueriesContext(connection) as before:
        agent_api.get(path)
    for topic in Topic.values:
        put(agent_api, path, {"topic": topic, "allowed": True})
    with CaptureQueriesContext(connection) as after:
        agent_api.get(path)
    assert len(after) == len(before)

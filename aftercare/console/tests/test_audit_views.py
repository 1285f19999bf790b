"""The audit log page and its CSV export: admins only, one organization's entries, the filters,
the organization's time zone and calendar, flat query counts; and the console pages that record
events."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from aftercare.accounts.models import ApiToken, AuditEntry, Team
from aftercare.accounts.services import AuditAction, api_token_create
from aftercare.lib.testing import PASSWORD, row_ids, text_of

URL = reverse("console:settings_audit")
EXPORT_URL = reverse("console:settings_audit_export")
UTC = datetime.UTC


def _entry(*, organization=None, actor=None, action=AuditAction.SIGN_IN, at=None, **extra):
    return AuditEntry.objects.create(
        organization=organization,
        actor=actor,
        actor_email=actor.email if actor else extra.pop("actor_email", ""),
        action=action,
        created_at=at or datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        **extra,
    )


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.fixture
def entries(org, other_org, alice_admin, bob_agent, charlie_other_org):
    """A token made in the organization, Bob's sign-in (an account event), and the other
    organization's own and its admin's sign-in."""
    return {
        "token": _entry(
            organization=org,
            actor=alice_admin,
            action=AuditAction.TOKEN_CREATED,
            at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
            target_type="accounts.apitoken",
            target_id="5",
            target_label="ERP (ab12cd34…)",
            ip="203.0.113.9",
            user_agent="Mozilla/5.0 Firefox/140",
            data={"scope": "write"},
        ),
        "sign_in": _entry(
            actor=bob_agent, at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC), ip="10.0.0.12"
        ),
        "foreign": _entry(
            organization=other_org,
            actor=charlie_other_org,
            action=AuditAction.TEAM_CREATED,
            target_label="Far team",
        ),
        "foreign_sign_in": _entry(actor=charlie_other_org, ip="192.0.2.77"),
    }


# Who may read it


def test_admins_read_their_organizations_log_and_only_that(admin_client, entries):
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert row_ids(response, "audit") == [str(entries["sign_in"].pk), str(entries["token"].pk)]
    html = text_of(response)
    assert "<h1" in html and "Audit log" in html
    row = html[html.index(f'data-audit-id="{entries["token"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Alice Admin" in row and "alice@demo.example" in row
    assert "API token created" in row and "API token" in row and "ERP (ab12cd34…)" in row
    assert "203.0.113.9" in row and "Firefox/140" in row
    assert "Scope: Read and write" in row
    assert "Far team" not in html and "192.0.2.77" not in html and "charlie" not in html


def test_the_other_organizations_admin_reads_none_of_ours(outsider_client, entries):
    response = outsider_client.get(URL)
    assert response.status_code == 200
    assert row_ids(response, "audit") == [
        str(entries["foreign_sign_in"].pk),
        str(entries["foreign"].pk),
    ]
    assert "alice@demo.example" not in text_of(response)
    rows = _csv(outsider_client.get(EXPORT_URL))
    # The export is recorded first, and so is its own newest row.
    exported = AuditEntry.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert [row["id"] for row in rows] == [
        str(exported.pk),
        str(entries["foreign_sign_in"].pk),
        str(entries["foreign"].pk),
    ]


@pytest.mark.parametrize("member", ["sam_supervisor", "bob_agent", "tina_technician", "vic_viewer"])
def test_everyone_but_admins_is_refused(request, client, member, entries):
    client.force_login(request.getfixturevalue(member))
    for url in (URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only admins read the organization&#x27;s audit log." in text_of(response)
    assert AuditEntry.objects.filter(action=AuditAction.AUDIT_EXPORTED).count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, org):
    for url in (URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_settings_menu_offers_the_log_to_admins_only(admin_client, supervisor_client):
    assert 'data-testid="settings-nav-audit"' in text_of(
        admin_client.get(reverse("console:settings"))
    )
    menu = text_of(supervisor_client.get(reverse("console:settings")))
    assert 'data-testid="settings-nav-audit"' not in menu


# Filters and pages


def test_filters_narrow_the_rows(admin_client, alice_admin, bob_agent, entries):
    def shown(**query) -> list[str]:
        response = admin_client.get(URL, query)
        assert response.status_code == 200
        return row_ids(response, "audit")

    token, sign_in = str(entries["token"].pk), str(entries["sign_in"].pk)
    assert shown(action="token_created") == [token]
    assert shown(actor=str(bob_agent.pk)) == [sign_in]
    assert shown(since="2026-03-02") == [sign_in]
    assert shown(until="2026-03-01") == [token]
    assert shown(ip="10.0.0.12") == [sign_in]
    assert shown(ip="10.0.0.1") == []
    assert shown(ip="203.0.") == [token]
    assert shown(target="erp") == [token]
    assert shown(action="sign_in", actor=str(alice_admin.pk)) == []
    empty = text_of(admin_client.get(URL, {"action": "sign_out"}))
    assert 'data-testid="audit-empty"' in empty and "No events match these filters." in empty


def test_bad_filters_name_the_field(admin_client, charlie_other_org, entries):
    response = admin_client.get(URL, {"since": "2026-03-05", "until": "2026-03-01"})
    assert response.status_code == 422
    assert 'data-testid="error-until"' in text_of(response)
    assert row_ids(response, "audit") == []
    # Someone who is not on the staff is no choice of actor.
    response = admin_client.get(URL, {"actor": str(charlie_other_org.pk)})
    assert response.status_code == 422
    assert 'data-testid="error-actor"' in text_of(response)
    response = admin_client.get(URL, {"action": "coffee_made"})
    assert response.status_code == 422
    assert admin_client.get(URL, {"cursor": "nonsense"}).status_code == 422
    assert admin_client.get(EXPORT_URL, {"since": "yesterday"}).status_code == 422
    assert not AuditEntry.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()


def test_pages_go_back_in_time_with_the_filters_kept(org, admin_client, alice_admin):
    made = [
        _entry(
            organization=org,
            actor=alice_admin,
            at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + datetime.timedelta(minutes=i),
        )
        for i in range(55)
    ]
    _entry(organization=org, actor=alice_admin, action=AuditAction.SIGN_OUT)
    first = admin_client.get(URL, {"action": "sign_in"})
    html = text_of(first)
    assert row_ids(first, "audit") == [str(entry.pk) for entry in reversed(made[5:])]
    next_url = html[html.index('href="?', html.index('data-testid="next-page"') - 200) :]
    next_url = next_url[len('href="') : next_url.index('"', len('href="'))].replace("&amp;", "&")
    assert "action=sign_in" in next_url
    second = admin_client.get(URL + next_url)
    assert row_ids(second, "audit") == [str(entry.pk) for entry in reversed(made[:5])]
    assert 'data-testid="next-page"' not in text_of(second)


def test_times_are_the_organizations_and_persian_readers_get_jalali(org, admin_client, alice_admin):
    org.time_zone = "Asia/Tehran"
    org.save(update_fields=["time_zone"])
    entry = _entry(
        organization=org, actor=alice_admin, at=datetime.datetime(2026, 3, 1, 20, 31, tzinfo=UTC)
    )
    english = text_of(admin_client.get(URL))
    assert "2026-03-02 00:01" in english
    persian = admin_client.get(URL, HTTP_ACCEPT_LANGUAGE="fa")
    assert "۱۴۰۴/۱۲/۱۱ ۰۰:۰۱" in text_of(persian)
    # A Persian reader types Jalali days, which are the organization's days.
    filtered = admin_client.get(
        URL, {"since": "۱۴۰۴/۱۲/۱۱", "until": "1404/12/11"}, HTTP_ACCEPT_LANGUAGE="fa"
    )
    assert row_ids(filtered, "audit") == [str(entry.pk)]
    before = admin_client.get(URL, {"until": "1404/12/10"}, HTTP_ACCEPT_LANGUAGE="fa")
    assert row_ids(before, "audit") == []


def test_query_count_does_not_grow_with_rows(
    org, admin_client, alice_admin, bob_agent, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for i in range(count):
            _entry(
                organization=org,
                actor=alice_admin if i % 2 else bob_agent,
                action=AuditAction.TEAM_CREATED,
                target_type="accounts.team",
                target_label=f"Team {i}",
                data={"members": ["bob@demo.example"]},
            )
            _entry(actor=bob_agent, ip="10.0.0.1")

    def measure() -> tuple[int, int]:
        with django_assert_max_num_queries(9) as page_queries:
            response = admin_client.get(URL)
        assert response.status_code == 200
        with django_assert_max_num_queries(9) as export_queries:
            response = admin_client.get(EXPORT_URL)
            rows = _csv(response)
        assert len(rows) == AuditEntry.objects.filter(organization=org).count() + (
            AuditEntry.objects.filter(organization=None).count()
        )
        return len(page_queries), len(export_queries)

    add(5)
    few = measure()
    add(45)
    assert measure() == few


# The export


def test_the_export_is_the_filtered_log_in_utc_and_is_recorded(
    org, admin_client, alice_admin, bob_agent, entries
):
    org.time_zone = "Asia/Tehran"
    org.save(update_fields=["time_zone"])
    response = admin_client.get(
        EXPORT_URL, {"since": "2026-03-01", "cursor": "ignored"}, HTTP_USER_AGENT="Exporter/1"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-demo-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    rows = _csv(response)
    exported = AuditEntry.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert [row["id"] for row in rows] == [
        str(exported.pk),
        str(entries["sign_in"].pk),
        str(entries["token"].pk),
    ]
    token = rows[2]
    assert token == {
        "id": str(entries["token"].pk),
        "created_at": "2026-03-01T09:00:00Z",
        "organization": "demo",
        "action": "token_created",
        "action_label": "API token created",
        "actor_id": str(alice_admin.pk),
        "actor_email": "alice@demo.example",
        "actor_name": "Alice Admin",
        "target_type": "accounts.apitoken",
        "target_id": "5",
        "target_label": "ERP (ab12cd34…)",
        "ip": "203.0.113.9",
        "user_agent": "Mozilla/5.0 Firefox/140",
        "data": '{"scope": "write"}',
    }
    assert (rows[1]["organization"], rows[1]["actor_email"]) == ("", "bob@demo.example")
    assert (exported.organization_id, exported.actor_id, exported.user_agent) == (
        org.pk,
        alice_admin.pk,
        "Exporter/1",
    )
    assert exported.data == {"filters": {"since": "2026-03-01"}}
    only_bob = _csv(admin_client.get(EXPORT_URL, {"actor": str(bob_agent.pk), "ip": "10.0."}))
    assert [row["id"] for row in only_bob] == [str(entries["sign_in"].pk)]


def test_the_export_keeps_spreadsheet_formulas_as_text(org, admin_client, alice_admin):
    _entry(
        organization=org,
        actor=alice_admin,
        action=AuditAction.TEAM_CREATED,
        target_label='=HYPERLINK("http://evil.example","x")',
        user_agent="+cmd|' /C calc'!A0",
        data={"name": "-2+3"},
    )
    _entry(actor_email="@SUM(1)", actor=None, organization=org, target_label="-10")
    rows = _csv(admin_client.get(EXPORT_URL, {"action": "team_created"}))
    assert rows[0]["target_label"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[0]["user_agent"] == "'+cmd|' /C calc'!A0"
    signed = _csv(admin_client.get(EXPORT_URL, {"action": "sign_in"}))
    assert (signed[0]["actor_email"], signed[0]["target_label"]) == ("'@SUM(1)", "'-10")


# Console pages that record what they do


def test_console_pages_record_tokens_teams_and_passwords(org, client, alice_admin, bob_agent):
    client.force_login(alice_admin)
    origin = {"REMOTE_ADDR": "198.51.100.23", "HTTP_USER_AGENT": "Firefox/140"}
    client.post(
        reverse("console:settings_token_create"),
        {"name": "ERP", "scope": "read", "lifetime": "30"},
        **origin,
    )
    token = ApiToken.objects.get(user=alice_admin)
    client.post(reverse("console:settings_token_revoke", args=[token.pk]), **origin)
    client.post(
        reverse("console:settings_team_create"),
        {"name": "Repairs", "members": [str(bob_agent.pk)], "assignment": "manual"},
        **origin,
    )
    team = Team.objects.get(organization=org)
    client.post(
        reverse("console:settings_team_edit", args=[team.pk]),
        {
            "name": "Workshop",
            "members": [str(bob_agent.pk)],
            "is_active": "on",
            "assignment": "manual",
        },
        **origin,
    )
    client.post(
        reverse("console:settings_account_password"),
        {
            "current_password": PASSWORD,
            "password": "a new long passphrase 42",
            "password_confirmation": "a new long passphrase 42",
        },
        **origin,
    )
    recorded = list(
        AuditEntry.objects.order_by("id").values_list(
            "action", "organization_id", "actor_id", "ip", "user_agent"
        )
    )
    assert recorded[:4] == [
        ("token_created", org.pk, alice_admin.pk, "198.51.100.23", "Firefox/140"),
        ("token_revoked", org.pk, alice_admin.pk, "198.51.100.23", "Firefox/140"),
        ("team_created", org.pk, alice_admin.pk, "198.51.100.23", "Firefox/140"),
        ("team_changed", org.pk, alice_admin.pk, "198.51.100.23", "Firefox/140"),
    ]
    assert recorded[4:] == [
        ("password_changed", None, alice_admin.pk, "198.51.100.23", "Firefox/140")
    ]
    # The admin reads it all back, the password change among the account events of staff.
    page = text_of(client.get(URL))
    assert "Password changed" in page and "Name: Repairs → Workshop" in page


def test_a_token_revoked_from_another_organization_is_not_found_and_not_recorded(
    org, other_org, client, alice_admin, charlie_other_org
):
    token, _key = api_token_create(user=charlie_other_org, organization=other_org, name="x")
    before = AuditEntry.objects.count()
    client.force_login(alice_admin)
    response = client.post(reverse("console:settings_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert AuditEntry.objects.count() == before

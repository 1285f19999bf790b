"""The audit trail: how an event is recorded, that the database refuses to change it, which
entries an organization's admins read, the filters and the pages, and the events that tokens
and teams record."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from aftercare.accounts.models import ApiToken, AuditEntry, Membership
from aftercare.accounts.selectors import AuditFilters, audit_entry_iter, audit_entry_page
from aftercare.accounts.services import (
    AuditAction,
    api_token_create,
    api_token_revoke,
    audit_record,
    membership_create,
    membership_update,
    team_create,
    team_update,
    user_create,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD

UTC = datetime.UTC


def _at(day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def _entry(*, organization=None, actor=None, action=AuditAction.SIGN_IN, at=None, **extra):
    """An entry as it stood at `at` (the service always writes now)."""
    return AuditEntry.objects.create(
        organization=organization,
        actor=actor,
        actor_email=actor.email if actor else extra.pop("actor_email", ""),
        action=action,
        created_at=at or timezone.now(),
        **extra,
    )


def _ids(entries) -> list[int]:
    return [entry.pk for entry in entries]


def _page_ids(organization, **filters) -> list[int]:
    return _ids(audit_entry_page(organization=organization, filters=AuditFilters(**filters)).items)


# Recording


def test_record_fills_the_target_and_the_actor_from_objects(org, alice_admin):
    token = ApiToken.objects.create(
        user=alice_admin, organization=org, name="ERP", prefix="abcd1234", key_hash="x" * 64
    )
    entry = audit_record(
        action=AuditAction.TOKEN_REVOKED,
        organization=org,
        actor=alice_admin,
        target=token,
        ip="203.0.113.7",
        user_agent="curl/8.5",
        data={"why": "leaked"},
    )
    entry.refresh_from_db()
    assert (entry.organization_id, entry.actor_id, entry.actor_email) == (
        org.pk,
        alice_admin.pk,
        "alice@demo.example",
    )
    assert (entry.action, entry.target_type, entry.target_id, entry.target_label) == (
        "token_revoked",
        "accounts.apitoken",
        str(token.pk),
        "ERP (abcd1234…)",
    )
    assert (entry.ip, entry.user_agent, entry.data) == (
        "203.0.113.7",
        "curl/8.5",
        {"why": "leaked"},
    )


def test_record_is_one_insert(org, alice_admin, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        audit_record(action=AuditAction.SIGN_IN, actor=alice_admin, ip="10.0.0.1")
    assert captured.captured_queries[0]["sql"].upper().startswith("INSERT")


def test_record_keeps_what_fits_and_drops_what_is_no_address(db):
    entry = audit_record(
        action=AuditAction.SIGN_IN_FAILED,
        actor_email="nobody@example.com",
        target_type="accounts.user",
        target_id=7,
        target_label="x" * 500,
        ip="unknown",
        user_agent="Mozilla\x00" + "a" * 1000,
    )
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_email == "nobody@example.com"
    assert entry.organization is None and entry.ip is None
    assert entry.target_id == "7" and len(entry.target_label) == 200
    assert entry.user_agent.startswith("Mozillaaaa") and len(entry.user_agent) == 300
    ipv6 = audit_record(action=AuditAction.SIGN_IN, ip="2001:DB8:0:0::1")
    ipv6.refresh_from_db()
    assert ipv6.ip == "2001:db8::1"


def test_record_refuses_an_unknown_action(db):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(action="coffee_made")
    assert not AuditEntry.objects.exists()


def test_record_stands_or_falls_with_the_callers_transaction(org, alice_admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=AuditAction.SIGN_IN, actor=alice_admin)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()


# Append-only, in the database itself


def test_the_database_refuses_to_change_or_delete_an_entry(org, alice_admin):
    entry = audit_record(action=AuditAction.SIGN_IN, actor=alice_admin, ip="10.0.0.1")
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(ip="10.9.9.9")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.action = AuditAction.SIGN_OUT
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_email = %s", ["someone@else.example"])  # noqa: S608
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    stored = AuditEntry.objects.get()
    assert (stored.action, stored.ip, stored.actor_email) == (
        "sign_in",
        "10.0.0.1",
        "alice@demo.example",
    )


# What an organization's admins read


def test_an_organization_reads_its_own_entries_and_its_current_staffs_account_entries(
    org, other_org, alice_admin, bob_agent, charlie_other_org
):
    own = _entry(organization=org, actor=alice_admin, action=AuditAction.TOKEN_CREATED, at=_at(1))
    bob_sign_in = _entry(actor=bob_agent, at=_at(2))
    theirs = _entry(organization=other_org, actor=charlie_other_org, at=_at(3))
    charlie_sign_in = _entry(actor=charlie_other_org, at=_at(4))
    _entry(actor_email="stranger@example.com", action=AuditAction.SIGN_IN_FAILED, at=_at(5))
    assert _page_ids(org) == [bob_sign_in.pk, own.pk]
    assert _page_ids(other_org) == [charlie_sign_in.pk, theirs.pk]


def test_a_member_in_two_organizations_has_their_sign_ins_read_by_both(
    org, other_org, bob_agent, charlie_other_org
):
    membership_create(organization=other_org, user=bob_agent, role=Membership.Role.AGENT)
    sign_in = _entry(actor=bob_agent)
    assert _page_ids(org) == [sign_in.pk]
    assert _page_ids(other_org) == [sign_in.pk]


def test_a_deactivated_members_account_entries_leave_the_log_but_the_organizations_stay(
    org, alice_admin, bob_agent
):
    in_org = _entry(organization=org, actor=bob_agent, action=AuditAction.TEAM_CREATED, at=_at(1))
    _entry(actor=bob_agent, at=_at(2))
    membership_update(
        membership=Membership.objects.get(organization=org, user=bob_agent),
        role=Membership.Role.AGENT,
        is_active=False,
        actor=alice_admin,
    )
    deactivated = AuditEntry.objects.get(action=AuditAction.MEMBER_DEACTIVATED)
    assert (deactivated.organization, deactivated.actor) == (org, alice_admin)
    assert deactivated.target_id == str(bob_agent.pk)
    assert _page_ids(org) == [deactivated.pk, in_org.pk]


def test_filters(org, alice_admin, bob_agent):
    tehran = "Asia/Tehran"
    org.time_zone = tehran
    org.save(update_fields=["time_zone"])
    early = _entry(
        organization=org,
        actor=alice_admin,
        action=AuditAction.TEAM_CREATED,
        at=datetime.datetime(2026, 3, 1, 20, 29, tzinfo=UTC),  # 1 March 23:59 in Tehran
        ip="10.0.0.1",
        target_label="Repairs",
    )
    late = _entry(
        actor=bob_agent,
        at=datetime.datetime(2026, 3, 1, 20, 31, tzinfo=UTC),  # 2 March 00:01 in Tehran
        ip="10.0.0.12",
        target_label="Bob Agent",
    )
    third = _entry(
        organization=org,
        actor=bob_agent,
        action=AuditAction.TOKEN_CREATED,
        at=_at(3),
        ip="2001:db8::5",
        target_label="ERP repairs (ab12…)",
    )
    assert _page_ids(org) == [third.pk, late.pk, early.pk]
    assert _page_ids(org, action="team_created") == [early.pk]
    assert _page_ids(org, actor_id=bob_agent.pk) == [third.pk, late.pk]
    assert _page_ids(org, since=datetime.date(2026, 3, 2)) == [third.pk, late.pk]
    assert _page_ids(org, until=datetime.date(2026, 3, 1)) == [early.pk]
    day = datetime.date(2026, 3, 2)
    assert _page_ids(org, since=day, until=day) == [late.pk]
    assert _page_ids(org, ip="10.0.0.1") == [early.pk]
    assert _page_ids(org, ip="10.0.0.") == [late.pk, early.pk]
    assert _page_ids(org, ip="2001:DB8:0::5") == [third.pk]
    assert _page_ids(org, target="REPAIRS") == [third.pk, early.pk]
    assert _page_ids(org, action="sign_in", actor_id=bob_agent.pk, ip="10.0.0.12") == [late.pk]


def test_filters_refuse_an_end_before_the_start(org):
    with pytest.raises(ApplicationError) as caught:
        audit_entry_page(
            organization=org,
            filters=AuditFilters(since=datetime.date(2026, 3, 2), until=datetime.date(2026, 3, 1)),
        )
    assert caught.value.field == "until"


def test_pages_merge_the_two_sources_newest_first_without_gaps(org, alice_admin, bob_agent):
    expected = []
    for minute in range(11):
        if minute % 3:
            entry = _entry(actor=bob_agent, at=_at(1, 9, minute))
        else:
            entry = _entry(organization=org, actor=alice_admin, at=_at(1, 9, minute))
        expected.insert(0, entry.pk)
    # Two entries at the same instant: the later id comes first.
    same = [_entry(organization=org, actor=alice_admin, at=_at(2)) for _ in range(2)]
    expected = [same[1].pk, same[0].pk, *expected]
    seen, cursor = [], None
    for _ in range(10):
        page = audit_entry_page(organization=org, filters=AuditFilters(), cursor=cursor, limit=3)
        seen += _ids(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected
    assert _ids(audit_entry_iter(organization=org, filters=AuditFilters(), batch=4)) == expected


def test_a_forged_cursor_is_the_callers_error(org):
    with pytest.raises(ApplicationError) as caught:
        audit_entry_page(organization=org, filters=AuditFilters(), cursor="bm90LWEtY3Vyc29y")
    assert caught.value.field == "cursor"


# Events the services record


def test_a_token_made_and_revoked_is_recorded_once(org, bob_agent, alice_admin):
    token, _key = api_token_create(
        user=bob_agent, organization=org, name="ERP", ip="198.51.100.4", user_agent="erp/1.0"
    )
    api_token_revoke(token=token, actor=alice_admin, ip="198.51.100.5", user_agent="Firefox")
    api_token_revoke(token=ApiToken.objects.get(pk=token.pk), actor=alice_admin)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [
        (e.action, e.organization_id, e.actor_id, e.target_id, e.ip, e.user_agent) for e in entries
    ] == [
        ("token_created", org.pk, bob_agent.pk, str(token.pk), "198.51.100.4", "erp/1.0"),
        ("token_revoked", org.pk, alice_admin.pk, str(token.pk), "198.51.100.5", "Firefox"),
    ]
    assert entries[0].data == {"scope": token.scope, "expires_at": None}
    assert entries[0].target_label == f"ERP ({token.prefix}…)"


def test_a_token_revoked_without_an_actor_is_put_on_its_owner(org, bob_agent):
    token, _key = api_token_create(user=bob_agent, organization=org, name="ERP")
    api_token_revoke(token=token)
    revoked = AuditEntry.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (revoked.actor_id, revoked.actor_email) == (bob_agent.pk, "bob@demo.example")


def test_a_refused_token_records_nothing(org, charlie_other_org):
    with pytest.raises(ApplicationError):
        api_token_create(user=charlie_other_org, organization=org, name="sneaky")
    assert not AuditEntry.objects.exists()


def test_team_created_and_changed_are_recorded_with_what_changed(
    org, sam_supervisor, bob_agent, tina_technician
):
    team = team_create(
        organization=org,
        name="Repairs",
        members=[bob_agent],
        actor=sam_supervisor,
        ip="10.1.1.1",
        user_agent="Chrome",
    )
    team_update(
        team=team,
        name="Workshop",
        members=[tina_technician],
        is_active=False,
        assignment="round_robin",
        actor=sam_supervisor,
        ip="10.1.1.2",
    )
    # Saved unchanged: nothing to record.
    team_update(
        team=team, name="Workshop", members=[tina_technician], is_active=False, actor=sam_supervisor
    )
    created, changed = AuditEntry.objects.order_by("id")
    assert (created.action, created.organization_id, created.actor_id, created.target_label) == (
        "team_created",
        org.pk,
        sam_supervisor.pk,
        "Repairs",
    )
    assert created.data == {"assignment": "manual", "members": ["bob@demo.example"]}
    assert (created.ip, created.user_agent) == ("10.1.1.1", "Chrome")
    assert (changed.action, changed.target_id, changed.target_label, changed.ip) == (
        "team_changed",
        str(team.pk),
        "Workshop",
        "10.1.1.2",
    )
    assert changed.data == {
        "name": {"from": "Repairs", "to": "Workshop"},
        "is_active": {"from": True, "to": False},
        "assignment": {"from": "manual", "to": "round_robin"},
        "members_added": ["tina@demo.example"],
        "members_removed": ["bob@demo.example"],
    }


def test_a_refused_team_change_records_nothing(org, other_org, sam_supervisor):
    team = team_create(organization=org, name="Repairs", actor=sam_supervisor)
    outsider = user_create(email="out@other.example", password=PASSWORD)
    membership_create(organization=other_org, user=outsider, role=Membership.Role.AGENT)
    with pytest.raises(ApplicationError):
        team_update(
            team=team, name="Renamed", members=[outsider], is_active=True, actor=sam_supervisor
        )
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["team_created"]

"""A database made before the layers work, with the demo data, upgrades with every row kept.

The upgrade runs in its own process on its own database (SQLite, or a new database on the
PostgreSQL server DATABASE_URL names), because request events are append-only: the test
database's flush could not remove them afterwards.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aftercare.lib.testing_db import scratch_database_url
from aftercare.tests.upgrade import FIXTURE

ROOT = Path(__file__).resolve().parents[2]
NEW_MIGRATIONS = {
    "tickets.0007_productivity",
    "accounts.0002_team",
    "accounts.0003_membership_invitation",
    "sla.0002_escalationrule_team_in_accounts",
    "sla.0003_official_holidays",
    "tickets.0004_team_moves_to_accounts",
    "tickets.0005_escalation_notice",
    "notifications.0001_initial",
    "notifications.0002_notice_customer_index",
    "notifications.0003_pending_index",
    "notifications.0004_drop_unread_indexes",
    "notifications.0005_notice_reply_to_bounced",
    "notifications.0006_preferences_templates_staff",
    "notifications.0007_notice_state_index",
    "inbound.0001_initial",
    "outbound.0001_initial",
    "catalog.0002_policies_faults_parts",
    "tickets.0006_ticket_unit",
    "warranty.0001_initial",
    "warranty.0002_unit_proof_private",
    "inventory.0001_initial",
    "inventory.0002_stockmove_append_only",
    "inventory.0003_ledger_indexes",
    "repairs.0001_initial",
    "repairs.0002_initial",
    "repairs.0003_work_order_recent",
    "notifications.0008_quote_stock_low_events",
    "notifications.0009_console_notice",
    "accounts.0004_security_controls",
    "api.0001_idempotency",
    "search.0001_initial",
    "customers.0003_search_text_moves_to_the_index",
    "knowledge.0001_initial",
    "knowledge.0002_articleversion_append_only",
    "portal.0002_pending_uploads",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("upgrade")


@pytest.fixture(scope="module")
def database_url(workdir):
    """A new, empty database of the engine the suite runs on."""
    with scratch_database_url(workdir) as url:
        yield url


@pytest.fixture(scope="module")
def report(database_url, workdir) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "aftercare.settings",
        "AFTERCARE_VAR_DIR": str(workdir / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "aftercare.tests.upgrade", str(FIXTURE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_row_of_every_table_is_kept(report, database_url):
    before, after = report["before"], report["after"]
    assert set(report["applied"]) == NEW_MIGRATIONS
    # The old database really held the demo: every fixture row went in.
    assert before["tickets_ticket"] == report["fixture_rows"]["tickets.ticket"] == 312
    assert before["tickets_ticketevent"] == report["fixture_rows"]["tickets.ticketevent"] > 3000
    assert before["tickets_team"] == 6 and before["tickets_team_members"] == 7
    assert sum(before.values()) >= sum(report["fixture_rows"].values())
    # The migrations table records the new migrations; no other table gains or loses a row.
    assert after["django_migrations"] == before["django_migrations"] + len(NEW_MIGRATIONS)
    kept = {table: after.get(table) for table in before if table != "django_migrations"}
    assert kept == {table: count for table, count in before.items() if table != "django_migrations"}
    # On SQLite the search index's words are an FTS5 table, with the tables FTS5 keeps its
    # index in (its configuration and the empty index's structure are their rows).
    fts = (
        {
            "search_fts": 0,
            "search_fts_config": 1,
            "search_fts_content": 0,
            "search_fts_data": 2,
            "search_fts_idx": 0,
        }
        if database_url.startswith("sqlite")
        else {}
    )
    assert {table: after[table] for table in set(after) - set(before)} == fts | {
        "tickets_escalationnotice": 0,
        "notifications_notice": 0,
        "notifications_noticeattempt": 0,
        "inbound_inboundemail": 0,
        "inbound_mailbox": 0,
        "outbound_emailsetting": 0,
        "outbound_smsgateway": 0,
        "notifications_customerpreference": 0,
        "notifications_staffpreference": 0,
        "notifications_notificationsettings": 0,
        "notifications_noticetemplate": 0,
        "notifications_consolenotice": 0,
        "catalog_faultcode": 0,
        "catalog_faultcode_product_models": 0,
        "catalog_warrantypolicy": 0,
        "catalog_warrantypolicy_excluded_faults": 0,
        "catalog_sparepart": 0,
        "catalog_sparepart_compatible_models": 0,
        "warranty_unit": 0,
        "warranty_unittransfer": 0,
        "warranty_contract": 0,
        "warranty_warrantyclaim": 0,
        "inventory_stocklocation": 0,
        "inventory_stocklevel": 0,
        "inventory_stockmove": 0,
        "inventory_reservation": 0,
        "repairs_repairsettings": 0,
        "repairs_workorder": 0,
        "repairs_labourentry": 0,
        "repairs_partline": 0,
        "repairs_quote": 0,
        "repairs_quoteline": 0,
        "repairs_visit": 0,
        "accounts_staffinvitation": 0,
        "accounts_totpdevice": 0,
        "accounts_recoverycode": 0,
        "accounts_signedinsession": 0,
        "accounts_auditentry": 0,
        "api_idempotencykey": 0,
        "search_searchentry": 0,
        "knowledge_articlecategory": 0,
        "knowledge_article": 0,
        "knowledge_article_product_models": 0,
        "knowledge_articletranslation": 0,
        "knowledge_articleversion": 0,
        "knowledge_articleimage": 0,
        "knowledge_articlevote": 0,
        "knowledge_deflection": 0,
        "tickets_cannedanswer": 0,
        "tickets_macro": 0,
        "tickets_savedview": 0,
        "portal_pendingupload": 0,
        "portal_requestsubmission": 0,
    }


def test_what_pointed_at_teams_still_does(report):
    before, after = report["references_before"], report["references_after"]
    assert before.pop("team_content_type") == ["tickets"]
    assert after.pop("team_content_type") == ["accounts"]
    assert after == before
    assert len(after["tickets_by_team"]) > 0 and len(after["routing_rules_by_team"]) == 6


def test_preset_calendars_are_known_for_their_country_and_holidays_by_key(report):
    # The demo's calendars were copies of the Iran and Turkey presets: each is marked as made
    # for its country (its official holidays come with the next top-up), and every holiday of
    # the preset is named by its key, so it is shown in the reader's language.
    assert [list(row) for row in report["calendars_after"]] == [
        ["Iran", "IR", 10, 10],
        ["Turkey", "TR", 7, 7],
    ]

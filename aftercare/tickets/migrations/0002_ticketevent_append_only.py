"""The database itself refuses UPDATE and DELETE on ticket events (audit is append-only)."""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER tickets_ticketevent_no_update
    BEFORE UPDATE ON tickets_ticketevent
    BEGIN SELECT RAISE(ABORT, 'tickets_ticketevent is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER tickets_ticketevent_no_delete
    BEFORE DELETE ON tickets_ticketevent
    BEGIN SELECT RAISE(ABORT, 'tickets_ticketevent is append-only: DELETE refused'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS tickets_ticketevent_no_update;",
    "DROP TRIGGER IF EXISTS tickets_ticketevent_no_delete;",
]
POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION aftercare_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER tickets_ticketevent_append_only
    BEFORE UPDATE OR DELETE ON tickets_ticketevent
    FOR EACH ROW EXECUTE FUNCTION aftercare_refuse_change();
    """,
    """
    CREATE TRIGGER tickets_ticketevent_no_truncate
    BEFORE TRUNCATE ON tickets_ticketevent
    FOR EACH STATEMENT EXECUTE FUNCTION aftercare_refuse_change();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS tickets_ticketevent_append_only ON tickets_ticketevent;",
    "DROP TRIGGER IF EXISTS tickets_ticketevent_no_truncate ON tickets_ticketevent;",
]


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

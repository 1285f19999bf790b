"""The database itself refuses UPDATE and DELETE on the stock ledger (it is append-only)."""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER inventory_stockmove_no_update
    BEFORE UPDATE ON inventory_stockmove
    BEGIN SELECT RAISE(ABORT, 'inventory_stockmove is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER inventory_stockmove_no_delete
    BEFORE DELETE ON inventory_stockmove
    BEGIN SELECT RAISE(ABORT, 'inventory_stockmove is append-only: DELETE refused'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS inventory_stockmove_no_update;",
    "DROP TRIGGER IF EXISTS inventory_stockmove_no_delete;",
]
POSTGRES_CREATE = [
    # The same function as the request timeline's (tickets 0002); replaced, not duplicated.
    """
    CREATE OR REPLACE FUNCTION aftercare_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER inventory_stockmove_append_only
    BEFORE UPDATE OR DELETE ON inventory_stockmove
    FOR EACH ROW EXECUTE FUNCTION aftercare_refuse_change();
    """,
    """
    CREATE TRIGGER inventory_stockmove_no_truncate
    BEFORE TRUNCATE ON inventory_stockmove
    FOR EACH STATEMENT EXECUTE FUNCTION aftercare_refuse_change();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS inventory_stockmove_append_only ON inventory_stockmove;",
    "DROP TRIGGER IF EXISTS inventory_stockmove_no_truncate ON inventory_stockmove;",
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
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

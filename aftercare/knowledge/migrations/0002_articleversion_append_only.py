"""The database itself refuses UPDATE and DELETE on article versions: a translation's history
is append-only."""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER knowledge_articleversion_no_update
    BEFORE UPDATE ON knowledge_articleversion
    BEGIN SELECT RAISE(ABORT, 'knowledge_articleversion is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER knowledge_articleversion_no_delete
    BEFORE DELETE ON knowledge_articleversion
    BEGIN SELECT RAISE(ABORT, 'knowledge_articleversion is append-only: DELETE refused'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_articleversion_no_update;",
    "DROP TRIGGER IF EXISTS knowledge_articleversion_no_delete;",
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
    CREATE TRIGGER knowledge_articleversion_append_only
    BEFORE UPDATE OR DELETE ON knowledge_articleversion
    FOR EACH ROW EXECUTE FUNCTION aftercare_refuse_change();
    """,
    """
    CREATE TRIGGER knowledge_articleversion_no_truncate
    BEFORE TRUNCATE ON knowledge_articleversion
    FOR EACH STATEMENT EXECUTE FUNCTION aftercare_refuse_change();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_articleversion_append_only ON knowledge_articleversion;",
    "DROP TRIGGER IF EXISTS knowledge_articleversion_no_truncate ON knowledge_articleversion;",
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
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

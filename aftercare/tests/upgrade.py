"""Upgrade a database from the layout before the console and layers work to the current one.

`python -m aftercare.tests.upgrade FIXTURE` (with DATABASE_URL naming an empty database) brings the
database to the migrations as they were before teams moved to accounts (BEFORE), loads the rows
of FIXTURE into it with the models as they were then, counts the rows of every table, migrates
to the newest migrations, counts again and checks that what referred to teams still does. It
prints one JSON report; `aftercare/tests/test_upgrade.py` runs it on SQLite and PostgreSQL.

FIXTURE (tests/data/demo-before-layers.json.gz) holds every row of a database that `make run`
set up at that commit: migrated, with the demo data. `python -m aftercare.tests.upgrade --dump
OUT` writes such a file from the database DATABASE_URL names, when it is at BEFORE.
"""

import gzip
import json
import os
import sys
from pathlib import Path

# The newest migration of each app of ours before teams moved to accounts; every other app
# (Django's, django-tasks-db) has not changed since.
BEFORE = {
    "accounts": "0001_initial",
    "customers": "0002_customer_tier",
    "catalog": "0001_initial",
    "sla": "0001_initial",
    "tickets": "0003_sla_and_routing",
    "portal": "0001_initial",
}
# Apps of ours that did not exist then: none of their migrations ran before the upgrade.
NEW_APPS = {
    "notifications",
    "inbound",
    "outbound",
    "warranty",
    "inventory",
    "repairs",
    "api",
    "knowledge",
    "search",
}
FIXTURE = Path(__file__).parent / "data" / "demo-before-layers.json.gz"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    import django

    django.setup()


def _targets(loader) -> list[tuple[str, str]]:
    leaves = loader.graph.leaf_nodes()
    return sorted({(app, BEFORE.get(app, name)) for app, name in leaves if app not in NEW_APPS})


def _models(apps) -> list:
    """Every model of a migration state, with the tables Django makes for many-to-many fields."""
    return sorted(
        apps.get_models(include_auto_created=True), key=lambda model: model._meta.label_lower
    )


def table_counts() -> dict[str, int]:
    """Rows in every table of the database."""
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def dump(out: Path) -> None:
    """Write every row of the database (at BEFORE) as JSON, model by model."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    apps = loader.project_state(_targets(loader)).apps
    rows = {
        model._meta.label_lower: list(model.objects.order_by("pk").values())
        for model in _models(apps)
    }
    with gzip.open(out, "wt", encoding="utf-8") as file:
        json.dump(rows, file, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def _load(apps, rows: dict[str, list[dict]]) -> None:
    """Insert the fixture's rows with the models of the migration state they were dumped at."""
    from django.db import transaction

    models = {model._meta.label_lower: model for model in _models(apps)}
    unknown = sorted(set(rows) - set(models))
    if unknown:
        raise SystemExit(f"The fixture has models the old state lacks: {unknown}")
    with transaction.atomic():
        for label, model_rows in rows.items():
            model = models[label]
            fields = {field.attname: field for field in model._meta.concrete_fields}
            objects = [
                model(**{name: fields[name].to_python(value) for name, value in row.items()})
                for row in model_rows
            ]
            model.objects.bulk_create(objects, batch_size=500)


def _references() -> dict:
    """What pointed at teams before the move, read through today's models."""
    from django.contrib.contenttypes.models import ContentType

    from aftercare.accounts.models import Team
    from aftercare.sla.models import EscalationRule
    from aftercare.tickets.escalation.models import SlaMark
    from aftercare.tickets.models import Ticket
    from aftercare.tickets.routing.models import RoutingRule

    return {
        "teams": sorted(Team.objects.values_list("pk", "organization_id", "name")),
        "team_members": sorted(Team.members.through.objects.values_list("team_id", "user_id")),
        "tickets_by_team": sorted(
            (ticket.team.name, ticket.pk)
            for ticket in Ticket.objects.select_related("team").filter(team__isnull=False)
        ),
        "routing_rules_by_team": sorted(
            RoutingRule.objects.values_list("pk", "team__name", "team__organization_id")
        ),
        "escalation_teams": sorted(
            EscalationRule.objects.filter(reassign_team__isnull=False).values_list(
                "pk", "reassign_team__name"
            )
        ),
        "marks_by_team": SlaMark.objects.filter(team__isnull=False).count(),
        "team_content_type": list(
            ContentType.objects.filter(model="team").values_list("app_label", flat=True)
        ),
    }


def _calendars() -> list:
    """Each calendar's name, the country it was found made for, and its keyed holidays."""
    from django.db.models import Count, Q

    from aftercare.sla.models import BusinessCalendar

    return sorted(
        BusinessCalendar.objects.annotate(
            keyed=Count("holidays", filter=~Q(holidays__key="")), held=Count("holidays")
        ).values_list("name", "country", "keyed", "held")
    )


def _references_before(rows: dict[str, list[dict]]) -> dict:
    """The same facts, read from the fixture."""
    teams = {row["id"]: row for row in rows["tickets.team"]}
    return {
        "teams": sorted((row["id"], row["organization_id"], row["name"]) for row in teams.values()),
        "team_members": sorted(
            (row["team_id"], row["user_id"]) for row in rows["tickets.team_members"]
        ),
        "tickets_by_team": sorted(
            (teams[row["team_id"]]["name"], row["id"])
            for row in rows["tickets.ticket"]
            if row["team_id"]
        ),
        "routing_rules_by_team": sorted(
            (row["id"], teams[row["team_id"]]["name"], teams[row["team_id"]]["organization_id"])
            for row in rows["tickets.routingrule"]
        ),
        "escalation_teams": sorted(
            (row["id"], teams[row["reassign_team_id"]]["name"])
            for row in rows["sla.escalationrule"]
            if row["reassign_team_id"]
        ),
        "marks_by_team": sum(1 for row in rows["tickets.slamark"] if row["team_id"]),
        "team_content_type": [
            row["app_label"] for row in rows["contenttypes.contenttype"] if row["model"] == "team"
        ],
    }


def upgrade(fixture: Path) -> dict:
    """Migrate an empty database to BEFORE, load the fixture, upgrade; report what was seen."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.loader.applied_migrations:
        raise SystemExit("The database is not empty: point DATABASE_URL at a new one.")
    targets = _targets(executor.loader)
    executor.migrate(targets)
    with gzip.open(fixture, "rt", encoding="utf-8") as file:
        rows = json.load(file)
    executor.loader.build_graph()
    _load(executor.loader.project_state(targets).apps, rows)
    before = table_counts()

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    executor.migrate(executor.loader.graph.leaf_nodes())
    return {
        "applied": [f"{migration.app_label}.{migration.name}" for migration, _back in plan],
        "fixture_rows": {label: len(model_rows) for label, model_rows in rows.items()},
        "before": before,
        "after": table_counts(),
        "references_before": _references_before(rows),
        "references_after": _references(),
        "calendars_after": _calendars(),
    }


def main(argv: list[str]) -> None:
    """`upgrade.py [FIXTURE]` or `upgrade.py --dump OUT`."""
    _setup()
    if argv[:1] == ["--dump"]:
        dump(Path(argv[1]))
        return
    fixture = Path(argv[0]) if argv else FIXTURE
    print(json.dumps(upgrade(fixture), sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])

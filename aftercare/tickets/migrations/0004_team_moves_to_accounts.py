"""Teams now live in `accounts` (see accounts 0002): requests, SLA marks and routing rules point
at `accounts.Team`, and the tickets app forgets its own. The tables and their foreign keys stay
as they are, so every row is kept; only the content type (and with it the permissions and admin
log entries that name it) is relabelled."""

import django.db.models.deletion
from django.db import migrations, models


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    manager = content_type.objects.db_manager(schema_editor.connection.alias)
    if manager.filter(app_label=new, model="team").exists():
        return
    manager.filter(app_label=old, model="team").update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="tickets", new="accounts")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="accounts", new="tickets")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_team"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sla", "0002_escalationrule_team_in_accounts"),
        ("tickets", "0003_sla_and_routing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="routingrule",
                    name="team",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="routing_rules",
                        to="accounts.team",
                        verbose_name="team",
                    ),
                ),
                migrations.AlterField(
                    model_name="slamark",
                    name="team",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.team",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="team",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="accounts.team",
                        verbose_name="team",
                    ),
                ),
                migrations.DeleteModel(name="Team"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]

"""An escalation rule's team is now `accounts.Team` (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_team"),
        ("sla", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="escalationrule",
                    name="reassign_team",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The request leaves its assignee and waits in this team's queue.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.team",
                        verbose_name="move to team",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

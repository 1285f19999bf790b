"""Teams move from `tickets` to `accounts`, below every app that names them (SLA escalation
rules, routing, requests). Only the model's home changes: the table keeps its name
(tickets_team, and tickets_team_members for the members), so no row moves. tickets 0004 removes
the model from the tickets app's state in the same way."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import aftercare.lib.choices


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "assignment",
                            models.CharField(
                                choices=[
                                    ("manual", "Manual: requests wait in the team queue"),
                                    ("round_robin", "Round-robin among available agents"),
                                    (
                                        "least_open",
                                        "The available agent with the fewest open requests",
                                    ),
                                ],
                                default="manual",
                                max_length=16,
                                verbose_name="assignment",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "members",
                            models.ManyToManyField(
                                blank=True,
                                related_name="teams",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="members",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="teams",
                                to="accounts.organization",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "team",
                        "verbose_name_plural": "teams",
                        "db_table": "tickets_team",
                        "ordering": ["name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organization", "name"), name="team_name_unique"
                            )
                        ],
                    },
                    bases=(aftercare.lib.choices.ChoiceLabelsMixin, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]

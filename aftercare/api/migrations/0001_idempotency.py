"""Idempotency-Key answers of API POSTs (issue 11, finding 11)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=64, unique=True)),
                ('organization_id', models.BigIntegerField(blank=True, null=True)),
                ('request_hash', models.CharField(max_length=64)),
                ('status', models.CharField(choices=[('in_progress', 'In Progress'), ('done', 'Done')], default='in_progress', max_length=16)),
                ('claim', models.CharField(max_length=32)),
                ('response_status', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('response_content_type', models.CharField(blank=True, max_length=200)),
                ('response_body', models.BinaryField(blank=True, default=b'')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
    ]

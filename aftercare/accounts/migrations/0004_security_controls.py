"""Security controls (issue 11): invitations that need acceptance, authenticator apps and
recovery codes, signed-in sessions, token scopes, and the append-only audit trail."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SQLITE_CREATE = [
    """
    CREATE TRIGGER accounts_auditentry_no_update
    BEFORE UPDATE ON accounts_auditentry
    BEGIN SELECT RAISE(ABORT, 'accounts_auditentry is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER accounts_auditentry_no_delete
    BEFORE DELETE ON accounts_auditentry
    BEGIN SELECT RAISE(ABORT, 'accounts_auditentry is append-only: DELETE refused'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_delete;",
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
    CREATE TRIGGER accounts_auditentry_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION aftercare_refuse_change();
    """,
    """
    CREATE TRIGGER accounts_auditentry_no_truncate
    BEFORE TRUNCATE ON accounts_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION aftercare_refuse_change();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_truncate ON accounts_auditentry;",
]


def append_only_create(apps, schema_editor):
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


def append_only_drop(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


def existing_tokens_keep_their_reach(apps, schema_editor):
    """Tokens made before scopes could do all their owner's role allows: they still can."""
    apps.get_model("accounts", "ApiToken").objects.update(scope="admin")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_membership_invitation'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('write', 'Read and write'), ('admin', 'Everything the role allows, settings included')], default='write', max_length=8, verbose_name='scope'),
        ),
        migrations.AddField(
            model_name='organization',
            name='require_second_factor',
            field=models.BooleanField(default=False, help_text="Admins and supervisors then sign in with an authenticator app's code as well as their password, and enrol one the next time they sign in.", verbose_name='admins and supervisors must use a second factor'),
        ),
        migrations.CreateModel(
            name='TotpDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('secret_sealed', models.CharField(max_length=300)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('last_step', models.BigIntegerField(default=0)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='totp_device', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'authenticator app',
                'verbose_name_plural': 'authenticator apps',
            },
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor_email', models.CharField(blank=True, max_length=254)),
                ('action', models.CharField(max_length=48)),
                ('target_type', models.CharField(blank=True, max_length=48)),
                ('target_id', models.CharField(blank=True, max_length=64)),
                ('target_label', models.CharField(blank=True, max_length=200)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('user_agent', models.CharField(blank=True, max_length=300)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organization')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit entries',
                'indexes': [models.Index(fields=['organization', '-created_at', '-id'], name='audit_org_recent'), models.Index(fields=['organization', 'action', '-created_at'], name='audit_org_action'), models.Index(fields=['actor', '-created_at'], name='audit_actor_recent')],
            },
        ),
        migrations.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('retired_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recovery_codes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'recovery code',
                'verbose_name_plural': 'recovery codes',
                'indexes': [models.Index(fields=['user', 'code_hash'], name='recovery_code_user_hash')],
            },
        ),
        migrations.CreateModel(
            name='SignedInSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('session_key_sealed', models.CharField(max_length=300)),
                ('session_key_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_seen_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('user_agent', models.CharField(blank=True, max_length=300)),
                ('second_factor', models.BooleanField(default=False)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signed_in_sessions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'signed-in session',
                'verbose_name_plural': 'signed-in sessions',
                'indexes': [models.Index(fields=['user', 'ended_at', '-last_seen_at'], name='session_user_open')],
            },
        ),
        migrations.CreateModel(
            name='StaffInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('admin', 'Admin'), ('supervisor', 'Supervisor'), ('agent', 'Agent'), ('technician', 'Technician'), ('viewer', 'Viewer')], max_length=16, verbose_name='role')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('accepted', models.BooleanField(null=True)),
                ('withdrawn', models.BooleanField(default=False)),
                ('invitation_status', models.CharField(blank=True, choices=[('', 'Not mailed'), ('sent', 'Mailed'), ('failed', 'Could not be mailed')], default='', max_length=8, verbose_name='invitation')),
                ('invitation_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='invitation mailed')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff_invitations', to='accounts.organization')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff_invitations', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
                'constraints': [models.UniqueConstraint(condition=models.Q(('answered_at__isnull', True)), fields=('organization', 'user'), name='staff_invitation_one_pending')],
            },
        ),
        migrations.RunPython(append_only_create, append_only_drop),
        migrations.RunPython(existing_tokens_keep_their_reach, migrations.RunPython.noop),
    ]

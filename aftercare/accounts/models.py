"""Users, organizations (tenants), memberships with roles, teams and personal API tokens."""

import datetime
import hashlib
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.lib.choices import ChoiceLabelsMixin


class UserManager(BaseUserManager):
    """Users identified by email."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        """A user with a normalised email; no password means none can be used."""
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        """A user with every permission in the Django admin."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff of an organization, or a customer using the portal."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        """The name shown to others."""
        return self.name_shown(full_name=self.full_name, email=self.email)

    @staticmethod
    def name_shown(*, full_name: str, email: str) -> str:
        """The name shown for a user known only by these two columns (a list's row)."""
        return full_name or email.split("@")[0]


class Organization(models.Model):
    """A tenant: a business, or one brand served by a contact centre."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    country = models.CharField(
        _("country"), max_length=2, default="IR", help_text=_("ISO 3166 code, e.g. IR, TR, KZ.")
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    ticket_prefix = models.CharField(_("request number prefix"), max_length=10, default="AS")
    ticket_sequence = models.PositiveBigIntegerField(default=0, editable=False)
    require_second_factor = models.BooleanField(
        _("admins and supervisors must use a second factor"),
        default=False,
        help_text=_(
            "Admins and supervisors then sign in with an authenticator app's code as well as "
            "their password, and enrol one the next time they sign in."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> datetime.tzinfo:
        """The organization's time zone (UTC when its name is unknown here)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return datetime.UTC

    def today(self) -> datetime.date:
        """Today's date where the organization is."""
        return timezone.now().astimezone(self.zone).date()


class Membership(models.Model):
    """A staff user's role inside one organization."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        SUPERVISOR = "supervisor", _("Supervisor")
        AGENT = "agent", _("Agent")
        TECHNICIAN = "technician", _("Technician")
        VIEWER = "viewer", _("Viewer")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")

    class InvitationStatus(models.TextChoices):
        NONE = "", _("Not mailed")
        SENT = "sent", _("Mailed")
        FAILED = "failed", _("Could not be mailed")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # What became of the last mail telling this person of their membership (an invitation with
    # a set-password link, or a notice that they were added).
    invitation_status = models.CharField(
        _("invitation"), max_length=8, choices=InvitationStatus.choices, blank=True, default=""
    )
    invitation_sent_at = models.DateTimeField(_("invitation mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def can_write(self) -> bool:
        """Viewers read; every other role works requests."""
        return self.role != self.Role.VIEWER

    @property
    def can_manage(self) -> bool:
        """Admins and supervisors manage teams, categories and other people's work."""
        return self.role in {self.Role.ADMIN, self.Role.SUPERVISOR}

    @property
    def is_admin(self) -> bool:
        """Admins also manage the organization's members."""
        return self.role == self.Role.ADMIN


class Team(ChoiceLabelsMixin, models.Model):
    """A group of staff that works one part of the queue."""

    class Assignment(models.TextChoices):
        MANUAL = "manual", _("Manual: requests wait in the team queue")
        ROUND_ROBIN = "round_robin", _("Round-robin among available agents")
        LEAST_OPEN = "least_open", _("The available agent with the fewest open requests")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)
    assignment = models.CharField(
        _("assignment"), max_length=16, choices=Assignment.choices, default=Assignment.MANUAL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Created by the tickets app and moved here; the table keeps its name.
        db_table = "tickets_team"
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StaffInvitation(models.Model):
    """An offer of membership made to someone who already has an account: it takes effect only
    when they accept it. Until then the organization knows them by the email it typed."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="staff_invitations"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="staff_invitations")
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Answered once: accepted (a membership was made) or declined, or withdrawn by an admin.
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)
    withdrawn = models.BooleanField(default=False)
    invitation_status = models.CharField(
        _("invitation"),
        max_length=8,
        choices=Membership.InvitationStatus.choices,
        blank=True,
        default="",
    )
    invitation_sent_at = models.DateTimeField(_("invitation mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(answered_at__isnull=True),
                name="staff_invitation_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.email} → {self.organization} ({self.role})"


class TotpDevice(models.Model):
    """A staff member's authenticator app (TOTP, RFC 6238): the shared secret, sealed at rest.
    Unconfirmed until a first code from the app was checked."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="totp_device")
    secret_sealed = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step a code was accepted for: a code is good once (no replay).
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP of user {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    # Replaced by a newer set (kept, never deleted).
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["user", "code_hash"], name="recovery_code_user_hash")]

    def __str__(self) -> str:
        return f"Recovery code {self.pk} of user {self.user_id}"


class SignedInSession(models.Model):
    """A browser signed in to the console: listed to its owner, who can end it from elsewhere."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signed_in_sessions")
    # The session's key, sealed (ending it deletes it from the session store); its hash finds it.
    session_key_sealed = models.CharField(max_length=300)
    session_key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    second_factor = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        indexes = [
            models.Index(fields=["user", "ended_at", "-last_seen_at"], name="session_user_open")
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} of user {self.user_id}"


class AuditEntry(models.Model):
    """Who did what, when and from where: sign-ins, members, roles, tokens, second factors and
    settings. Append-only: the database refuses UPDATE and DELETE."""

    # None for what belongs to an account rather than one organization (a sign-in, a second
    # factor enrolled): shown to the admins of every organization the account works in.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # As typed or as it was then (a failed sign-in's unknown email; a renamed account).
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=48)
    target_type = models.CharField(max_length=48, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["organization", "-created_at", "-id"], name="audit_org_recent"),
            models.Index(fields=["organization", "action", "-created_at"], name="audit_org_action"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"


class ApiToken(models.Model):
    """A personal API token for one organization; only its SHA-256 hash is stored."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")
        ADMIN = "admin", _("Everything the role allows, settings included")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="api_tokens"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What the token may do, within its owner's role (a viewer's admin token still only reads).
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.WRITE)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        """Not revoked and not expired."""
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

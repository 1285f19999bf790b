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


class ApiToken(models.Model):
    """A personal API token for one organization; only its SHA-256 hash is stored."""

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

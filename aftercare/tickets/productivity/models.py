"""Canned answers, macros and saved views: what agents reuse to work the queue fast."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization, Team
from aftercare.lib.choices import ChoiceLabelsMixin


class Scope(models.TextChoices):
    """Who sees (and uses) a canned answer or a macro."""

    ORGANIZATION = "organization", _("Everyone in the organization")
    TEAM = "team", _("One team")
    PERSONAL = "personal", _("Only me")


class CannedAnswer(ChoiceLabelsMixin, models.Model):
    """A reply written once and inserted into many, with a fixed set of placeholders."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="canned_answers"
    )
    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"))
    # "" for every language; otherwise offered on requests in that language.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    scope = models.CharField(_("shared with"), max_length=16, choices=Scope.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="canned_answers",
        verbose_name=_("team"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="canned_answers",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "scope", "name"], name="canned_scope")]

    def __str__(self) -> str:
        return self.name


class Macro(ChoiceLabelsMixin, models.Model):
    """Named changes applied to a request in one step: fields, tags and an optional message."""

    class MessageKind(models.TextChoices):
        NONE = "", _("No message")
        REPLY = "reply", _("Reply to the customer")
        NOTE = "note", _("Internal note")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="macros")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("shared with"), max_length=16, choices=Scope.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("team"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the macro sets; empty means "leave as it is".
    status = models.CharField(_("status"), max_length=20, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    set_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team to set"),
    )
    # "" leaves the assignee, "me" gives the request to whoever applies the macro, "none" takes it
    # back to the queue; otherwise `set_assignee` names the member.
    assign = models.CharField(_("assign"), max_length=8, blank=True)
    set_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee to set"),
    )
    tags_add = models.JSONField(default=list, blank=True)
    tags_remove = models.JSONField(default=list, blank=True)
    message_kind = models.CharField(
        _("message"), max_length=8, choices=MessageKind.choices, blank=True
    )
    # The message: a canned answer (rendered for the request), else this text (placeholders too).
    canned_answer = models.ForeignKey(
        CannedAnswer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("canned answer"),
    )
    body = models.TextField(_("message text"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "scope", "name"], name="macro_scope")]

    def __str__(self) -> str:
        return self.name


class SavedView(models.Model):
    """The queue's filters and sort saved under a name, for oneself or for the organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=60)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="saved_views"
    )
    is_shared = models.BooleanField(_("shared with the organization"), default=False)
    # The queue's query: queue, status, kind, priority, team, assignee, sla and sort.
    filters = models.JSONField(default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["position", "name", "id"]
        indexes = [
            models.Index(fields=["organization", "is_shared", "position"], name="view_shared"),
            models.Index(fields=["owner", "organization"], name="view_owner"),
        ]

    def __str__(self) -> str:
        return self.name

"""The audit trail: who did what, when and from where. One row per event, written in the
caller's transaction (an entry stands or falls with the change it records) by one INSERT."""

import ipaddress

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import AuditEntry, Organization, User
from aftercare.lib.ratelimit import client_ip


class AuditAction(models.TextChoices):
    """Every event the audit trail records; the values are stored, the labels shown."""

    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    SESSION_ENDED = "session_ended", _("Session ended")
    PASSWORD_SET = "password_set", _("Password chosen from an emailed link")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    EMAIL_CHANGE_REQUESTED = "email_change_requested", _("Change of email asked for")
    EMAIL_CHANGED = "email_changed", _("Email changed")
    SECOND_FACTOR_ENABLED = "second_factor_enabled", _("Authenticator app turned on")
    SECOND_FACTOR_DISABLED = "second_factor_disabled", _("Authenticator app turned off")
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", _("New recovery codes made")
    RECOVERY_CODE_USED = "recovery_code_used", _("Signed in with a recovery code")
    MEMBER_INVITED = "member_invited", _("Member invited")
    INVITATION_RESENT = "invitation_resent", _("Invitation mailed again")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_DECLINED = "invitation_declined", _("Invitation declined")
    INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Member's role changed")
    MEMBER_DEACTIVATED = "member_deactivated", _("Member deactivated")
    MEMBER_REACTIVATED = "member_reactivated", _("Member reactivated")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TEAM_CREATED = "team_created", _("Team created")
    TEAM_CHANGED = "team_changed", _("Team changed")
    ORGANIZATION_SETTINGS_CHANGED = "organization_settings_changed", _("Settings changed")
    AUDIT_EXPORTED = "audit_exported", _("Audit log exported")


_LABEL_MAX = AuditEntry._meta.get_field("target_label").max_length
_USER_AGENT_MAX = AuditEntry._meta.get_field("user_agent").max_length


def audit_origin(request: HttpRequest) -> dict:
    """Where a request came from, as `audit_record` (and the services that record) take it:
    the client's address as the trusted proxy reports it (`lib.ratelimit.client_ip`) and its
    user agent."""
    return {"ip": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


def _clean_ip(ip: str | None) -> str | None:
    # client_ip answers "unknown" without a peer address; the column holds addresses only.
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None


def _clean_text(value, limit: int) -> str:
    # PostgreSQL refuses NUL in text, and a header or a name may be longer than its column.
    return str(value or "").replace("\x00", "")[:limit]


def audit_record(
    *,
    action: str,
    organization: Organization | None = None,
    organization_id: int | None = None,
    actor: User | None = None,
    actor_email: str = "",
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
    ip: str | None = None,
    user_agent: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Record one event. `organization` (or its id) is None for what belongs to an account (a
    sign-in, a password); `target` (a model instance) fills the target's type, id and label,
    which the explicit arguments override. Runs in the caller's transaction: one INSERT,
    nothing read."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_label = target_label or str(target)
    if actor is not None and not actor_email:
        actor_email = actor.email
    return AuditEntry.objects.create(
        organization_id=organization.pk if organization is not None else organization_id,
        actor=actor,
        actor_email=_clean_text(actor_email, 254),
        action=action,
        target_type=_clean_text(target_type, 48),
        target_id=_clean_text(target_id, 64),
        target_label=_clean_text(target_label, _LABEL_MAX),
        ip=_clean_ip(ip),
        user_agent=_clean_text(user_agent, _USER_AGENT_MAX),
        data=data or {},
    )

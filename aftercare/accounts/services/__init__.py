"""Every write to users, organizations, memberships, teams and API tokens, and how staff sign
in and are told of their accounts by mail."""

from aftercare.accounts.services.api_tokens import (
    API_TOKEN_DEFAULT_LIFETIME,
    API_TOKEN_MAX_LIFETIME,
    ApiCaller,
    api_token_authenticate,
    api_token_create,
    api_token_obtain,
    api_token_revoke,
)
from aftercare.accounts.services.audit import AuditAction, audit_origin, audit_record
from aftercare.accounts.services.credentials import (
    email_change_check,
    email_change_confirm,
    email_change_request,
    password_reset_mail_send,
    password_reset_request,
    password_sign_in,
    user_password_change,
    user_password_set,
)
from aftercare.accounts.services.memberships import (
    Invitation,
    membership_create,
    membership_invitation_resend,
    membership_invite,
    membership_mail_send,
    membership_update,
    organization_create,
    staff_invitation_answer,
    staff_invitation_mail_send,
    staff_invitation_resend,
    staff_invitation_withdraw,
    user_create,
)
from aftercare.accounts.services.teams import team_create, team_update

__all__ = [
    "API_TOKEN_DEFAULT_LIFETIME",
    "API_TOKEN_MAX_LIFETIME",
    "ApiCaller",
    "AuditAction",
    "Invitation",
    "api_token_authenticate",
    "api_token_create",
    "api_token_obtain",
    "api_token_revoke",
    "audit_origin",
    "audit_record",
    "email_change_check",
    "email_change_confirm",
    "email_change_request",
    "membership_create",
    "membership_invitation_resend",
    "membership_invite",
    "membership_mail_send",
    "membership_update",
    "organization_create",
    "password_reset_mail_send",
    "password_reset_request",
    "password_sign_in",
    "staff_invitation_answer",
    "staff_invitation_mail_send",
    "staff_invitation_resend",
    "staff_invitation_withdraw",
    "team_create",
    "team_update",
    "user_create",
    "user_password_change",
    "user_password_set",
]

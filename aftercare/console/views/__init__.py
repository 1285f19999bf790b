"""The console's own pages: staff sign-in and sign-out, the choice of organization, the
settings overview, and the pages of `accounts` (members and their invitations, API tokens,
setting and resetting a password, one's own account and email), which sits below the console
and so has no pages of its own."""

from aftercare.console.views.settings_area import (
    account_password_view,
    account_view,
    member_edit_view,
    member_invitation_resend_view,
    member_invite_view,
    member_list_view,
    settings_view,
    team_create_view,
    team_edit_view,
    team_list_view,
    token_create_view,
    token_list_view,
    token_revoke_view,
)
from aftercare.console.views.signin import (
    email_change_confirm_view,
    email_change_link_view,
    login_view,
    logout_view,
    organization_switch_view,
    password_reset_sent_view,
    password_reset_view,
    password_set_view,
)

__all__ = [
    "account_password_view",
    "account_view",
    "email_change_confirm_view",
    "email_change_link_view",
    "login_view",
    "logout_view",
    "member_edit_view",
    "member_invitation_resend_view",
    "member_invite_view",
    "member_list_view",
    "organization_switch_view",
    "password_reset_sent_view",
    "password_reset_view",
    "password_set_view",
    "settings_view",
    "team_create_view",
    "team_edit_view",
    "team_list_view",
    "token_create_view",
    "token_list_view",
    "token_revoke_view",
]

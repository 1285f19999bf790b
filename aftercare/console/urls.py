from django.urls import path

from aftercare.console import views

app_name = "console"
urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/login/verify/", views.login_verify_view, name="login_verify"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/organization/", views.organization_switch_view, name="organization_switch"),
    path("accounts/password/reset/", views.password_reset_view, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        views.password_reset_sent_view,
        name="password_reset_sent",
    ),
    # An emailed set-password link: the invitation's and the reset's open the same page.
    path(
        "accounts/password/reset/<str:uidb64>/<str:token>/",
        views.password_set_view,
        {"purpose": "reset"},
        name="password_reset_confirm",
    ),
    path(
        "accounts/invitation/<str:uidb64>/<str:token>/",
        views.password_set_view,
        {"purpose": "invitation"},
        name="invitation_accept",
    ),
    path(
        "accounts/email/confirm/<str:token>/",
        views.email_change_link_view,
        name="email_change_link",
    ),
    path("accounts/email/confirm/", views.email_change_confirm_view, name="email_change_confirm"),
    # An offer of membership to someone who already has an account: accept or decline.
    path(
        "accounts/invitations/answer/",
        views.staff_invitation_answer_view,
        name="staff_invitation_answer_page",
    ),
    path(
        "accounts/invitations/<str:token>/",
        views.staff_invitation_link_view,
        name="staff_invitation_answer",
    ),
    path("accounts/settings/account/", views.account_view, name="settings_account"),
    path(
        "accounts/settings/account/password/",
        views.account_password_view,
        name="settings_account_password",
    ),
    path("accounts/settings/", views.settings_view, name="settings"),
    path("accounts/settings/members/", views.member_list_view, name="settings_members"),
    path(
        "accounts/settings/members/invite/", views.member_invite_view, name="settings_member_invite"
    ),
    path(
        "accounts/settings/members/<int:membership_id>/",
        views.member_edit_view,
        name="settings_member_edit",
    ),
    path(
        "accounts/settings/members/<int:membership_id>/resend/",
        views.member_invitation_resend_view,
        name="settings_member_resend",
    ),
    path(
        "accounts/settings/members/invitations/<int:invitation_id>/resend/",
        views.member_offer_resend_view,
        name="settings_offer_resend",
    ),
    path(
        "accounts/settings/members/invitations/<int:invitation_id>/withdraw/",
        views.member_offer_withdraw_view,
        name="settings_offer_withdraw",
    ),
    path("accounts/settings/audit/", views.audit_list_view, name="settings_audit"),
    path(
        "accounts/settings/audit/export/",
        views.audit_export_view,
        name="settings_audit_export",
    ),
    path("accounts/settings/security/", views.security_view, name="settings_security"),
    path(
        "accounts/settings/security/authenticator/",
        views.authenticator_view,
        name="settings_authenticator",
    ),
    path(
        "accounts/settings/security/authenticator/off/",
        views.authenticator_disable_view,
        name="settings_authenticator_disable",
    ),
    path(
        "accounts/settings/security/recovery-codes/",
        views.recovery_codes_view,
        name="settings_recovery_codes",
    ),
    path(
        "accounts/settings/security/sessions/<int:session_id>/end/",
        views.session_end_view,
        name="settings_session_end",
    ),
    path(
        "accounts/settings/security/sessions/end-others/",
        views.sessions_end_others_view,
        name="settings_sessions_end_others",
    ),
    path(
        "accounts/settings/security/organization/",
        views.organization_security_view,
        name="settings_organization_security",
    ),
    path("accounts/settings/tokens/", views.token_list_view, name="settings_tokens"),
    path("accounts/settings/tokens/new/", views.token_create_view, name="settings_token_create"),
    path(
        "accounts/settings/tokens/<int:token_id>/revoke/",
        views.token_revoke_view,
        name="settings_token_revoke",
    ),
    path("settings/teams/", views.team_list_view, name="settings_teams"),
    path("settings/teams/new/", views.team_create_view, name="settings_team_create"),
    path("settings/teams/<int:team_id>/", views.team_edit_view, name="settings_team_edit"),
]

from django.urls import path

from aftercare.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("organization/", views.organization_switch_view, name="organization_switch"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/members/", views.member_list_view, name="settings_members"),
    path("settings/members/invite/", views.member_invite_view, name="settings_member_invite"),
    path(
        "settings/members/<int:membership_id>/",
        views.member_edit_view,
        name="settings_member_edit",
    ),
    path("settings/tokens/", views.token_list_view, name="settings_tokens"),
    path("settings/tokens/new/", views.token_create_view, name="settings_token_create"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views.token_revoke_view,
        name="settings_token_revoke",
    ),
]

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, organizations (tenants), memberships and API tokens."""

    name = "aftercare.accounts"

from django.contrib import admin

from aftercare.portal.models import PortalLoginLink


@admin.register(PortalLoginLink)
class PortalLoginLinkAdmin(admin.ModelAdmin):
    """Sign-in links, read-only: who asked, when, and whether the link was used."""

    list_display = ["email", "organization", "created_at", "expires_at", "used_at", "requested_ip"]
    list_filter = ["organization"]
    search_fields = ["email"]
    readonly_fields = [
        "organization",
        "email",
        "language",
        "created_at",
        "expires_at",
        "used_at",
        "requested_ip",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

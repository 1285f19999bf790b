from django.contrib import admin

from aftercare.sla.models import BusinessCalendar, DateOverride, Holiday, WorkingInterval


class _ReadOnlyInline(admin.TabularInline):
    """Rows change only through aftercare.sla.services, which bumps the calendar's version."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class WorkingIntervalInline(_ReadOnlyInline):
    model = WorkingInterval
    fields = ["weekday", "start_time", "end_time"]


class HolidayInline(_ReadOnlyInline):
    model = Holiday
    fields = [
        "name",
        "key",
        "kind",
        "start_date",
        "end_date",
        "month",
        "day",
        "source",
        "is_estimated",
        "source_date",
        "corrected_at",
        "corrected_by",
    ]


class DateOverrideInline(_ReadOnlyInline):
    model = DateOverride
    fields = ["date", "intervals", "note", "key", "source", "is_estimated"]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """View-only: edits go through the services so caches keyed on the version stay right."""

    list_display = [
        "name",
        "organization",
        "time_zone",
        "country",
        "is_default",
        "version",
        "updated_at",
    ]
    list_filter = ["organization", "is_default"]
    search_fields = ["name"]
    inlines = [WorkingIntervalInline, HolidayInline, DateOverrideInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

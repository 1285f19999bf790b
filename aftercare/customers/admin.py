from django.contrib import admin

from aftercare.customers.models import ContactPoint, Customer


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "preferred_language", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "company"]
    inlines = [ContactPointInline]

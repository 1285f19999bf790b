from django.contrib import admin

from aftercare.catalog.models import ProductModel


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "brand", "category", "organization"]
    list_filter = ["organization", "brand"]
    search_fields = ["name", "sku"]

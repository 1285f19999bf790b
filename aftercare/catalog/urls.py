from django.urls import path

from aftercare.catalog.views import faults, parts, policies, products

app_name = "catalog"
urlpatterns = [
    path("products/", products.product_model_list_view, name="products"),
    path("products/new/", products.product_model_create_view, name="product_create"),
    path(
        "products/<int:product_model_id>/",
        products.product_model_edit_view,
        name="product_edit",
    ),
    path("warranty-policies/", policies.warranty_policy_list_view, name="policies"),
    path("warranty-policies/new/", policies.warranty_policy_create_view, name="policy_create"),
    path(
        "warranty-policies/<int:warranty_policy_id>/",
        policies.warranty_policy_edit_view,
        name="policy_edit",
    ),
    path("fault-codes/", faults.fault_code_list_view, name="faults"),
    path("fault-codes/new/", faults.fault_code_create_view, name="fault_create"),
    path("fault-codes/<int:fault_code_id>/", faults.fault_code_edit_view, name="fault_edit"),
    path("spare-parts/", parts.spare_part_list_view, name="parts"),
    path("spare-parts/new/", parts.spare_part_create_view, name="part_create"),
    path("spare-parts/<int:spare_part_id>/", parts.spare_part_edit_view, name="part_edit"),
]

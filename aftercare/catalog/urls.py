from django.urls import path

from aftercare.catalog import views

app_name = "catalog"
urlpatterns = [
    path("products/", views.product_model_list_view, name="products"),
    path("products/new/", views.product_model_create_view, name="product_create"),
    path("products/<int:product_model_id>/", views.product_model_edit_view, name="product_edit"),
]

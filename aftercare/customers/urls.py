from django.urls import path

from aftercare.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path("new/", views.customer_create_view, name="create"),
    path("<int:customer_id>/", views.customer_detail_view, name="detail"),
    path("<int:customer_id>/edit/", views.customer_edit_view, name="edit"),
]

from django.urls import path

from aftercare.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.location_list_view, name="locations"),
    path("locations/new/", views.location_create_view, name="location_create"),
    path("locations/<int:location_id>/", views.location_detail_view, name="location"),
    path("locations/<int:location_id>/edit/", views.location_edit_view, name="location_edit"),
    path("locations/<int:location_id>/receive/", views.receive_view, name="receive"),
    path("locations/<int:location_id>/adjust/", views.adjust_view, name="adjust"),
    path("locations/<int:location_id>/transfer/", views.transfer_view, name="transfer"),
    path("locations/<int:location_id>/count/", views.count_view, name="count"),
    path("locations/<int:location_id>/reorder/", views.reorder_view, name="reorder"),
    path("parts/<int:part_id>/", views.part_stock_view, name="part"),
    path("ledger/", views.ledger_view, name="ledger"),
    path("low/", views.low_stock_view, name="low"),
]

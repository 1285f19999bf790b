from django.urls import path

from aftercare.warranty import contract_views, views

app_name = "warranty"
urlpatterns = [
    path("", views.unit_list_view, name="list"),
    path("new/", views.unit_create_view, name="create"),
    path("import/", views.unit_import_view, name="import"),
    path("<int:unit_id>/", views.unit_detail_view, name="detail"),
    path("<int:unit_id>/edit/", views.unit_edit_view, name="edit"),
    path("<int:unit_id>/transfer/", views.unit_transfer_view, name="transfer"),
    path("<int:unit_id>/proof/", views.unit_proof_view, name="proof"),
    # Warranty contracts and claims, listed on the unit's page.
    path(
        "<int:unit_id>/contracts/extended/",
        contract_views.contract_extend_view,
        name="contract_extend",
    ),
    path(
        "<int:unit_id>/contracts/goodwill/",
        contract_views.contract_goodwill_view,
        name="contract_goodwill",
    ),
    path(
        "<int:unit_id>/contracts/<int:contract_id>/void/",
        contract_views.contract_void_view,
        name="contract_void",
    ),
    path(
        "<int:unit_id>/claims/<int:claim_id>/",
        contract_views.claim_detail_view,
        name="claim",
    ),
    path(
        "<int:unit_id>/claims/<int:claim_id>/approve/",
        contract_views.claim_approve_view,
        name="claim_approve",
    ),
    path(
        "<int:unit_id>/claims/<int:claim_id>/reject/",
        contract_views.claim_reject_view,
        name="claim_reject",
    ),
]

from django.urls import path

from aftercare.repairs import document_views, views

app_name = "repairs"
urlpatterns = [
    path("repairs/new/", views.work_order_create_view, name="create"),
    path("repairs/my-day/", views.technician_day_view, name="day"),
    path("repairs/dispatch/", views.dispatch_view, name="dispatch"),
    path("repairs/<int:work_order_id>/", views.work_order_detail_view, name="detail"),
    # Documents: the print view, or the PDF (?format=pdf or the .pdf address).
    path(
        "repairs/<int:work_order_id>/documents/<slug:kind>/",
        document_views.work_order_document_view,
        name="document",
    ),
    path(
        "repairs/<int:work_order_id>/documents/<slug:kind>.pdf",
        document_views.work_order_document_view,
        {"pdf": True},
        name="document_pdf",
    ),
    path(
        "repairs/units/<int:unit_id>/certificate/",
        document_views.unit_certificate_view,
        name="certificate",
    ),
    path(
        "repairs/units/<int:unit_id>/certificate.pdf",
        document_views.unit_certificate_view,
        {"pdf": True},
        name="certificate_pdf",
    ),
    path(
        "repairs/<int:work_order_id>/parts/<int:part_line_id>/<slug:action>/",
        views.part_line_action_view,
        name="part_line",
    ),
    path(
        "repairs/<int:work_order_id>/visits/<int:visit_id>/status/",
        views.visit_status_view,
        name="visit_status",
    ),
    path(
        "repairs/<int:work_order_id>/<slug:action>/",
        views.work_order_action_view,
        name="action",
    ),
    path("settings/repairs/", views.repair_settings_view, name="settings"),
]

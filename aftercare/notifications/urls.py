from django.urls import path

from aftercare.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.rules_view, name="rules"),
    path("templates/", views.template_list_view, name="templates"),
    path(
        "templates/<slug:event>/<slug:language>/",
        views.template_edit_view,
        name="template_edit",
    ),
    path(
        "templates/<slug:event>/<slug:language>/restore/",
        views.template_restore_view,
        name="template_restore",
    ),
    path("log/", views.log_view, name="log"),
    path("log/<int:notice_id>/", views.log_detail_view, name="log_detail"),
    path("mine/", views.my_notices_view, name="mine"),
]

from django.urls import path

from aftercare.messaging.outbound import views

app_name = "outbound"
urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("email/new/", views.email_setting_create_view, name="email_create"),
    path("email/<int:setting_id>/", views.email_setting_edit_view, name="email_edit"),
    path("email/<int:setting_id>/test/", views.email_setting_test_view, name="email_test"),
    path("email/<int:setting_id>/delete/", views.email_setting_delete_view, name="email_delete"),
    path("sms/new/", views.sms_gateway_create_view, name="sms_create"),
    path("sms/<int:gateway_id>/", views.sms_gateway_edit_view, name="sms_edit"),
    path("sms/<int:gateway_id>/test/", views.sms_gateway_test_view, name="sms_test"),
    path("sms/<int:gateway_id>/delete/", views.sms_gateway_delete_view, name="sms_delete"),
]

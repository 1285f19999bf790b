"""Addresses that providers and gateways call: no session, no CSRF token; each checks who calls
(a provider's signature or secret, a gateway's unguessable token)."""

from django.urls import path

from aftercare.messaging.inbound import webhooks

app_name = "hooks"
urlpatterns = [
    path("email/<slug:provider>/", webhooks.email_webhook, name="email"),
    path("sms/<str:token>/", webhooks.sms_report_webhook, name="sms_report"),
]

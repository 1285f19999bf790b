"""Top-level routes: console, customer portal, API v1 and the Django admin."""

from django.contrib import admin
from django.urls import include, path

from aftercare.api_v1 import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path(
        "portal/<slug:org_slug>/warranty-check/",
        include("aftercare.warranty.public_urls"),
    ),
    path("portal/<slug:org_slug>/", include("aftercare.portal.urls")),
    path("", include("aftercare.console.urls")),
    path("customers/", include("aftercare.customers.urls")),
    path("search/", include("aftercare.search.urls")),
    path("catalog/", include("aftercare.catalog.urls")),
    path("units/", include("aftercare.warranty.urls")),
    path("stock/", include("aftercare.inventory.urls")),
    path("knowledge/", include("aftercare.knowledge.urls")),
    # An article's images, at the address its body names them by (knowledge.richtext).
    path("help-images/", include("aftercare.knowledge.image_urls")),
    path("settings/", include("aftercare.sla.urls")),
    path("settings/email/", include("aftercare.messaging.inbound.urls")),
    path("settings/notifications/", include("aftercare.notifications.urls")),
    path("notices/", include("aftercare.notifications.notice_urls")),
    path("settings/sending/", include("aftercare.messaging.outbound.urls")),
    # Providers and gateways calling back: inbound mail, delivery reports.
    path("hooks/", include("aftercare.messaging.inbound.webhook_urls")),
    path("", include("aftercare.repairs.urls")),
    path("", include("aftercare.tickets.urls")),
]

# A body Django cannot parse: the API's error shape under /api/ (aftercare/lib/badrequest.py).
handler400 = "aftercare.lib.badrequest.bad_request"
# An address that leads nowhere: the console's or a portal's own page (aftercare/errors.py).
handler404 = "aftercare.errors.page_not_found"

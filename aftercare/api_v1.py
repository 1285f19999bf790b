"""API v1: the instance, its authentication, and every app's router mounted on it.

This is wiring at the top of the layers: the API's base (`aftercare.api`) imports no app, and
each app's handlers import only the base; only here do they meet.
"""

from aftercare.accounts.api import audit_router, auth_router, members_router, teams_router
from aftercare.accounts.permissions import api_operation_authorize
from aftercare.accounts.services import api_token_authenticate
from aftercare.api.auth import TokenAuth
from aftercare.api.base import AftercareApi
from aftercare.catalog.api import faults_router, parts_router, warranty_policies_router
from aftercare.catalog.api import router as catalog_router
from aftercare.customers.api import router as customers_router
from aftercare.inventory.api import (
    levels_router,
    locations_router,
    moves_router,
    reservations_router,
)
from aftercare.knowledge.api import articles_router
from aftercare.knowledge.api import categories_router as article_categories_router
from aftercare.messaging.inbound.api import inbound_router, mailboxes_router
from aftercare.notifications.api import (
    consent_router,
    notices_router,
    preferences_router,
    settings_router,
    templates_router,
)
from aftercare.repairs.api import repair_settings_router, work_orders_router
from aftercare.search.api import router as search_router
from aftercare.sla.api import calendars_router, escalation_router, policies_router
from aftercare.tickets.agents.api import agents_router
from aftercare.tickets.api import attachments_router, categories_router
from aftercare.tickets.api import router as tickets_router
from aftercare.tickets.escalation.api import sla_router
from aftercare.tickets.productivity.api import (
    canned_answers_router,
    macros_router,
    saved_views_router,
)
from aftercare.tickets.productivity.api import tickets_router as productivity_tickets_router
from aftercare.tickets.routing.api import routing_router
from aftercare.warranty.api.contracts import claims_router, contracts_router
from aftercare.warranty.api.coverage import coverage_router
from aftercare.warranty.api.units import units_router

# Who the token is, then whether the permission matrix lets them call this operation: one check,
# before every operation, of its role and its token's scope.
auth = TokenAuth(api_token_authenticate, authorize=api_operation_authorize)

api = AftercareApi(
    title="aftercare API",
    version="1",
    description="After-sales service requests, customers and catalog, SLAs on business "
    "calendars, escalation and routing, notices and inbound email. "
    "Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`.",
    auth=auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_decorator(auth.guard, mode="view")

api.add_router("/auth/", auth_router)
api.add_router("/customers/", customers_router)
api.add_router("/search/", search_router)
api.add_router("/product-models/", catalog_router)
api.add_router("/warranty-policies/", warranty_policies_router)
api.add_router("/fault-codes/", faults_router)
api.add_router("/spare-parts/", parts_router)
api.add_router("/units/", units_router)
api.add_router("/warranty/", coverage_router)
api.add_router("/warranty-contracts/", contracts_router)
api.add_router("/warranty-claims/", claims_router)
# Before the requests' router, whose `/{ticket_id}` would take `/tickets/bulk` for an id.
api.add_router("/tickets/", productivity_tickets_router)
api.add_router("/tickets/", tickets_router)
api.add_router("/canned-answers/", canned_answers_router)
api.add_router("/macros/", macros_router)
api.add_router("/saved-views/", saved_views_router)
api.add_router("/work-orders/", work_orders_router)
api.add_router("/repair-settings", repair_settings_router)
api.add_router("/stock-locations/", locations_router)
api.add_router("/stock-levels/", levels_router)
api.add_router("/stock-moves/", moves_router)
api.add_router("/reservations/", reservations_router)
api.add_router("/articles/", articles_router)
api.add_router("/article-categories/", article_categories_router)
api.add_router("/attachments/", attachments_router)
api.add_router("/teams/", teams_router)
api.add_router("/categories/", categories_router)
api.add_router("/members/", members_router)
api.add_router("/audit/", audit_router)
api.add_router("/calendars/", calendars_router)
api.add_router("/sla-policies/", policies_router)
api.add_router("/escalation-rules/", escalation_router)
api.add_router("/sla/", sla_router)
api.add_router("/routing-rules/", routing_router)
api.add_router("/agents/", agents_router)
api.add_router("/notices/", notices_router)
api.add_router("/notice-templates/", templates_router)
api.add_router("/notification-settings", settings_router)
api.add_router("/me/notification-preferences", preferences_router)
api.add_router("/customer-notice-preferences/", consent_router)
api.add_router("/mailboxes/", mailboxes_router)
api.add_router("/inbound-emails/", inbound_router)

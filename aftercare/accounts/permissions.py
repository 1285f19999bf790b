"""Who may do what, written once: the levels of action, which roles and which token scopes
reach each level, and the level (or audience) of every page and every API operation.

Two places enforce it, both by name: `console.pages.console_view` for the console's pages (the
URL name of the request), and the API's one check before every operation
(`api.auth.TokenAuth`, handed `api_operation_authorize` by the wiring; the operation id). A
name missing here opens for nobody (ImproperlyConfigured), and
`aftercare/tests/test_permission_matrix.py` walks every URL pattern and every API operation,
as every role, from the own and a foreign organization, and fails on a name missing here.

Domain apps read this module; it imports no model, so `accounts.models` stays free to use it.
"""

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from aftercare.accounts.services.api_tokens import ApiCaller


class Level(enum.StrEnum):
    """What an action does within one organization, from least to most."""

    READ = "read"  # see the organization's work
    PERSONAL = "personal"  # change one's own account, tokens and notice choices
    WRITE = "write"  # work requests, customers, units, repairs
    MANAGE = "manage"  # settings of the work: catalog, SLAs, routing, teams, stock, billing
    ADMIN = "admin"  # the organization itself: members, mail, notices, dead letters


class Audience(enum.StrEnum):
    """Who may open a page that is not an action inside one organization."""

    PUBLIC = "public"  # anyone; the page checks what it needs (a link's token, a signature)
    CUSTOMER = "customer"  # a customer signed in to the portal of the organization in the URL
    SIGNED_IN = "signed_in"  # anyone signed in, whatever their organization or role
    SUPERUSER = "superuser"  # the Django admin site: staff superusers


Requirement = Level | Audience

READ, PERSONAL, WRITE, MANAGE, ADMIN = (
    Level.READ,
    Level.PERSONAL,
    Level.WRITE,
    Level.MANAGE,
    Level.ADMIN,
)
PUBLIC, CUSTOMER, SIGNED_IN, SUPERUSER = (
    Audience.PUBLIC,
    Audience.CUSTOMER,
    Audience.SIGNED_IN,
    Audience.SUPERUSER,
)

# The matrix: each role (`Membership.Role`'s values) and the levels it reaches.
ROLE_LEVELS: Mapping[str, frozenset[Level]] = {
    "admin": frozenset({READ, PERSONAL, WRITE, MANAGE, ADMIN}),
    "supervisor": frozenset({READ, PERSONAL, WRITE, MANAGE}),
    "agent": frozenset({READ, PERSONAL, WRITE}),
    "technician": frozenset({READ, PERSONAL, WRITE}),
    "viewer": frozenset({READ, PERSONAL}),
}

# What an API token's scope (`ApiToken.Scope`'s values) lets it do, within its owner's role.
SCOPE_LEVELS: Mapping[str, frozenset[Level]] = {
    "read": frozenset({READ}),
    "write": frozenset({READ, PERSONAL, WRITE}),
    "admin": frozenset(Level),
}


def role_allows(role: str, level: Level) -> bool:
    """Whether `role` reaches `level` (an unknown role reaches nothing)."""
    return level in ROLE_LEVELS.get(role, frozenset())


def scope_allows(scope: str, level: Level) -> bool:
    """Whether a token of `scope` may act at `level` (an unknown scope may do nothing)."""
    return level in SCOPE_LEVELS.get(scope, frozenset())


def levels_of(*, role: str, scope: str | None = None) -> frozenset[Level]:
    """Every level a member of `role` reaches, through a token of `scope` if given."""
    levels = ROLE_LEVELS.get(role, frozenset())
    if scope is not None:
        levels &= SCOPE_LEVELS.get(scope, frozenset())
    return levels


def refusal(level: Level) -> str:
    """Why a member whose role does not reach `level` is refused, in the active language."""
    if level is ADMIN:
        return _("Only an admin of the organization may do this.")
    if level is MANAGE:
        return _("Only an admin or a supervisor may do this.")
    return _("Your role may read but not change anything.")


# Every page, by URL name. The Django admin's pages are all the admin site's, and it guards them
# itself (staff superusers): its namespace stands for them.
NAMESPACES: Mapping[str, Requirement] = {"admin": SUPERUSER}

PAGES: Mapping[str, Requirement] = {
    "set_language": PUBLIC,
    # The admin site's own sign-in and sign-out.
    "admin:login": PUBLIC,
    "admin:logout": PUBLIC,
    # The API's schema and docs; its operations are in API_OPERATIONS.
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": PUBLIC,
    # Signing in and out, and the pages of emailed links (the link's token is the proof).
    "console:login": PUBLIC,
    "console:login_verify": PUBLIC,
    "console:logout": PUBLIC,
    "console:organization_switch": SIGNED_IN,
    "console:password_reset": PUBLIC,
    "console:password_reset_sent": PUBLIC,
    "console:password_reset_confirm": PUBLIC,
    "console:invitation_accept": PUBLIC,
    "console:email_change_link": PUBLIC,
    "console:email_change_confirm": PUBLIC,
    "console:staff_invitation_answer": PUBLIC,
    "console:staff_invitation_answer_page": PUBLIC,
    # The settings area of accounts: one's own account and tokens, members, teams.
    "console:settings": READ,
    "console:settings_account": PERSONAL,
    "console:settings_account_password": PERSONAL,
    "console:settings_security": PERSONAL,
    "console:settings_authenticator": PERSONAL,
    "console:settings_authenticator_disable": PERSONAL,
    "console:settings_recovery_codes": PERSONAL,
    "console:settings_session_end": PERSONAL,
    "console:settings_sessions_end_others": PERSONAL,
    "console:settings_organization_security": ADMIN,
    "console:settings_tokens": PERSONAL,
    "console:settings_token_create": PERSONAL,
    "console:settings_token_revoke": PERSONAL,
    "console:settings_members": ADMIN,
    "console:settings_member_invite": ADMIN,
    "console:settings_member_edit": ADMIN,
    "console:settings_member_resend": ADMIN,
    "console:settings_offer_resend": ADMIN,
    "console:settings_offer_withdraw": ADMIN,
    "console:settings_teams": MANAGE,
    "console:settings_team_create": MANAGE,
    "console:settings_team_edit": MANAGE,
    "console:settings_audit": ADMIN,
    "console:settings_audit_export": ADMIN,
    # Customers.
    "customers:list": READ,
    "search:results": READ,
    "customers:detail": READ,
    "customers:create": WRITE,
    "customers:edit": WRITE,
    # Catalog: product models, warranty policies, fault codes, spare parts.
    "catalog:products": MANAGE,
    "catalog:product_create": MANAGE,
    "catalog:product_edit": MANAGE,
    "catalog:policies": MANAGE,
    "catalog:policy_create": MANAGE,
    "catalog:policy_edit": MANAGE,
    "catalog:faults": MANAGE,
    "catalog:fault_create": MANAGE,
    "catalog:fault_edit": MANAGE,
    "catalog:parts": MANAGE,
    "catalog:part_create": MANAGE,
    "catalog:part_edit": MANAGE,
    # Units, contracts and claims.
    "warranty:list": READ,
    "warranty:detail": READ,
    "warranty:proof": READ,
    "warranty:claim": READ,
    "warranty:create": WRITE,
    "warranty:edit": WRITE,
    "warranty:transfer": WRITE,
    "warranty:contract_extend": WRITE,
    "warranty:import": MANAGE,
    "warranty:contract_goodwill": MANAGE,
    "warranty:contract_void": MANAGE,
    "warranty:claim_approve": MANAGE,
    "warranty:claim_reject": MANAGE,
    # Stock.
    "inventory:locations": READ,
    "inventory:location": READ,
    "inventory:part": READ,
    "inventory:ledger": READ,
    "inventory:low": READ,
    "inventory:location_create": MANAGE,
    "inventory:location_edit": MANAGE,
    "inventory:receive": MANAGE,
    "inventory:adjust": MANAGE,
    "inventory:transfer": MANAGE,
    "inventory:count": MANAGE,
    "inventory:reorder": MANAGE,
    # Knowledge: every member reads; those who work requests write drafts and upload images;
    # admins and supervisors publish, unpublish and manage categories. An article's images are
    # served to whoever may read it (the page checks); the help centre is the portal's.
    "knowledge:articles": READ,
    "knowledge:article": READ,
    "knowledge:translation_history": READ,
    "knowledge:article_create": WRITE,
    "knowledge:article_edit": WRITE,
    "knowledge:translation_edit": WRITE,
    "knowledge:version_restore": WRITE,
    "knowledge:image_upload": WRITE,
    "knowledge:translation_publish": MANAGE,
    "knowledge:translation_unpublish": MANAGE,
    "knowledge:categories": MANAGE,
    "knowledge:category_create": MANAGE,
    "knowledge:category_edit": MANAGE,
    "knowledge_images:image": PUBLIC,
    # Business calendars, SLA policies, escalation rules.
    "sla:settings_calendars": MANAGE,
    "sla:settings_calendar_create": MANAGE,
    "sla:settings_calendar": MANAGE,
    "sla:settings_calendar_default": MANAGE,
    "sla:settings_calendar_official_holidays": MANAGE,
    "sla:settings_holiday_add": MANAGE,
    "sla:settings_holiday_edit": MANAGE,
    "sla:settings_holiday_remove": MANAGE,
    "sla:settings_override_set": MANAGE,
    "sla:settings_override_remove": MANAGE,
    "sla:settings_calendar_import": MANAGE,
    "sla:settings_policies": MANAGE,
    "sla:settings_policy_create": MANAGE,
    "sla:settings_policy_edit": MANAGE,
    "sla:settings_escalation": MANAGE,
    "sla:settings_escalation_create": MANAGE,
    "sla:settings_escalation_edit": MANAGE,
    # Inbound email: what came in, the dead letters, the mailboxes polled.
    "inbound:list": ADMIN,
    "inbound:detail": ADMIN,
    "inbound:raw": ADMIN,
    "inbound:reprocess": ADMIN,
    "inbound:discard": ADMIN,
    "inbound:mailboxes": ADMIN,
    "inbound:mailbox_create": ADMIN,
    "inbound:mailbox_edit": ADMIN,
    "inbound:mailbox_test": ADMIN,
    "inbound:mailbox_poll": ADMIN,
    # Providers and gateways calling back (a signature or the address's token is the proof).
    "hooks:email": PUBLIC,
    "hooks:sms_report": PUBLIC,
    # Notices: rules and templates, the outbound log, one's own choices.
    "notifications:rules": ADMIN,
    "notifications:templates": ADMIN,
    "notifications:template_edit": ADMIN,
    "notifications:template_restore": ADMIN,
    "notifications:log": MANAGE,
    "notifications:log_detail": MANAGE,
    "notifications:mine": PERSONAL,
    # Each member's own notices (the bell): anyone else's answer 404.
    "notices:list": PERSONAL,
    "notices:bell": PERSONAL,
    "notices:read": PERSONAL,
    "notices:read_one": PERSONAL,
    # Sending: the organization's mail server or provider, its SMS gateway.
    "outbound:overview": ADMIN,
    "outbound:email_create": ADMIN,
    "outbound:email_edit": ADMIN,
    "outbound:email_test": ADMIN,
    "outbound:email_delete": ADMIN,
    "outbound:sms_create": ADMIN,
    "outbound:sms_edit": ADMIN,
    "outbound:sms_test": ADMIN,
    "outbound:sms_delete": ADMIN,
    # Work orders. An action of the work order page may ask more than its page (`repairs:
    # action`: billing and claims are MANAGE, repairs.views.work_order_actions.ACTIONS).
    "repairs:detail": READ,
    "repairs:day": READ,
    "repairs:document": READ,
    "repairs:document_pdf": READ,
    "repairs:certificate": READ,
    "repairs:certificate_pdf": READ,
    "repairs:create": WRITE,
    "repairs:action": WRITE,
    "repairs:part_line": WRITE,
    "repairs:visit_status": WRITE,
    "repairs:dispatch": MANAGE,
    "repairs:settings": MANAGE,
    # Requests: the queue, the request page, the SLA board, presence, and their settings.
    "tickets:queue": READ,
    "tickets:detail": READ,
    "tickets:by_id": READ,
    "tickets:attachment": READ,
    "tickets:create": WRITE,
    "tickets:message": WRITE,
    "tickets:assign": WRITE,
    "tickets:status": WRITE,
    "tickets:update": WRITE,
    "tickets:presence": WRITE,
    "tickets:sla": MANAGE,
    "tickets:settings_routing": MANAGE,
    "tickets:settings_routing_create": MANAGE,
    "tickets:settings_routing_edit": MANAGE,
    "tickets:settings_agents": MANAGE,
    "tickets:settings_agent_edit": MANAGE,
    "tickets:settings_categories": MANAGE,
    "tickets:settings_category_create": MANAGE,
    "tickets:settings_category_edit": MANAGE,
    # Agent productivity: personal canned answers, macros and views are their owner's to
    # change; shared ones need MANAGE (checked by the services).
    "tickets:bulk": WRITE,
    "tickets:macro_apply": WRITE,
    "tickets:saved_view_create": READ,
    "tickets:saved_view_delete": READ,
    "tickets:canned_answers": WRITE,
    "tickets:canned_answer_edit": WRITE,
    "tickets:canned_answer_delete": WRITE,
    "tickets:macros": WRITE,
    "tickets:macro_edit": WRITE,
    "tickets:macro_delete": WRITE,
    # The public warranty check, and the customer's portal.
    "warranty_public:check": PUBLIC,
    "portal:home": PUBLIC,
    "portal:login": PUBLIC,
    "portal:login_sent": PUBLIC,
    "portal:login_link": PUBLIC,
    "portal:logout": PUBLIC,
    "portal:track": PUBLIC,
    "portal:resolution_answer": PUBLIC,
    "portal:unsubscribe": PUBLIC,
    # The help centre: public; what each reader may see is the knowledge app's rule.
    "portal:help_home": PUBLIC,
    "portal:help_suggest": PUBLIC,
    "portal:help_category": PUBLIC,
    "portal:help_article": PUBLIC,
    "portal:help_vote": PUBLIC,
    "portal:help_solved": PUBLIC,
    "portal:request_list": CUSTOMER,
    "portal:request_create": CUSTOMER,
    "portal:request_detail": CUSTOMER,
    "portal:request_reply": CUSTOMER,
    "portal:request_confirm": CUSTOMER,
    "portal:unit_list": CUSTOMER,
    "portal:unit_register": CUSTOMER,
    "portal:unit_detail": CUSTOMER,
    "portal:repair_quote": CUSTOMER,
    "portal:repair_quote_approve": CUSTOMER,
    "portal:repair_quote_decline": CUSTOMER,
    "portal:repair_document": CUSTOMER,
    "portal:unit_certificate": CUSTOMER,
    "portal:attachment_download": CUSTOMER,
}

# Every API operation, by operation id (its handler's name). A token needs its owner's role to
# reach the level, and its scope too. A handler may ask more for some input (an agent changes
# only their own presence: `agent_update_api`).
API_OPERATIONS: Mapping[str, Requirement] = {
    # Tokens: obtained with a password; any token may revoke itself and say what it is.
    "token_obtain_api": PUBLIC,
    "token_get_api": READ,
    "token_revoke_api": READ,
    # Staff, invitations and teams.
    "member_list_api": READ,
    "member_invite_api": ADMIN,
    "member_offer_list_api": ADMIN,
    "member_offer_resend_api": ADMIN,
    "member_offer_withdraw_api": ADMIN,
    "member_invitation_resend_api": ADMIN,
    "team_list_api": READ,
    "team_create_api": MANAGE,
    "team_update_api": MANAGE,
    "audit_entry_list_api": ADMIN,
    # Customers.
    "customer_list_api": READ,
    "search_api": READ,
    "customer_get_api": READ,
    "customer_create_api": WRITE,
    "customer_update_api": WRITE,
    # Catalog.
    "product_model_list_api": READ,
    "product_model_get_api": READ,
    "product_model_create_api": MANAGE,
    "product_model_update_api": MANAGE,
    "warranty_policy_list_api": READ,
    "warranty_policy_get_api": READ,
    "warranty_policy_create_api": MANAGE,
    "warranty_policy_update_api": MANAGE,
    "fault_code_list_api": READ,
    "fault_code_get_api": READ,
    "fault_code_create_api": MANAGE,
    "fault_code_update_api": MANAGE,
    "spare_part_list_api": READ,
    "spare_part_get_api": READ,
    "spare_part_create_api": MANAGE,
    "spare_part_update_api": MANAGE,
    # Units, coverage, contracts and claims.
    "unit_list_api": READ,
    "unit_get_api": READ,
    "unit_transfer_list_api": READ,
    "unit_coverage_api": READ,
    "warranty_check_api": READ,
    "unit_create_api": WRITE,
    "unit_update_api": WRITE,
    "unit_transfer_api": WRITE,
    "unit_import_api": MANAGE,
    "contract_list_api": READ,
    "contract_get_api": READ,
    "contract_extend_api": WRITE,
    "contract_goodwill_api": MANAGE,
    "contract_void_api": MANAGE,
    "claim_list_api": READ,
    "claim_get_api": READ,
    "claim_open_api": WRITE,
    "claim_approve_api": MANAGE,
    "claim_reject_api": MANAGE,
    # Requests, their messages and files, categories.
    "ticket_list_api": READ,
    "ticket_get_api": READ,
    "ticket_message_list_api": READ,
    "ticket_attachment_list_api": READ,
    "attachment_download_api": READ,
    "ticket_create_api": WRITE,
    "ticket_update_api": WRITE,
    "ticket_status_api": WRITE,
    "ticket_assign_api": WRITE,
    "ticket_message_add_api": WRITE,
    "ticket_attachment_add_api": WRITE,
    "category_list_api": READ,
    # Canned answers, macros and saved views, as the console's pages: canned answers and macros
    # are WRITE (a viewer has no use for them), saved views one's own (PERSONAL). Changing or
    # sharing what is shared with a team or the organization asks MANAGE (`require_manager`);
    # another member's personal ones are 404.
    "canned_answer_list_api": WRITE,
    "canned_answer_get_api": WRITE,
    "canned_answer_create_api": WRITE,
    "canned_answer_update_api": WRITE,
    "canned_answer_delete_api": WRITE,
    "canned_answer_render_api": WRITE,
    "macro_list_api": WRITE,
    "macro_get_api": WRITE,
    "macro_create_api": WRITE,
    "macro_update_api": WRITE,
    "macro_delete_api": WRITE,
    "macro_apply_api": WRITE,
    "saved_view_list_api": READ,
    "saved_view_get_api": READ,
    "saved_view_create_api": PERSONAL,
    "saved_view_update_api": PERSONAL,
    "saved_view_delete_api": PERSONAL,
    "tickets_bulk_api": WRITE,
    # Work orders.
    "work_order_list_api": READ,
    "work_order_get_api": READ,
    "work_order_open_api": WRITE,
    "work_order_stage_api": WRITE,
    "work_order_diagnose_api": WRITE,
    "work_order_work_done_api": WRITE,
    "work_order_assign_api": WRITE,
    "work_order_labour_api": WRITE,
    "work_order_part_add_api": WRITE,
    "work_order_part_use_api": WRITE,
    "work_order_part_release_api": WRITE,
    "work_order_part_reserve_api": WRITE,
    "work_order_quote_send_api": WRITE,
    "work_order_quote_withdraw_api": WRITE,
    "work_order_visit_schedule_api": WRITE,
    "work_order_visit_status_api": WRITE,
    "work_order_billing_api": MANAGE,
    "work_order_claim_approve_api": MANAGE,
    "work_order_claim_reject_api": MANAGE,
    "repair_settings_get_api": READ,
    "repair_settings_update_api": MANAGE,
    # Stock.
    "stock_location_list_api": READ,
    "stock_location_get_api": READ,
    "stock_location_create_api": MANAGE,
    "stock_location_update_api": MANAGE,
    "stock_level_list_api": READ,
    "stock_level_get_api": READ,
    "stock_level_reorder_api": MANAGE,
    "stock_move_list_api": READ,
    "stock_move_get_api": READ,
    "stock_receipt_api": MANAGE,
    "stock_adjustment_api": MANAGE,
    "stock_transfer_api": MANAGE,
    "stock_count_api": MANAGE,
    "reservation_list_api": READ,
    "reservation_get_api": READ,
    # Knowledge articles, their translations and history, categories.
    "article_list_api": READ,
    "article_get_api": READ,
    "article_translation_get_api": READ,
    "article_version_list_api": READ,
    "article_create_api": WRITE,
    "article_update_api": WRITE,
    "article_translation_save_api": WRITE,
    "article_version_restore_api": WRITE,
    "article_translation_publish_api": MANAGE,
    "article_translation_unpublish_api": MANAGE,
    "article_category_list_api": READ,
    "article_category_get_api": READ,
    "article_category_create_api": MANAGE,
    "article_category_update_api": MANAGE,
    "article_category_archive_api": MANAGE,
    # Calendars, SLA policies, escalation and routing rules, agents.
    "calendar_list_api": READ,
    "calendar_get_api": READ,
    "calendar_create_api": MANAGE,
    "calendar_update_api": MANAGE,
    "holiday_add_api": MANAGE,
    "holiday_remove_api": MANAGE,
    "override_set_api": MANAGE,
    "override_remove_api": MANAGE,
    "calendar_import_api": MANAGE,
    "sla_policy_list_api": READ,
    "sla_policy_get_api": READ,
    "sla_policy_create_api": MANAGE,
    "sla_policy_update_api": MANAGE,
    "escalation_rule_list_api": READ,
    "escalation_rule_get_api": READ,
    "escalation_rule_create_api": MANAGE,
    "escalation_rule_update_api": MANAGE,
    "sla_summary_api": READ,
    "routing_rule_list_api": READ,
    "routing_rule_get_api": READ,
    "routing_rule_create_api": MANAGE,
    "routing_rule_update_api": MANAGE,
    "agent_list_api": READ,
    "agent_get_api": READ,
    "agent_update_api": WRITE,
    # Notices.
    "notice_list_api": MANAGE,
    "notice_get_api": MANAGE,
    "notice_template_list_api": MANAGE,
    "notice_template_preview_api": MANAGE,
    "notice_template_save_api": ADMIN,
    "notice_template_delete_api": ADMIN,
    "notification_settings_get_api": MANAGE,
    "notification_settings_update_api": ADMIN,
    "staff_preferences_get_api": READ,
    "staff_preferences_set_api": PERSONAL,
    "customer_preference_list_api": READ,
    "customer_preference_set_api": WRITE,
    # Inbound email and mailboxes.
    "mailbox_list_api": ADMIN,
    "mailbox_get_api": ADMIN,
    "mailbox_create_api": ADMIN,
    "mailbox_update_api": ADMIN,
    "mailbox_check_api": ADMIN,
    "mailbox_poll_api": ADMIN,
    "inbound_email_list_api": ADMIN,
    "inbound_email_get_api": ADMIN,
    "inbound_email_raw_api": ADMIN,
    "inbound_email_reprocess_api": ADMIN,
    "inbound_email_discard_api": ADMIN,
}

_MATRIX_FILE = "aftercare/accounts/permissions.py"


def page_requirement(view_name: str | None) -> Requirement:
    """Who may open the page of URL name `view_name` ("namespace:name")."""
    if view_name in PAGES:
        return PAGES[view_name]
    namespace = (view_name or "").split(":", 1)[0]
    if namespace in NAMESPACES and ":" in (view_name or ""):
        return NAMESPACES[namespace]
    raise ImproperlyConfigured(
        f"The page {view_name!r} has no entry in the permission matrix: add it to PAGES in "
        f"{_MATRIX_FILE}."
    )


def operation_requirement(operation_id: str | None) -> Requirement:
    """Who may call the API operation `operation_id`."""
    if operation_id in API_OPERATIONS:
        return API_OPERATIONS[operation_id]
    raise ImproperlyConfigured(
        f"The API operation {operation_id!r} has no entry in the permission matrix: add it to "
        f"API_OPERATIONS in {_MATRIX_FILE}."
    )


def api_operation_authorize(*, caller: "ApiCaller | None", operation_id: str) -> frozenset[Level]:
    """Check that `caller` (None: no token was asked for) may call the operation; the levels
    the caller reaches, through their role and their token's scope. Refused: PermissionDenied,
    saying whether the role or the token's scope falls short."""
    requirement = operation_requirement(operation_id)
    if requirement is PUBLIC:
        return frozenset() if caller is None else levels_of(**_caller_terms(caller))
    if not isinstance(requirement, Level):
        raise ImproperlyConfigured(
            f"The API operation {operation_id!r} is for {requirement.value!r}: only public "
            "operations and levels apply to the API."
        )
    if caller is None:
        raise ImproperlyConfigured(
            f"The API operation {operation_id!r} asks for {requirement.value!r} but takes no "
            "token (auth=None); make it public in the matrix, or give it the token auth."
        )
    terms = _caller_terms(caller)
    if not role_allows(terms["role"], requirement):
        raise PermissionDenied(refusal(requirement))
    if not scope_allows(terms["scope"], requirement):
        raise PermissionDenied(
            _(
                "This token's scope does not allow this (%(scope)s). Create a token with a "
                "wider scope."
            )
            % {"scope": caller.token.get_scope_display()}
        )
    return levels_of(**terms)


def _caller_terms(caller: "ApiCaller") -> dict[str, str]:
    return {"role": caller.membership.role, "scope": caller.token.scope}

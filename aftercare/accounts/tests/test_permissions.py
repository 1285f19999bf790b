"""The permission matrix's own rules: a name it does not know opens for nobody."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from aftercare.accounts.models import ApiToken, Membership
from aftercare.accounts.permissions import (
    Level,
    api_operation_authorize,
    levels_of,
    page_requirement,
)
from aftercare.accounts.services import ApiCaller


def _caller(role: str, scope: str) -> ApiCaller:
    return ApiCaller(token=ApiToken(scope=scope), membership=Membership(role=role))


def test_a_page_or_an_operation_without_an_entry_opens_for_nobody():
    with pytest.raises(ImproperlyConfigured, match="no entry in the permission matrix"):
        page_requirement("customers:nowhere")
    with pytest.raises(ImproperlyConfigured, match="no entry in the permission matrix"):
        api_operation_authorize(caller=_caller("admin", "admin"), operation_id="nowhere_api")


def test_the_admin_site_is_covered_by_its_namespace():
    assert page_requirement("admin:accounts_user_changelist") == "superuser"
    with pytest.raises(ImproperlyConfigured):
        page_requirement("admin")


def test_an_operation_needing_a_level_without_a_token_is_a_mistake():
    with pytest.raises(ImproperlyConfigured, match="takes no token"):
        api_operation_authorize(caller=None, operation_id="ticket_list_api")


def test_the_caller_reaches_what_both_role_and_scope_allow():
    levels = api_operation_authorize(
        caller=_caller("supervisor", "write"), operation_id="ticket_create_api"
    )
    assert levels == levels_of(role="supervisor", scope="write")
    assert Level.MANAGE not in levels
    with pytest.raises(PermissionDenied, match="scope"):
        api_operation_authorize(
            caller=_caller("supervisor", "write"), operation_id="team_create_api"
        )
    with pytest.raises(PermissionDenied, match="Only an admin of the organization"):
        api_operation_authorize(
            caller=_caller("supervisor", "admin"), operation_id="member_invite_api"
        )
    with pytest.raises(PermissionDenied, match="scope"):
        api_operation_authorize(
            caller=_caller("viewer", "read"), operation_id="staff_preferences_set_api"
        )
    assert api_operation_authorize(caller=None, operation_id="token_obtain_api") == frozenset()

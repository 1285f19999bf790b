"""What every console page shares: the staff member's membership, who may open it, rendering
and the create/edit form flow."""

import time
from collections.abc import Callable, Mapping
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext as _

from aftercare.accounts.middleware import activate_organization_time_zone
from aftercare.accounts.models import Membership
from aftercare.accounts.permissions import page_requirement
from aftercare.accounts.permissions import refusal as permission_refusal
from aftercare.accounts.selectors import (
    SESSION_SECOND_FACTOR_KEY,
    SESSION_SEEN_AT_KEY,
    membership_chosen,
    membership_list_for_user,
    session_signed_in_by_portal_link,
)
from aftercare.accounts.services.second_factor import (
    membership_requires_second_factor,
    signed_in_session_seen,
)
from aftercare.console.access import Access, allows
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page


def console_view(
    access: Access | None = None,
    *,
    refusal: str | Promise = "",
    before_second_factor: bool = False,
) -> Callable:
    """Make a view `view(request, membership, ...)`: signed in, staff, and let in by the
    permission matrix (`accounts.permissions.PAGES`) under the URL name it was reached by.

    The matrix decides; `access`, if given, is what the page expects, and must be what the
    matrix says (a mismatch is a mistake in one of them, refused as such). Anyone the matrix
    refuses gets a 403 page saying `refusal` (by default, what their role falls short of).
    Where the organization requires a second factor of the member's role and this session has
    none, every page but those marked `before_second_factor` (setting one up) leads there.
    """

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            level = _page_level(request, access)
            # Loaded once per request: the navbar's organization switcher reads the same list.
            if session_signed_in_by_portal_link(request.session):
                return forbidden(
                    request,
                    None,
                    _(
                        "You are signed in to the customer portal. Sign out there, then sign in "
                        "here with your password."
                    ),
                )
            request.console_memberships = membership_list_for_user(user=request.user)
            membership = membership_chosen(request.console_memberships, session=request.session)
            if membership is None:
                return forbidden(request, None, _("This account is not staff of any organization."))
            if not allows(membership, level):
                return forbidden(request, membership, refusal or _refusal(level))
            if (
                not before_second_factor
                and membership_requires_second_factor(membership)
                and not request.session.get(SESSION_SECOND_FACTOR_KEY)
            ):
                return redirect("console:settings_security")
            _note_seen(request)
            activate_organization_time_zone(request, membership.organization)
            return view(request, membership, *args, **kwargs)

        # Read by the permission matrix's test: pages of a level are console pages.
        wrapper.console_page = True
        return wrapper

    return decorator


# How often a session's "last used" is brought up to date (its list shows it to the minute).
_SEEN_EVERY_SECONDS = 300


def _note_seen(request: HttpRequest) -> None:
    """Keep the signed-in session's "last used" about right: at most one write in five minutes,
    and none for a session that the console's sign-in did not start."""
    seen = request.session.get(SESSION_SEEN_AT_KEY)
    now = int(time.time())
    if seen is not None and now - int(seen) >= _SEEN_EVERY_SECONDS:
        signed_in_session_seen(session_key=request.session.session_key)
        request.session[SESSION_SEEN_AT_KEY] = now


def _page_level(request: HttpRequest, expected: Access | None) -> Access:
    """The level the matrix asks of the page this request reached."""
    match = request.resolver_match
    requirement = page_requirement(match.view_name if match else None)
    if not isinstance(requirement, Access):
        raise ImproperlyConfigured(
            f"The console page {match.view_name!r} is {requirement.value!r} in the permission "
            "matrix: a console page needs a level (READ, PERSONAL, WRITE, MANAGE or ADMIN)."
        )
    if expected is not None and expected is not requirement:
        raise ImproperlyConfigured(
            f"The console page {match.view_name!r} expects {expected.value!r} but the "
            f"permission matrix says {requirement.value!r}."
        )
    return requirement


def _refusal(level: Access) -> str:
    """Why a member whose role falls short of `level` may not open the page."""
    if level is Access.WRITE:
        return _("Your role can read requests but not change them.")
    return permission_refusal(level)


def render_console(
    request: HttpRequest,
    membership: Membership | None,
    template: str,
    context: Mapping | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render a console template with the membership already resolved (no second lookup)."""
    full = {
        "membership": membership,
        "memberships": SimpleLazyObject(lambda: _memberships(request)),
        **(context or {}),
    }
    return render(request, template, full, status=status)


def _memberships(request: HttpRequest) -> list[Membership]:
    """Every organization the user works in, for the navbar's switcher."""
    if not request.user.is_authenticated:
        return []
    loaded = getattr(request, "console_memberships", None)
    return loaded if loaded is not None else membership_list_for_user(user=request.user)


def forbidden(
    request: HttpRequest, membership: Membership | None, reason: str | Promise
) -> HttpResponse:
    """A 403 page that says why."""
    return render_console(
        request, membership, "console/forbidden.html", {"reason": reason}, status=403
    )


def apply_error(
    form: forms.Form, error: ApplicationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's error on the form field it names (or on the form when none matches)."""
    name = (fields or {}).get(error.field or "", error.field)
    if name and name in form.fields:
        form.add_error(name, error.message)
    else:
        form.add_error(None, error.message)


def form_data(request: HttpRequest) -> QueryDict | None:
    """What a create or edit form is bound to: the posted data, or nothing on GET."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    membership: Membership,
    form: forms.Form,
    *,
    save: Callable[[], HttpResponse],
    template: str,
    context: Mapping,
    fields: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A create or edit page: a valid POST is saved by `save()`, which answers (a redirect).

    Otherwise the page shows `form` again (with `context`), a service's refusal on the field it
    names (`fields` maps service names to form names, as in `apply_error`); a POST gets a 422.
    """
    if request.method == "POST" and form.is_valid():
        try:
            return save()
        except ApplicationError as error:
            apply_error(form, error, fields=fields)
    status = 422 if request.method == "POST" else 200
    return render_console(request, membership, template, {**context, "form": form}, status=status)


def query_with(params: QueryDict, **changes: str | None) -> str:
    """The query string of `params` with some keys replaced (None removes a key)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def next_page_url(request: HttpRequest, page: Page | None) -> str:
    """The link to the page after `page`, with the same query otherwise; "" on the last page."""
    if page is None or not page.next_cursor:
        return ""
    return "?" + query_with(request.GET, cursor=page.next_cursor)


def parse_id(value: str | None) -> int | None:
    """An id typed in a query string; anything not a positive integer is no id."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None

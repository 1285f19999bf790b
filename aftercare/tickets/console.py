"""What every console view shares: the staff member's membership, its rules, and rendering."""

import re
from collections.abc import Callable, Mapping
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext as _

from aftercare.accounts.middleware import activate_organization_time_zone
from aftercare.accounts.models import Membership, Organization
from aftercare.accounts.selectors import membership_for_session, membership_list_for_user
from aftercare.customers.selectors import customer_list
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page
from aftercare.tickets.models import AgentProfile

# Digits (any script: Python's \d is Unicode-aware) with the usual phone punctuation.
_PHONE_LIKE = re.compile(r"^\+?[\d\s()\-.]{6,}$")


def console_view(
    *,
    write: bool = False,
    allowed: Callable[[Membership], bool] | None = None,
    refusal: str | Promise = "",
) -> Callable:
    """Make a view `view(request, membership, ...)`: signed in, staff, and no viewer on writes.

    With `allowed`, only members it accepts may open the view; anyone else gets a 403 saying
    `refusal`.
    """

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            membership = membership_for_session(user=request.user, session=request.session)
            if membership is None:
                return forbidden(request, None, _("This account is not staff of any organization."))
            if write and not membership.can_write:
                return forbidden(
                    request, membership, _("Your role can read requests but not change them.")
                )
            if allowed is not None and not allowed(membership):
                return forbidden(request, membership, refusal)
            activate_organization_time_zone(request, membership.organization)
            return view(request, membership, *args, **kwargs)

        return wrapper

    return decorator


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
        # Read only by the navbar's presence switch, when it is shown.
        "my_presence": SimpleLazyObject(lambda: _presence(membership)),
        **(context or {}),
    }
    return render(request, template, full, status=status)


def _presence(membership: Membership | None) -> str:
    """The member's routing presence ("available" when they never set one)."""
    if membership is None:
        return ""
    presence = (
        AgentProfile.objects.filter(
            organization_id=membership.organization_id, user_id=membership.user_id
        )
        .values_list("presence", flat=True)
        .first()
    )
    return presence or AgentProfile.Presence.AVAILABLE


def _memberships(request: HttpRequest) -> list[Membership]:
    """Every organization the user works in, for the navbar's switcher."""
    if not request.user.is_authenticated:
        return []
    return membership_list_for_user(user=request.user)


def forbidden(
    request: HttpRequest, membership: Membership | None, reason: str | Promise
) -> HttpResponse:
    """A 403 page that says why."""
    return render_console(
        request, membership, "tickets/forbidden.html", {"reason": reason}, status=403
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


def customer_search(
    *, organization: Organization, query: str, cursor: str | None, limit: int
) -> Page:
    """Customers by name or contact point; a phone number matches in any format it is typed."""
    # A phone number belongs to one customer (two at most, as phone and WhatsApp), so its
    # match is a single first page; later pages only ever continue the text search.
    if cursor is None and _PHONE_LIKE.match(query):
        page = customer_list(organization=organization, phone=query, limit=limit)
        if page.items:
            return page
    return customer_list(organization=organization, search=query, cursor=cursor, limit=limit)

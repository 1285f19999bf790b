"""Each member's own notices in the console: the bell's menu (loaded when it opens), the page of
them all (keyset-paged, newest first), and marking them read. A member sees only their own
notices in the organization they work in: anyone else's id answers 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.console.pages import console_view, next_page_url, render_console
from aftercare.lib.errors import ApplicationError
from aftercare.notifications.selectors import (
    UNREAD_COUNTED_MAX,
    console_notice_get,
    console_notice_page,
    console_notices_recent,
    console_notices_unread_count,
)
from aftercare.notifications.services import console_notice_read, console_notices_read


def _through_id(request: HttpRequest) -> int | None:
    """The newest notice the member saw when they asked to mark all read, if the form says."""
    value = (request.POST.get("through") or "").strip()
    if value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


def _back(request: HttpRequest) -> HttpResponse:
    """To the page the member was on (a path of this site), else their notices."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notices:list")


def _bell_menu(request: HttpRequest, membership: Membership) -> HttpResponse:
    organization, user = membership.organization, request.user
    context = {
        "notices": console_notices_recent(organization=organization, user=user),
        "unread": console_notices_unread_count(organization_id=organization.pk, user_id=user.pk),
        "unread_max": UNREAD_COUNTED_MAX,
    }
    return render_console(request, membership, "notifications/_bell_menu.html", context)


@console_view()
def bell_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The bell's menu: the member's latest notices and how many are unread (loaded when it
    opens, so that no page pays for it)."""
    return _bell_menu(request, membership)


@console_view()
def notices_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every notice the member was given in this organization, newest first."""
    organization = membership.organization
    try:
        page = console_notice_page(
            organization=organization, user=request.user, cursor=request.GET.get("cursor")
        )
        error = ""
    except ApplicationError as problem:
        page, error = None, problem.message
    rows = page.items if page else []
    context = {
        "notices": rows,
        "next_url": next_page_url(request, page),
        "error": error,
        "newest_id": rows[0].pk if rows and not request.GET.get("cursor") else None,
        "unread": console_notices_unread_count(
            organization_id=organization.pk, user_id=request.user.pk
        ),
    }
    return render_console(
        request, membership, "notifications/notices.html", context, status=422 if error else 200
    )


@require_POST
@console_view()
def notices_read_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Mark all the member's notices read (up to the newest they saw)."""
    console_notices_read(
        organization=membership.organization, user=request.user, through_id=_through_id(request)
    )
    if request.htmx:
        return _bell_menu(request, membership)
    messages.success(request, _("Every notice is marked read."))
    return _back(request)


@require_POST
@console_view()
def notice_read_view(
    request: HttpRequest, membership: Membership, console_notice_id: int
) -> HttpResponse:
    """Mark one of the member's notices read (they opened it); anyone else's is 404."""
    notice = console_notice_get(
        organization=membership.organization,
        user=request.user,
        console_notice_id=console_notice_id,
    )
    console_notice_read(notice=notice)
    if request.htmx or request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return _back(request)

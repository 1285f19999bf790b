"""The pages an address that leads nowhere gets: the console's own 404, in the reader's language,
inside the console's frame for staff; the API's error shape under /api/."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from aftercare.accounts.selectors import membership_chosen, membership_list_for_user
from aftercare.console.pages import render_console


def api_not_found(request: HttpRequest) -> HttpResponse:
    """An address under /api/ that no operation has: the API's error body."""
    return JsonResponse({"detail": _("Not found."), "errors": []}, status=404)


def console_not_found(request: HttpRequest) -> HttpResponse:
    """The console's 404 page: with its navigation for a member of staff, bare otherwise."""
    user = getattr(request, "user", None)
    membership = None
    if user is not None and user.is_authenticated:
        request.console_memberships = membership_list_for_user(user=user)
        membership = membership_chosen(request.console_memberships, session=request.session)
    context = {"path": request.path}
    if membership is None:
        return render(request, "console/not_found.html", context, status=404)
    return render_console(request, membership, "console/not_found.html", context, status=404)

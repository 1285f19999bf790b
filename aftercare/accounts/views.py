"""Staff sign-in, sign-out and the choice of organization for the console."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.selectors import SESSION_ORGANIZATION_KEY, membership_list_for_user


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def login_view(request: HttpRequest) -> HttpResponse:
    """Email and password sign-in for staff."""
    error = ""
    email = ""
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()
        password = request.POST.get("password") or ""
        user = authenticate(request, username=email, password=password)
        if user is None:
            error = _("Email or password is wrong.")
        elif not membership_list_for_user(user=user):
            error = _("This account has no access to the console.")
        else:
            login(request, user)
            response = redirect(_safe_next(request))
            if user.language:
                from django.conf import settings

                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(
        request,
        "accounts/login.html",
        {"error": error, "email": email, "next": request.GET.get("next", "")},
        status=401 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out."""
    logout(request)
    return redirect("accounts:login")


@require_POST
def organization_switch_view(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organizations."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    wanted = request.POST.get("organization_id", "")
    for membership in membership_list_for_user(user=request.user):
        if str(membership.organization_id) == wanted:
            request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
            messages.success(
                request, _("Now working in %(name)s.") % {"name": membership.organization.name}
            )
            break
    return redirect("tickets:queue")

"""Signing in and out, the choice of organization, and the public pages reached from an
emailed link: setting a password (an invitation or a reset), asking for a reset, confirming a
change of email."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.models import User
from aftercare.accounts.selectors import (
    SESSION_ORGANIZATION_KEY,
    SESSION_SECOND_FACTOR_KEY,
    SESSION_SEEN_AT_KEY,
    SESSION_SIGNED_IN_WITH_KEY,
    SIGNED_IN_WITH_PASSWORD,
    membership_list_for_user,
    staff_invitation_for_token,
)
from aftercare.accounts.services import (
    email_change_check,
    email_change_confirm,
    password_reset_request,
    password_sign_in,
    staff_invitation_answer,
    user_password_set,
)
from aftercare.accounts.services.audit import AuditAction, audit_origin, audit_record
from aftercare.accounts.services.second_factor import (
    second_factor_enabled,
    second_factor_verify,
    signed_in_session_ended,
    signed_in_session_record,
    signed_in_sessions_end_others,
)
from aftercare.accounts.tokens import Purpose, set_password_token_make, set_password_token_user
from aftercare.console.pages import apply_error, form_data
from aftercare.console.staff_forms import (
    PasswordResetForm,
    PasswordSetForm,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import client_ip


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _signed_in(
    request: HttpRequest, user: User, response: HttpResponse, *, second_factor: bool = False
) -> HttpResponse:
    """Sign `user` in; `response` also switches the pages to their language, if they chose one.
    Someone with an authenticator app is first asked for its code (`login_verify_view`)."""
    if not second_factor and second_factor_enabled(user=user):
        request.session[_PENDING_SESSION_KEY] = {
            "user": user.pk,
            "at": int(time.time()),
            "next": response.get("Location", "") if response.status_code == 302 else "",
        }
        return _uncached(redirect("console:login_verify"))
    request.session.pop(_PENDING_SESSION_KEY, None)
    login(request, user)
    # A customer who has become staff may carry a portal session: this one opens the console.
    request.session[SESSION_SIGNED_IN_WITH_KEY] = SIGNED_IN_WITH_PASSWORD
    request.session[SESSION_SECOND_FACTOR_KEY] = second_factor
    request.session[SESSION_SEEN_AT_KEY] = int(time.time())
    signed_in_session_record(
        user=user,
        session=request.session,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        second_factor=second_factor,
    )
    audit_record(
        action=AuditAction.SIGN_IN,
        actor=user,
        data={"second_factor": second_factor},
        **audit_origin(request),
    )
    if user.language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


def _link_opened(response: HttpResponse) -> HttpResponse:
    """The answer to opening an emailed link, whose address holds its token: a redirect to a
    page without it, that sends no Referer and is cached nowhere."""
    response["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    return response


def _uncached(response: HttpResponse) -> HttpResponse:
    """A page reached from an emailed link. It cannot also say no-referrer: a browser then
    sends its forms' POSTs with `Origin: null`, which the CSRF check refuses. Its address holds
    no token, and the site's policy (same-origin) sends no Referer to other sites."""
    add_never_cache_headers(response)
    return response


def login_view(request: HttpRequest) -> HttpResponse:
    """Email and password sign-in for staff."""
    error = ""
    email = ""
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()
        password = request.POST.get("password") or ""
        try:
            user = password_sign_in(email=email, password=password, ip=client_ip(request))
        except ApplicationError as exc:
            return render(
                request,
                "console/login.html",
                {"error": exc.message, "email": email, "next": request.POST.get("next", "")},
                status=429,
            )
        if user is None:
            error = _("Email or password is wrong.")
            # Put on the account when there is one, so its organizations' admins see it.
            audit_record(
                action=AuditAction.SIGN_IN_FAILED,
                actor=User.objects.filter(email=email).first(),
                actor_email=email,
                **audit_origin(request),
            )
        elif not membership_list_for_user(user=user):
            error = _("This account has no access to the console.")
        else:
            return _signed_in(request, user, redirect(_safe_next(request)))
    return render(
        request,
        "console/login.html",
        {"error": error, "email": email, "next": request.GET.get("next", "")},
        status=401 if error else 200,
    )


# A password was right, and the authenticator's code is still to come: whose, since when, and
# where to go then. Good for a few minutes.
_PENDING_SESSION_KEY = "second_factor_pending"
_PENDING_MAX_SECONDS = 300


def login_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    pending = request.session.get(_PENDING_SESSION_KEY) or {}
    user = None
    if pending and int(time.time()) - int(pending.get("at", 0)) <= _PENDING_MAX_SECONDS:
        user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(_PENDING_SESSION_KEY, None)
        messages.info(request, _("Sign in again: the code was not typed in time."))
        return redirect("console:login")
    error = ""
    status = 200
    if request.method == "POST":
        try:
            verified = second_factor_verify(
                user=user, code=request.POST.get("code", ""), ip=client_ip(request)
            )
        except ApplicationError as exc:
            error, status = exc.message, 429
        else:
            if verified:
                target = pending.get("next") or settings.LOGIN_REDIRECT_URL
                return _uncached(_signed_in(request, user, redirect(target), second_factor=True))
            error, status = _("That code is not right. Type the newest code from your app."), 401
            audit_record(
                action=AuditAction.SIGN_IN_FAILED,
                actor=user,
                data={"second_factor": True},
                **audit_origin(request),
            )
    context = {"error": error}
    return _uncached(render(request, "console/login_verify.html", context, status=status))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out."""
    signed_in_session_ended(session_key=request.session.session_key)
    if request.user.is_authenticated:
        audit_record(action=AuditAction.SIGN_OUT, actor=request.user, **audit_origin(request))
    logout(request)
    return redirect("console:login")


@require_POST
def organization_switch_view(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organizations."""
    if not request.user.is_authenticated:
        return redirect("console:login")
    wanted = request.POST.get("organization_id", "")
    for membership in membership_list_for_user(user=request.user):
        if str(membership.organization_id) == wanted:
            request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
            messages.success(
                request, _("Now working in %(name)s.") % {"name": membership.organization.name}
            )
            break
    return redirect(settings.LOGIN_REDIRECT_URL)


# Passwords and one's own account. The pages reached from an emailed link are public: the link's
# token is the proof.

_SET_PASSWORD_SESSION_KEY = "set_password_link"
# What stands for the token in the address once it has moved to the session.
_TOKEN_IN_SESSION = "set"
_SET_PASSWORD_URL_NAMES = {
    Purpose.INVITATION: "console:invitation_accept",
    Purpose.RESET: "console:password_reset_confirm",
}


def _link_invalid(request: HttpRequest, purpose: Purpose | None, reason: str) -> HttpResponse:
    """The page of an emailed link that no longer works, and what to do instead."""
    context = {"reason": reason, "purpose": purpose and purpose.value}
    return _uncached(render(request, "console/link_invalid.html", context, status=400))


def password_set_view(request: HttpRequest, uidb64: str, token: str, purpose: str) -> HttpResponse:
    """Choose a password from an invitation's or a reset's emailed link, then work in the
    console, signed in.

    Opening the link moves its token from the address into the session, so that it is neither
    in the browser's history nor in any Referer; the page itself is at an address without it.
    """
    purpose = Purpose(purpose)
    if token != _TOKEN_IN_SESSION:
        if set_password_token_user(uidb64=uidb64, token=token, purpose=purpose) is None:
            request.session.pop(_SET_PASSWORD_SESSION_KEY, None)
        else:
            request.session[_SET_PASSWORD_SESSION_KEY] = {
                "purpose": purpose.value,
                "uidb64": uidb64,
                "token": token,
            }
        url = reverse(
            _SET_PASSWORD_URL_NAMES[purpose], kwargs={"uidb64": uidb64, "token": _TOKEN_IN_SESSION}
        )
        return _link_opened(redirect(url))
    expired = _("This link no longer works: it was used, it expired, or the account changed.")
    stored = request.session.get(_SET_PASSWORD_SESSION_KEY) or {}
    if stored.get("purpose") != purpose.value or stored.get("uidb64") != uidb64:
        return _link_invalid(request, purpose, expired)
    user = set_password_token_user(uidb64=uidb64, token=stored["token"], purpose=purpose)
    if user is None:
        return _link_invalid(request, purpose, expired)
    form = PasswordSetForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = user_password_set(
                uidb64=uidb64,
                token=stored["token"],
                purpose=purpose,
                password=form.cleaned_data["password"],
            )
        except ApplicationError as error:
            if error.field == "token":
                return _link_invalid(request, purpose, error.message)
            apply_error(form, error)
        else:
            del request.session[_SET_PASSWORD_SESSION_KEY]
            # Every browser signed in before is signed out by the new password.
            signed_in_sessions_end_others(user=user, keep_session_key=None)
            messages.success(request, _("Your password is set. Welcome to aftercare."))
            home = settings.LOGIN_REDIRECT_URL
            if user.is_superuser and not membership_list_for_user(user=user):
                home = "admin:index"
            return _uncached(_signed_in(request, user, redirect(home)))
    context = {"form": form, "purpose": purpose.value, "account_email": user.email}
    status = 422 if request.method == "POST" else 200
    return _uncached(render(request, "console/password_set.html", context, status=status))


_RESET_EMAIL_SESSION_KEY = "password_reset_email"


def password_reset_view(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password; the answer never tells whether the address
    has an account."""
    form = PasswordResetForm(form_data(request))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            password_reset_request(
                email=email, ip=client_ip(request), language=translation.get_language() or ""
            )
        except ApplicationError as error:
            apply_error(form, error)
            status = 429 if error.code == "rate_limited" else 422
        else:
            request.session[_RESET_EMAIL_SESSION_KEY] = email.strip().lower()
            return redirect("console:password_reset_sent")
    return render(request, "console/password_reset.html", {"form": form}, status=status)


def password_reset_sent_view(request: HttpRequest) -> HttpResponse:
    """What happens next, alike for every address."""
    context = {
        "email": request.session.get(_RESET_EMAIL_SESSION_KEY, ""),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    return render(request, "console/password_reset_sent.html", context)


_EMAIL_CHANGE_SESSION_KEY = "email_change_link"


def email_change_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """Open the link mailed to the new address: its token moves into the session, and the
    confirmation page (at an address without it) says what would change."""
    request.session[_EMAIL_CHANGE_SESSION_KEY] = token
    return _link_opened(redirect("console:email_change_confirm"))


def email_change_confirm_view(request: HttpRequest) -> HttpResponse:
    """Confirm a change of email asked by the link last opened in this browser. Opening the
    link changes nothing (mail scanners open links): the page's button makes the change."""
    token = request.session.get(_EMAIL_CHANGE_SESSION_KEY, "")
    try:
        user, new_email = email_change_check(token=token)
    except ApplicationError as error:
        return _link_invalid(request, None, error.message)
    if request.method == "POST":
        try:
            user = email_change_confirm(token=token)
        except ApplicationError as error:
            return _link_invalid(request, None, error.message)
        request.session.pop(_EMAIL_CHANGE_SESSION_KEY, None)
        values = {"email": user.email}
        if request.user.is_authenticated and request.user.pk == user.pk:
            messages.success(request, _("Your email is now %(email)s.") % values)
            return _uncached(redirect("console:settings_account"))
        messages.success(request, _("Your email is now %(email)s. Sign in with it.") % values)
        return _uncached(redirect("console:login"))
    context = {"old_email": user.email, "new_email": new_email}
    return _uncached(render(request, "console/email_change_confirm.html", context))


_STAFF_INVITATION_SESSION_KEY = "staff_invitation_link"


def staff_invitation_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """Open an offer of membership's emailed link: its token moves into the session, and the
    page at an address without it asks the invitee to accept or decline. Opening changes
    nothing (mail scanners open links)."""
    request.session[_STAFF_INVITATION_SESSION_KEY] = token
    return _link_opened(redirect("console:staff_invitation_answer_page"))


def staff_invitation_answer_view(request: HttpRequest) -> HttpResponse:
    """Accept or decline the offer of membership whose link was last opened in this browser.
    Accepting makes the invitee a member in the offered role; someone who has no password yet
    (a customer, say) then chooses one."""
    offer = staff_invitation_for_token(request.session.get(_STAFF_INVITATION_SESSION_KEY, ""))
    if offer is None:
        return _link_invalid(
            request,
            None,
            _("This link no longer works: the invitation was answered, withdrawn or expired."),
        )
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            staff_invitation_answer(offer=offer, accept=accept, **audit_origin(request))
        except ApplicationError as error:
            return _link_invalid(request, None, error.message)
        request.session.pop(_STAFF_INVITATION_SESSION_KEY, None)
        values = {"organization": offer.organization.name}
        if not accept:
            messages.info(request, _("You declined to join %(organization)s.") % values)
            return _uncached(redirect("console:login"))
        user = offer.user
        if not user.has_usable_password():
            uidb64, token = set_password_token_make(user=user, purpose=Purpose.INVITATION)
            url = reverse("console:invitation_accept", kwargs={"uidb64": uidb64, "token": token})
            return _link_opened(redirect(url))
        messages.success(
            request, _("You joined %(organization)s. Sign in to start working.") % values
        )
        if request.user.is_authenticated and request.user.pk == user.pk:
            request.session[SESSION_ORGANIZATION_KEY] = offer.organization_id
            return _uncached(redirect(settings.LOGIN_REDIRECT_URL))
        return _uncached(redirect("console:login"))
    context = {"offer": offer}
    return _uncached(render(request, "console/staff_invitation_answer.html", context))

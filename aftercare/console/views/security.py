"""How one signs in, in the settings area: the authenticator app (second factor) and its
recovery codes, the browsers signed in to the account, and, for admins, whether the
organization requires a second factor of its admins and supervisors."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import SESSION_SECOND_FACTOR_KEY
from aftercare.accounts.services.audit import AuditAction, audit_origin, audit_record
from aftercare.accounts.services.second_factor import (
    membership_requires_second_factor,
    organization_second_factor_require,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_enabled,
    second_factor_verify,
    signed_in_session_end,
    signed_in_session_is_current,
    signed_in_session_list,
    signed_in_sessions_end_others,
    totp_disable,
    totp_enrol_confirm,
    totp_enrol_start,
    totp_enrolment_pending,
)
from aftercare.console.access import Access
from aftercare.console.pages import console_view, render_console
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import client_ip

# Someone whose organization requires a second factor reaches these before they have one.
_security_view = console_view(before_second_factor=True)


def _uncached(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


@_security_view
def security_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The authenticator app's state, the browsers signed in, and (admins) the organization's
    requirement. Where the requirement applies and this browser has not shown a second factor
    yet, it asks for one: setting up the app, or a code from it."""
    user = request.user
    enabled = second_factor_enabled(user=user)
    verified = bool(request.session.get(SESSION_SECOND_FACTOR_KEY))
    error = ""
    status = 200
    if request.method == "POST" and enabled:
        # A code for this browser, from an app set up in another one since it signed in.
        try:
            if second_factor_verify(
                user=user, code=request.POST.get("code", ""), ip=client_ip(request)
            ):
                request.session[SESSION_SECOND_FACTOR_KEY] = True
                messages.success(request, _("Code accepted."))
                return redirect("console:settings_security")
            error, status = _("That code is not right. Type the newest code from your app."), 422
        except ApplicationError as exc:
            error, status = exc.message, 429
    session_key = request.session.session_key
    sessions = [
        (record, signed_in_session_is_current(record, session_key))
        for record in signed_in_session_list(user=user)
    ]
    context = {
        "settings_section": "security",
        "enabled": enabled,
        "verified": verified,
        "required": membership_requires_second_factor(membership),
        "codes_left": recovery_codes_left(user=user) if enabled else 0,
        "sessions": sessions,
        "error": error,
    }
    response = render_console(
        request, membership, "console/settings/security.html", context, status=status
    )
    return _uncached(response)


@_security_view
def authenticator_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), then type the app's first
    code. The recovery codes are shown once, on success."""
    user = request.user
    if second_factor_enabled(user=user):
        return redirect("console:settings_security")
    error = ""
    status = 200
    if request.method == "POST" and request.POST.get("restart"):
        enrolment = totp_enrol_start(user=user)
    elif request.method == "POST":
        try:
            codes = totp_enrol_confirm(
                user=user, code=request.POST.get("code", ""), ip=client_ip(request)
            )
        except ApplicationError as exc:
            error = exc.message
            status = 429 if exc.code == "rate_limited" else 422
        else:
            request.session[SESSION_SECOND_FACTOR_KEY] = True
            audit_record(
                action=AuditAction.SECOND_FACTOR_ENABLED, actor=user, **audit_origin(request)
            )
            context = {"settings_section": "security", "codes": codes, "first": True}
            return _uncached(
                render_console(request, membership, "console/settings/recovery_codes.html", context)
            )
        enrolment = totp_enrolment_pending(user=user) or totp_enrol_start(user=user)
    else:
        enrolment = totp_enrolment_pending(user=user) or totp_enrol_start(user=user)
    context = {
        "settings_section": "security",
        "enrolment": enrolment,
        "error": error,
        "required": membership_requires_second_factor(membership),
    }
    response = render_console(
        request, membership, "console/settings/authenticator.html", context, status=status
    )
    return _uncached(response)


@require_POST
@_security_view
def authenticator_disable_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Turn the authenticator app off, confirmed with a code from it (or a recovery code)."""
    user = request.user
    try:
        verified = second_factor_verify(
            user=user, code=request.POST.get("code", ""), ip=client_ip(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("console:settings_security")
    if not verified:
        messages.error(request, _("That code is not right: the authenticator app stays on."))
        return redirect("console:settings_security")
    totp_disable(user=user)
    request.session[SESSION_SECOND_FACTOR_KEY] = False
    audit_record(action=AuditAction.SECOND_FACTOR_DISABLED, actor=user, **audit_origin(request))
    messages.success(request, _("The authenticator app is off: you sign in with your password."))
    return redirect("console:settings_security")


@require_POST
@_security_view
def recovery_codes_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """New recovery codes, shown once; the earlier ones stop working."""
    user = request.user
    if not (second_factor_enabled(user=user) and request.session.get(SESSION_SECOND_FACTOR_KEY)):
        messages.error(request, _("Sign in with your authenticator app first."))
        return redirect("console:settings_security")
    codes = recovery_codes_regenerate(user=user)
    audit_record(action=AuditAction.RECOVERY_CODES_REGENERATED, actor=user, **audit_origin(request))
    context = {"settings_section": "security", "codes": codes, "first": False}
    return _uncached(
        render_console(request, membership, "console/settings/recovery_codes.html", context)
    )


@require_POST
@_security_view
def session_end_view(request: HttpRequest, membership: Membership, session_id: int) -> HttpResponse:
    """Sign one of one's other browsers out."""
    signed_in_session_end(user=request.user, session_id=session_id)
    audit_record(
        action=AuditAction.SESSION_ENDED,
        actor=request.user,
        target_type="accounts.signedinsession",
        target_id=session_id,
        **audit_origin(request),
    )
    messages.success(request, _("That browser is signed out."))
    return redirect("console:settings_security")


@require_POST
@_security_view
def sessions_end_others_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Sign out every other browser signed in to the account."""
    ended = signed_in_sessions_end_others(
        user=request.user, keep_session_key=request.session.session_key
    )
    if ended:
        audit_record(
            action=AuditAction.SESSION_ENDED,
            actor=request.user,
            data={"sessions": ended},
            **audit_origin(request),
        )
    messages.success(request, _("Every other browser is signed out."))
    return redirect("console:settings_security")


@require_POST
@console_view(
    Access.ADMIN, refusal=gettext_lazy("Only admins change how the organization signs in.")
)
def organization_security_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Require (or stop requiring) a second factor of the organization's admins and
    supervisors."""
    required = request.POST.get("require_second_factor") == "on"
    organization = organization_second_factor_require(
        organization=membership.organization, required=required
    )
    audit_record(
        action=AuditAction.ORGANIZATION_SETTINGS_CHANGED,
        organization=organization,
        actor=request.user,
        target=organization,
        data={"require_second_factor": required},
        **audit_origin(request),
    )
    if required:
        messages.success(
            request,
            _(
                "Admins and supervisors now need an authenticator app: each sets one up the "
                "next time they open the console."
            ),
        )
    else:
        messages.success(request, _("A second factor is no longer required."))
    return redirect("console:settings_security")

"""The console's own pages: staff sign-in and sign-out, the choice of organization, the
settings overview, and the settings of `accounts` (members, API tokens), which sits below the
console and so has no pages of its own."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import (
    SESSION_ORGANIZATION_KEY,
    api_token_get_for_user,
    api_token_list_for_user,
    member_list,
    membership_get_by_id,
    membership_list,
    membership_list_for_user,
    team_get,
    team_list_for_settings,
)
from aftercare.accounts.services import (
    api_token_create,
    api_token_revoke,
    membership_invite,
    membership_update,
    sign_in_attempt_register,
    team_create,
    team_update,
)
from aftercare.console.access import Access
from aftercare.console.pages import apply_error, console_view, form_data, form_page, render_console
from aftercare.console.staff_forms import ApiTokenForm, MemberInviteForm, MembershipForm, TeamForm
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import client_ip


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
        try:
            sign_in_attempt_register(email=email, ip=client_ip(request))
        except ApplicationError as exc:
            return render(
                request,
                "console/login.html",
                {"error": exc.message, "email": email, "next": request.POST.get("next", "")},
                status=429,
            )
        user = authenticate(request, username=email, password=password)
        if user is None:
            error = _("Email or password is wrong.")
        elif not membership_list_for_user(user=user):
            error = _("This account has no access to the console.")
        else:
            login(request, user)
            response = redirect(_safe_next(request))
            if user.language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(
        request,
        "console/login.html",
        {"error": error, "email": email, "next": request.GET.get("next", "")},
        status=401 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out."""
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


# Only the organization's admins may open these pages.
_admin_view = console_view(
    Access.ADMIN, refusal=gettext_lazy("Only admins manage the organization's members.")
)


@console_view()
def settings_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The settings area's landing page: the sections this member's role may open."""
    return render_console(
        request, membership, "console/settings/index.html", {"settings_section": "overview"}
    )


@_admin_view
def member_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Everyone on the organization's staff, with their role and whether they are active."""
    context = {
        "settings_section": "members",
        "members": membership_list(organization=membership.organization),
    }
    return render_console(request, membership, "console/settings/members.html", context)


@_admin_view
def member_invite_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Add someone to the staff by email: a new account, or an existing one in a new role."""
    form = MemberInviteForm(form_data(request))

    def save() -> HttpResponse:
        data = form.cleaned_data
        invited = membership_invite(
            organization=membership.organization,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
        )
        messages.success(
            request,
            _("%(email)s is now a member, as %(role)s.")
            % {"email": invited.user.email, "role": invited.get_role_display()},
        )
        return redirect("console:settings_members")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="console/settings/member_invite.html",
        context={"settings_section": "members"},
    )


@_admin_view
def member_edit_view(
    request: HttpRequest, membership: Membership, membership_id: int
) -> HttpResponse:
    """Change a member's role, or deactivate or reactivate their membership."""
    member = membership_get_by_id(organization=membership.organization, membership_id=membership_id)
    form = MembershipForm(
        form_data(request), initial={"role": member.role, "is_active": member.is_active}
    )

    def save() -> HttpResponse:
        membership_update(
            membership=member,
            role=form.cleaned_data["role"],
            is_active=form.cleaned_data["is_active"],
            actor=request.user,
        )
        messages.success(request, _("Changes to %(name)s saved.") % {"name": member.user})
        return redirect("console:settings_members")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="console/settings/member_edit.html",
        context={"settings_section": "members", "member": member},
    )


def _render_tokens(
    request: HttpRequest, membership: Membership, form: ApiTokenForm, *, status: int = 200
) -> HttpResponse:
    """The member's token page with `form` as the new-token form."""
    context = {
        "settings_section": "tokens",
        "tokens": api_token_list_for_user(user=request.user, organization=membership.organization),
        "form": form,
    }
    return render_console(
        request, membership, "console/settings/tokens.html", context, status=status
    )


@console_view()
def token_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The member's own API tokens in this organization, and a form for a new one."""
    return _render_tokens(request, membership, ApiTokenForm())


@require_POST
@console_view()
def token_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new personal token; its key is shown on this response once and never again."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = api_token_create(
                user=request.user,
                organization=membership.organization,
                name=form.cleaned_data["name"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            context = {"settings_section": "tokens", "token": token, "key": key}
            response = render_console(
                request, membership, "console/settings/token_created.html", context
            )
            add_never_cache_headers(response)
            return response
    return _render_tokens(request, membership, form, status=422)


@require_POST
@console_view()
def token_revoke_view(request: HttpRequest, membership: Membership, token_id: int) -> HttpResponse:
    """Revoke one of the member's own tokens; it stops working at once."""
    token = api_token_get_for_user(
        user=request.user, organization=membership.organization, token_id=token_id
    )
    api_token_revoke(token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("console:settings_tokens")


# Only admins and supervisors may open the team pages.
_team_manager_view = console_view(
    Access.MANAGE,
    refusal=gettext_lazy("Only admins and supervisors manage teams and categories."),
)


def _team_candidates(membership: Membership) -> list[Membership]:
    """Active staff who can work requests (everyone but viewers), by name."""
    members = member_list(organization=membership.organization)
    return [member for member in members if member.can_write]


@_team_manager_view
def team_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every team, active or not, with its members."""
    context = {
        "settings_section": "teams",
        "teams": team_list_for_settings(organization=membership.organization),
    }
    return render_console(request, membership, "console/settings/teams.html", context)


@_team_manager_view
def team_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new team and its members."""
    form = TeamForm(form_data(request), members=_team_candidates(membership), editing=False)

    def save() -> HttpResponse:
        team = team_create(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            members=form.chosen_members(),
            assignment=form.cleaned_data["assignment"],
        )
        messages.success(request, _("Team %(name)s created.") % {"name": team.name})
        return redirect("console:settings_teams")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="console/settings/team_form.html",
        context={"settings_section": "teams", "team": None},
        fields={"assignee_id": "members"},
    )


@_team_manager_view
def team_edit_view(request: HttpRequest, membership: Membership, team_id: int) -> HttpResponse:
    """Rename a team, set its members, or deactivate or reactivate it."""
    team = team_get(organization=membership.organization, team_id=team_id)
    initial = {
        "name": team.name,
        "members": [str(user.pk) for user in team.members.all()],
        "is_active": team.is_active,
        "assignment": team.assignment,
    }
    form = TeamForm(
        form_data(request), initial=initial, members=_team_candidates(membership), editing=True
    )

    def save() -> HttpResponse:
        saved = team_update(
            team=team,
            name=form.cleaned_data["name"],
            members=form.chosen_members(),
            is_active=form.cleaned_data["is_active"],
            assignment=form.cleaned_data["assignment"],
        )
        messages.success(request, _("Team %(name)s saved.") % {"name": saved.name})
        return redirect("console:settings_teams")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="console/settings/team_form.html",
        context={"settings_section": "teams", "team": team},
    )

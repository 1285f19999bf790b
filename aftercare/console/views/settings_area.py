"""The settings area's own pages: the overview, the members and their invitations, API
tokens, teams, and one's own account."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.mail import MailOutcome
from aftercare.accounts.models import Membership, StaffInvitation
from aftercare.accounts.selectors import (
    api_token_get_for_user,
    api_token_list_for_user,
    member_list,
    membership_get_by_id,
    membership_list,
    staff_invitation_get,
    staff_invitation_pending_list,
    team_get,
    team_list_for_settings,
)
from aftercare.accounts.services import (
    AuditAction,
    api_token_create,
    api_token_revoke,
    audit_origin,
    audit_record,
    email_change_request,
    membership_invitation_resend,
    membership_invite,
    membership_update,
    staff_invitation_resend,
    staff_invitation_withdraw,
    team_create,
    team_update,
    user_password_change,
)
from aftercare.accounts.services.second_factor import signed_in_sessions_end_others
from aftercare.console.access import Access
from aftercare.console.pages import apply_error, console_view, form_data, form_page, render_console
from aftercare.console.staff_forms import (
    ApiTokenForm,
    EmailChangeForm,
    MemberInviteForm,
    MembershipForm,
    PasswordChangeForm,
    TeamForm,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import client_ip

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
        "offers": staff_invitation_pending_list(organization=membership.organization),
    }
    return render_console(request, membership, "console/settings/members.html", context)


@_admin_view
def member_invite_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Add someone to the staff by email: a new account, or an existing one in a new role."""
    form = MemberInviteForm(form_data(request))

    def save() -> HttpResponse:
        data = form.cleaned_data
        invitation = membership_invite(
            organization=membership.organization,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            invited_by=request.user,
            **audit_origin(request),
        )
        if invitation.offer is not None:
            _tell_of_offer_mail(request, invitation.offer, invitation.mail)
        else:
            _tell_of_membership_mail(request, invitation.membership, invitation.mail)
        return redirect("console:settings_members")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="console/settings/member_invite.html",
        context={"settings_section": "members"},
    )


def _tell_of_offer_mail(request: HttpRequest, offer: StaffInvitation, outcome: MailOutcome) -> None:
    """Tell the admin that someone with an account was invited, and whether the mail went."""
    values = {"email": offer.user.email, "role": offer.get_role_display()}
    if outcome.failed:
        messages.warning(
            request,
            _(
                "%(email)s already has an account, so they join as %(role)s once they accept, "
                "but the invitation could not be emailed: use “Mail again” once the mail server "
                "works."
            )
            % values,
        )
    else:
        messages.success(
            request,
            _(
                "%(email)s already has an account: we emailed them an invitation to join as "
                "%(role)s. They become a member once they accept."
            )
            % values,
        )


@require_POST
@_admin_view
def member_offer_resend_view(
    request: HttpRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    """Mail a waiting invitation again, with a new link."""
    offer = staff_invitation_get(organization=membership.organization, invitation_id=invitation_id)
    values = {"email": offer.user.email}
    try:
        outcome = staff_invitation_resend(offer=offer, actor=request.user, **audit_origin(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if outcome.sent:
            messages.success(request, _("The invitation was emailed again to %(email)s.") % values)
        else:
            messages.error(
                request,
                _(
                    "The invitation to %(email)s could not be emailed: the mail server did not "
                    "take it. Try again later."
                )
                % values,
            )
    return redirect("console:settings_members")


@require_POST
@_admin_view
def member_offer_withdraw_view(
    request: HttpRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    """Take back a waiting invitation: its links stop working."""
    offer = staff_invitation_get(organization=membership.organization, invitation_id=invitation_id)
    staff_invitation_withdraw(offer=offer, actor=request.user, **audit_origin(request))
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": offer.user.email}
    )
    return redirect("console:settings_members")


def _tell_of_membership_mail(
    request: HttpRequest, member: Membership, outcome: MailOutcome
) -> None:
    """Tell the admin who invited someone what became of the mail to them."""
    values = {"email": member.user.email, "role": member.get_role_display()}
    invited = not member.user.has_usable_password()
    if outcome.sent and invited:
        messages.success(
            request,
            _(
                "%(email)s is now a member, as %(role)s. We emailed them an invitation to "
                "choose a password."
            )
            % values,
        )
    elif outcome.sent:
        messages.success(
            request,
            _("%(email)s is now a member, as %(role)s. We emailed them to say so.") % values,
        )
    elif outcome.failed and invited:
        messages.warning(
            request,
            _(
                "%(email)s is now a member, as %(role)s, but the invitation could not be emailed: "
                "the mail server did not take it. Use “Resend invitation” on their row once it "
                "works again."
            )
            % values,
        )
    elif outcome.failed:
        messages.warning(
            request,
            _(
                "%(email)s is now a member, as %(role)s, but the email telling them could not be "
                "sent. They can sign in as usual."
            )
            % values,
        )
    else:
        messages.success(request, _("%(email)s is now a member, as %(role)s.") % values)


@require_POST
@_admin_view
def member_invitation_resend_view(
    request: HttpRequest, membership: Membership, membership_id: int
) -> HttpResponse:
    """Mail the invitation again to a member who never set a password."""
    member = membership_get_by_id(organization=membership.organization, membership_id=membership_id)
    try:
        outcome = membership_invitation_resend(
            membership=member, actor=request.user, **audit_origin(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if outcome.sent:
            messages.success(
                request,
                _("The invitation was emailed again to %(email)s.") % {"email": member.user.email},
            )
        else:
            messages.error(
                request,
                _(
                    "The invitation to %(email)s could not be emailed: the mail server did not "
                    "take it. Try again later."
                )
                % {"email": member.user.email},
            )
    return redirect("console:settings_members")


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
            **audit_origin(request),
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
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(now=timezone.now()),
                **audit_origin(request),
            )
        except ApplicationError as error:
            apply_error(form, error, fields={"expires_at": "lifetime"})
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
    token.organization = membership.organization
    api_token_revoke(token=token, actor=request.user, **audit_origin(request))
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
            actor=request.user,
            **audit_origin(request),
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
            actor=request.user,
            **audit_origin(request),
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


def _render_account(
    request: HttpRequest,
    membership: Membership,
    *,
    email_form: EmailChangeForm,
    password_form: PasswordChangeForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "settings_section": "account",
        "email_form": email_form,
        "password_form": password_form,
    }
    return render_console(
        request, membership, "console/settings/account.html", context, status=status
    )


@console_view()
def account_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The signed-in member's own account: who they are, a change of email or of password."""
    form = EmailChangeForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            new_email = email_change_request(
                user=request.user,
                new_email=form.cleaned_data["new_email"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            audit_record(
                action=AuditAction.EMAIL_CHANGE_REQUESTED,
                actor=request.user,
                target=request.user,
                data={"new_email": new_email},
                **audit_origin(request),
            )
            messages.success(
                request,
                _(
                    "We emailed a confirmation link to %(email)s. Your email changes once you "
                    "open it; until then you sign in with the current one."
                )
                % {"email": new_email},
            )
            return redirect("console:settings_account")
    status = 422 if request.method == "POST" else 200
    return _render_account(
        request, membership, email_form=form, password_form=PasswordChangeForm(), status=status
    )


@require_POST
@console_view()
def account_password_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Change one's own password; this browser stays signed in, every other one is signed out."""
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            user = user_password_change(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            audit_record(
                action=AuditAction.PASSWORD_CHANGED,
                actor=user,
                target=user,
                **audit_origin(request),
            )
            update_session_auth_hash(request, user)
            # Other browsers are signed out by the new password; their list says so too.
            signed_in_sessions_end_others(user=user, keep_session_key=request.session.session_key)
            messages.success(request, _("Your password is changed."))
            return redirect("console:settings_account")
    return _render_account(
        request, membership, email_form=EmailChangeForm(), password_form=form, status=422
    )

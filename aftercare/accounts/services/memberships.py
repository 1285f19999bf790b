"""Organizations, users and memberships: creating them, inviting staff by mail, roles."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.accounts.mail import (
    MailOutcome,
    StaffMail,
    console_url,
    mail_language,
    staff_mail_send,
)
from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.tokens import (
    Purpose,
    set_password_token_make,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import rate_limit_hit
from aftercare.lib.text import strip_invisible


@transaction.atomic
def organization_create(
    *,
    name: str,
    slug: str,
    country: str = "IR",
    default_language: str = "en",
    time_zone: str = "UTC",
) -> Organization:
    """A new tenant."""
    if Organization.objects.filter(slug=slug).exists():
        raise ApplicationError(_("This slug is already taken."), field="slug")
    return Organization.objects.create(
        name=strip_invisible(name).strip(),
        slug=slug,
        country=country.upper(),
        default_language=default_language,
        time_zone=time_zone,
    )


@transaction.atomic
def user_create(
    *, email: str, password: str | None = None, full_name: str = "", language: str = ""
) -> User:
    """A user who can sign in with email (and password, if given)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise ApplicationError(_("A user with this email already exists."), field="email")
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=strip_invisible(full_name).strip(),
        language=language,
    )


@transaction.atomic
def membership_create(
    *, organization: Organization, user: User, role: str, invited_by: User | None = None
) -> Membership:
    """Make a user staff of an organization with a role."""
    if role not in Membership.Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role, "invited_by": invited_by}
    )
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    return membership


@dataclass(frozen=True)
class Invitation:
    """A new membership, and what became of the mail telling the person of it."""

    membership: Membership
    mail: MailOutcome


@transaction.atomic
def membership_invite(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    role: str,
    invited_by: User | None = None,
) -> Invitation:
    """Make someone staff by email: a new user (without a usable password) or an existing one,
    mailed once the membership is committed (`Invitation.mail` says how that went)."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="email") from None
    full_name = strip_invisible(full_name or "").strip()
    if len(full_name) > 200:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": 200}, field="full_name"
        )
    if role not in Membership.Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name)
    existing = Membership.objects.filter(organization=organization, user=user).first()
    if existing is not None and existing.is_active:
        raise ApplicationError(_("This person is already a member."), field="email")
    if existing is not None:
        raise ApplicationError(
            _("This person's membership is deactivated: reactivate it from the member list."),
            field="email",
        )
    membership = membership_create(
        organization=organization, user=user, role=role, invited_by=invited_by
    )
    mail = MailOutcome()
    # Sent by the request once committed, so the admin learns at once whether it went out; a
    # mail server that fails leaves the membership in place, to be mailed again from the list.
    transaction.on_commit(
        partial(_membership_mail_after_commit, membership_id=membership.pk, outcome=mail),
        robust=True,
    )
    return Invitation(membership=membership, mail=mail)


def _membership_mail_after_commit(*, membership_id: int, outcome: MailOutcome) -> None:
    membership = Membership.objects.select_related("user", "organization", "invited_by").get(
        pk=membership_id
    )
    outcome.sent = membership_mail_send(membership=membership)


def membership_mail_send(*, membership: Membership) -> bool:
    """Tell someone of their membership by mail, in their language (else the organization's):
    an invitation with a set-password link when they have no password yet, else a notice that
    they were added. Records the outcome on the membership; False when the mail failed."""
    user, organization = membership.user, membership.organization
    language = mail_language(user.language, organization.default_language)
    with translation.override(language):
        values = {
            "to": user.email,
            "email": user.email,
            "name": user.full_name,
            "organization": organization.name,
            "role": membership.get_role_display(),
            "inviter": membership.invited_by.display_name if membership.invited_by else "",
            "days": settings.INVITATION_MAX_AGE_DAYS,
        }
        if not values["inviter"]:
            values["inviter"] = _("An admin")
        if user.has_usable_password():
            # Someone who already has an account is added at once and told so. A later change
            # turns this into an invitation to accept before the membership takes effect: that
            # mail is written here, and the membership is then created inactive until accepted.
            mail = StaffMail(
                template="added",
                subject=_("You were added to %(organization)s") % values,
                values=values,
                url=console_url("login"),
                action=_("Sign in to the console"),
            )
        else:
            uidb64, token = set_password_token_make(user=user, purpose=Purpose.INVITATION)
            mail = StaffMail(
                template="invitation",
                subject=_("%(inviter)s invited you to %(organization)s") % values,
                values=values,
                url=console_url("invitation_accept", uidb64=uidb64, token=token),
                action=_("Choose your password"),
            )
    sent = staff_mail_send(mail, language=language)
    status = Membership.InvitationStatus.SENT if sent else Membership.InvitationStatus.FAILED
    changes: dict = {"invitation_status": status}
    if sent:
        changes["invitation_sent_at"] = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(**changes)
    for name, value in changes.items():
        setattr(membership, name, value)
    return sent


def membership_invitation_resend(*, membership: Membership) -> MailOutcome:
    """Mail the invitation again to a member who never set a password (a new link; earlier
    ones keep working until they expire or a password is set)."""
    if not membership.is_active:
        raise ApplicationError(
            _("This membership is deactivated: reactivate it first."), field="membership"
        )
    if membership.user.has_usable_password():
        raise ApplicationError(
            _("%(email)s has already set a password: they sign in as usual.")
            % {"email": membership.user.email},
            field="membership",
        )
    allowed = rate_limit_hit(
        key=f"invitation-resend:{membership.pk}",
        limit=settings.INVITATION_RESEND_MAX_PER_HOUR,
        window_seconds=3600,
    )
    if not allowed:
        raise ApplicationError(
            _("This invitation was mailed several times in the last hour. Try again later."),
            field="membership",
            code="rate_limited",
        )
    return MailOutcome(sent=membership_mail_send(membership=membership))


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, is_active: bool, actor: User
) -> Membership:
    """Change a member's role or (de)activate them; nobody demotes or deactivates themselves."""
    if role not in Membership.Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    admin = Membership.Role.ADMIN
    # Lock the organization's admins first, so two admins demoting each other at the same time
    # cannot leave the organization without one.
    admin_ids = list(
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=admin, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == actor.pk:
        if not is_active:
            raise ApplicationError(
                _("You cannot deactivate your own membership."), field="is_active"
            )
        if membership.role == admin and role != admin:
            raise ApplicationError(_("You cannot remove your own admin role."), field="role")
    losing_admin = membership.pk in admin_ids and not (is_active and role == admin)
    if losing_admin and len(admin_ids) == 1:
        raise ApplicationError(_("The organization needs at least one active admin."), field="role")
    membership.role = role
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active"])
    return membership

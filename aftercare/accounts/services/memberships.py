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
from aftercare.accounts.models import Membership, Organization, StaffInvitation, User
from aftercare.accounts.services.audit import AuditAction, audit_record
from aftercare.accounts.tokens import (
    Purpose,
    set_password_token_make,
    staff_invitation_token_make,
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
    """What inviting someone made, and what became of the mail telling them of it: a new
    membership (someone without an account, who chooses a password) or, for someone who already
    has an account, an offer that takes effect only once they accept it."""

    mail: MailOutcome
    membership: Membership | None = None
    offer: StaffInvitation | None = None


@transaction.atomic
def membership_invite(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    role: str,
    invited_by: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Invitation:
    """Invite someone to the staff by email, mailed once committed (`Invitation.mail` says how
    that went). Someone new becomes a member without a usable password and is mailed a link to
    choose one. Someone who already has an account (staff elsewhere, or a customer) is mailed
    an offer instead: nothing changes for them, and the organization sees nothing of them but
    the email it typed, until they accept."""
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
    origin = {"ip": ip, "user_agent": user_agent}
    if user is not None:
        offer = _offer_make(organization=organization, user=user, role=role, invited_by=invited_by)
        # Labelled with the typed email only: an offer tells the organization nothing more.
        audit_record(
            action=AuditAction.MEMBER_INVITED,
            organization=organization,
            actor=invited_by,
            target=offer,
            target_label=email,
            data={"role": role, "needs_acceptance": True},
            **origin,
        )
        mail = MailOutcome()
        transaction.on_commit(
            partial(_offer_mail_after_commit, offer_id=offer.pk, outcome=mail), robust=True
        )
        return Invitation(offer=offer, mail=mail)
    user = user_create(email=email, full_name=full_name)
    membership = membership_create(
        organization=organization, user=user, role=role, invited_by=invited_by
    )
    audit_record(
        action=AuditAction.MEMBER_INVITED,
        organization=organization,
        actor=invited_by,
        target=user,
        target_label=email,
        data={"role": role, "needs_acceptance": False},
        **origin,
    )
    mail = MailOutcome()
    # Sent by the request once committed, so the admin learns at once whether it went out; a
    # mail server that fails leaves the membership in place, to be mailed again from the list.
    transaction.on_commit(
        partial(_membership_mail_after_commit, membership_id=membership.pk, outcome=mail),
        robust=True,
    )
    return Invitation(membership=membership, mail=mail)


def _offer_make(
    *, organization: Organization, user: User, role: str, invited_by: User | None
) -> StaffInvitation:
    existing = Membership.objects.filter(organization=organization, user=user).first()
    if existing is not None and existing.is_active:
        raise ApplicationError(_("This person is already a member."), field="email")
    if existing is not None:
        raise ApplicationError(
            _("This person's membership is deactivated: reactivate it from the member list."),
            field="email",
        )
    pending = StaffInvitation.objects.filter(
        organization=organization, user=user, answered_at__isnull=True
    ).exists()
    if pending:
        raise ApplicationError(
            _(
                "An invitation to this address is already waiting for an answer: mail it again "
                "from the member list."
            ),
            field="email",
        )
    return StaffInvitation.objects.create(
        organization=organization, user=user, role=role, invited_by=invited_by
    )


def _offer_mail_after_commit(*, offer_id: int, outcome: MailOutcome) -> None:
    offer = StaffInvitation.objects.select_related("user", "organization", "invited_by").get(
        pk=offer_id
    )
    outcome.sent = staff_invitation_mail_send(offer=offer)


def staff_invitation_mail_send(*, offer: StaffInvitation) -> bool:
    """Mail an offer of membership with a link to accept or decline it, in the invitee's
    language (else the organization's). Records the outcome; False when the mail failed."""
    language = mail_language(offer.user.language, offer.organization.default_language)
    with translation.override(language):
        values = _invitation_values(offer)
        mail = StaffMail(
            template="offer",
            subject=_("%(inviter)s invites you to %(organization)s") % values,
            values=values,
            url=console_url("staff_invitation_answer", token=staff_invitation_token_make(offer)),
            action=_("Accept or decline"),
        )
    return _invitation_mail_send(mail, language=language, invited=offer)


def staff_invitation_resend(
    *,
    offer: StaffInvitation,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> MailOutcome:
    """Mail a waiting offer again, with a new link (earlier links keep working until they
    expire or the offer is answered)."""
    if offer.answered_at is not None:
        raise ApplicationError(_("This invitation was already answered."), field="invitation")
    allowed = rate_limit_hit(
        key=f"staff-invitation-resend:{offer.pk}",
        limit=settings.INVITATION_RESEND_MAX_PER_HOUR,
        window_seconds=3600,
    )
    if not allowed:
        raise ApplicationError(
            _("This invitation was mailed several times in the last hour. Try again later."),
            field="invitation",
            code="rate_limited",
        )
    audit_record(
        action=AuditAction.INVITATION_RESENT,
        organization=offer.organization,
        actor=actor,
        target=offer,
        target_label=offer.user.email,
        ip=ip,
        user_agent=user_agent,
    )
    return MailOutcome(sent=staff_invitation_mail_send(offer=offer))


@transaction.atomic
def staff_invitation_withdraw(
    *,
    offer: StaffInvitation,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> StaffInvitation:
    """Take back an offer nobody answered yet; its links stop working (the row is kept)."""
    offer = StaffInvitation.objects.select_for_update().get(pk=offer.pk)
    if offer.answered_at is not None:
        raise ApplicationError(_("This invitation was already answered."), field="invitation")
    offer.answered_at = timezone.now()
    offer.withdrawn = True
    offer.save(update_fields=["answered_at", "withdrawn"])
    audit_record(
        action=AuditAction.INVITATION_WITHDRAWN,
        organization_id=offer.organization_id,
        actor=actor,
        target=offer,
        target_label=offer.user.email,
        ip=ip,
        user_agent=user_agent,
    )
    return offer


@transaction.atomic
def staff_invitation_answer(
    *, offer: StaffInvitation, accept: bool, ip: str | None = None, user_agent: str = ""
) -> Membership | None:
    """The invitee's answer to an offer: accepting makes them a member in the offered role;
    declining leaves everything as it was. Answered once."""
    offer = StaffInvitation.objects.select_for_update().select_related("user").get(pk=offer.pk)
    if offer.answered_at is not None:
        raise ApplicationError(
            _("This invitation was already answered or withdrawn."), field="invitation"
        )
    if not offer.user.is_active:
        raise ApplicationError(_("This account is deactivated."), field="invitation")
    offer.answered_at = timezone.now()
    offer.accepted = accept
    offer.save(update_fields=["answered_at", "accepted"])
    audit_record(
        action=AuditAction.INVITATION_ACCEPTED if accept else AuditAction.INVITATION_DECLINED,
        organization_id=offer.organization_id,
        actor=offer.user,
        target=offer,
        target_label=offer.user.email,
        ip=ip,
        user_agent=user_agent,
        data={"role": offer.role},
    )
    if not accept:
        return None
    membership = Membership.objects.filter(
        organization_id=offer.organization_id, user=offer.user
    ).first()
    if membership is not None and not membership.is_active:
        # Deactivated since the offer was made: an admin's decision the offer does not undo.
        raise ApplicationError(
            _("Your membership there was deactivated: ask an admin to reactivate it."),
            field="invitation",
        )
    if membership is not None:
        return membership
    return Membership.objects.create(
        organization_id=offer.organization_id,
        user=offer.user,
        role=offer.role,
        invited_by_id=offer.invited_by_id,
        invitation_status=offer.invitation_status,
        invitation_sent_at=offer.invitation_sent_at,
    )


def _membership_mail_after_commit(*, membership_id: int, outcome: MailOutcome) -> None:
    membership = Membership.objects.select_related("user", "organization", "invited_by").get(
        pk=membership_id
    )
    outcome.sent = membership_mail_send(membership=membership)


def membership_mail_send(*, membership: Membership) -> bool:
    """Mail a new member who has no password yet an invitation with a link to choose one, in
    their language (else the organization's). Records the outcome on the membership; False when
    the mail failed."""
    user = membership.user
    language = mail_language(user.language, membership.organization.default_language)
    with translation.override(language):
        values = _invitation_values(membership)
        uidb64, token = set_password_token_make(user=user, purpose=Purpose.INVITATION)
        mail = StaffMail(
            template="invitation",
            subject=_("%(inviter)s invited you to %(organization)s") % values,
            values=values,
            url=console_url("invitation_accept", uidb64=uidb64, token=token),
            action=_("Choose your password"),
        )
    return _invitation_mail_send(mail, language=language, invited=membership)


def _invitation_values(invited: Membership | StaffInvitation) -> dict:
    """What an invitation's mail says, in the active language."""
    user = invited.user
    return {
        "to": user.email,
        "email": user.email,
        "name": user.full_name,
        "organization": invited.organization.name,
        "role": invited.get_role_display(),
        "inviter": invited.invited_by.display_name if invited.invited_by else _("An admin"),
        "days": settings.INVITATION_MAX_AGE_DAYS,
    }


def _invitation_mail_send(
    mail: StaffMail, *, language: str, invited: Membership | StaffInvitation
) -> bool:
    """Send an invitation's mail and record on the membership or offer what became of it."""
    sent = staff_mail_send(mail, language=language)
    status = Membership.InvitationStatus.SENT if sent else Membership.InvitationStatus.FAILED
    changes: dict = {"invitation_status": status}
    if sent:
        changes["invitation_sent_at"] = timezone.now()
    type(invited).objects.filter(pk=invited.pk).update(**changes)
    for name, value in changes.items():
        setattr(invited, name, value)
    return sent


def membership_invitation_resend(
    *,
    membership: Membership,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> MailOutcome:
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
    audit_record(
        action=AuditAction.INVITATION_RESENT,
        organization_id=membership.organization_id,
        actor=actor,
        target=membership.user,
        ip=ip,
        user_agent=user_agent,
    )
    return MailOutcome(sent=membership_mail_send(membership=membership))


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    role: str,
    is_active: bool,
    actor: User,
    ip: str | None = None,
    user_agent: str = "",
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
    previous_role, was_active = membership.role, membership.is_active
    membership.role = role
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active"])
    origin = {"actor": actor, "target": membership.user, "ip": ip, "user_agent": user_agent}
    if previous_role != role:
        audit_record(
            action=AuditAction.MEMBER_ROLE_CHANGED,
            organization_id=membership.organization_id,
            data={"role": {"from": previous_role, "to": role}},
            **origin,
        )
    if was_active != is_active:
        audit_record(
            action=AuditAction.MEMBER_REACTIVATED if is_active else AuditAction.MEMBER_DEACTIVATED,
            organization_id=membership.organization_id,
            **origin,
        )
    return membership

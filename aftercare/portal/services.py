"""Every write the customer portal makes of its own: sign-in links and tracking attempts."""

import datetime
import logging
import secrets
import smtplib
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.accounts.selectors import user_has_console_access
from aftercare.accounts.services import user_create
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_for_portal_user
from aftercare.customers.services import customer_get_or_create_for_email, customer_link_user
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.ratelimit import rate_limit_hit
from aftercare.portal.models import PortalLoginLink

logger = logging.getLogger(__name__)

# Defaults for limits a deployment may tune in settings without touching this module.
_LINK_WINDOW_MINUTES = 15
_LINKS_PER_EMAIL = 5
_LINKS_PER_IP = 20
_TRACK_WINDOW_MINUTES = 15
_TRACKS_PER_IP = 20


class PortalSignIn(NamedTuple):
    """Who a spent sign-in link signs in, and the language the link was asked for in."""

    user: User
    customer: Customer
    language: str


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _active_language() -> str:
    language = (translation.get_language() or "").split("-")[0]
    return language if is_language(language) else ""


def _clean_email(email: str) -> str:
    value = (email or "").strip().lower()
    if not value:
        raise ApplicationError(_("Enter your email address."), field="email")
    if len(value) > 254:
        raise ApplicationError(_("Enter a valid email address."), field="email")
    try:
        validate_email(value)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="email") from None
    return value


def _check_link_rate(*, email: str, requested_ip: str | None) -> None:
    since = timezone.now() - datetime.timedelta(
        minutes=_setting("PORTAL_LOGIN_LINK_WINDOW_MINUTES", _LINK_WINDOW_MINUTES)
    )
    recent = PortalLoginLink.objects.filter(created_at__gte=since)
    # Counted across organizations: the limits protect inboxes and the mail server.
    too_many = recent.filter(email=email).count() >= _setting(
        "PORTAL_LOGIN_LINK_MAX_PER_EMAIL", _LINKS_PER_EMAIL
    )
    if not too_many and requested_ip:
        too_many = recent.filter(requested_ip=requested_ip).count() >= _setting(
            "PORTAL_LOGIN_LINK_MAX_PER_IP", _LINKS_PER_IP
        )
    if too_many:
        raise ApplicationError(
            _("Too many sign-in links were asked for. Wait a few minutes and try again."),
            field="email",
            code="rate_limited",
        )


def portal_login_link_create(
    *,
    organization: Organization,
    email: str,
    minutes: int,
    language: str = "",
    requested_ip: str | None = None,
) -> tuple[PortalLoginLink, str]:
    """A new one-time sign-in link for `email`, good for `minutes`; its path on this site
    (the token is in it, and nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = PortalLoginLink.objects.create(
        organization=organization,
        email=email,
        token_hash=PortalLoginLink.hash_token(token),
        language=language,
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=minutes),
        requested_ip=requested_ip or None,
    )
    path = reverse("portal:login_link", kwargs={"org_slug": organization.slug, "token": token})
    return link, path


def portal_login_link_request(
    *, organization: Organization, email: str, requested_ip: str | None
) -> PortalLoginLink:
    """Email a one-time sign-in link in the active language, alike for known and new addresses."""
    # Known and unknown addresses take the same path, so no answer tells them apart.
    email = _clean_email(email)
    _check_link_rate(email=email, requested_ip=requested_ip)
    minutes = settings.PORTAL_LOGIN_LINK_MINUTES
    link, path = portal_login_link_create(
        organization=organization,
        email=email,
        minutes=minutes,
        language=_active_language(),
        requested_ip=requested_ip,
    )
    context = {
        "organization": organization,
        "url": f"{settings.SITE_URL}{path}",
        "minutes": minutes,
    }
    # A line break in a header makes the mail library raise, so the name is kept on one line.
    name = " ".join(organization.name.split())
    subject = _("Your sign-in link for %(organization)s") % {"organization": name}
    body = render_to_string("portal/email/login_link.txt", context)
    try:
        send_mail(subject, body, None, [email])
    except (OSError, smtplib.SMTPException):
        logger.exception("Sending a portal sign-in link failed")
        # A link nobody received must not count against the rate limit.
        PortalLoginLink.objects.filter(pk=link.pk).delete()
        raise ApplicationError(
            _("The email could not be sent just now. Try again in a few minutes."),
            field="email",
            code="unavailable",
        ) from None
    return link


def _link_for_token(
    *, organization: Organization, token: str, lock: bool = True
) -> PortalLoginLink:
    links = PortalLoginLink.objects.select_for_update() if lock else PortalLoginLink.objects
    link = links.filter(
        organization=organization, token_hash=PortalLoginLink.hash_token(token or "")
    ).first()
    if link is None:
        raise ApplicationError(
            _("This sign-in link is not valid. Ask for a new one."), field="token", code="invalid"
        )
    if link.used_at is not None:
        raise ApplicationError(
            _("This sign-in link was already used. Each link works only once; ask for a new one."),
            field="token",
            code="used",
        )
    if link.is_expired:
        raise ApplicationError(
            _("This sign-in link has expired. Ask for a new one."), field="token", code="expired"
        )
    return link


def _existing_user_check(user: User | None) -> None:
    """Refuse a link for a disabled account, or for staff: a member of any organization (or an
    account with Django admin access) signs in with its password, never by an emailed link."""
    if user is None:
        return
    if not user.is_active:
        raise ApplicationError(
            _("This account is disabled. Contact support."), field="token", code="disabled"
        )
    if user.is_staff or user.is_superuser or user_has_console_access(user=user):
        raise ApplicationError(
            _("This account signs in with its password on the staff sign-in page."),
            field="token",
            code="staff",
        )


def _user_for_email(*, email: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    _existing_user_check(user)
    return user or user_create(email=email, language=language)


def portal_login_link_check(*, organization: Organization, token: str) -> PortalLoginLink:
    """The link behind `token` if it can sign someone in, spending nothing (opening the link
    shows a button; only pressing it signs in, so a mail scanner's visit changes nothing)."""
    link = _link_for_token(organization=organization, token=token, lock=False)
    _existing_user_check(User.objects.filter(email=link.email).first())
    return link


@transaction.atomic
def portal_login_link_use(*, organization: Organization, token: str) -> PortalSignIn:
    """Spend a sign-in link: the account and customer owning its email, created if new, linked."""
    link = _link_for_token(organization=organization, token=token)
    user = _user_for_email(email=link.email, language=link.language)
    customer = customer_get_or_create_for_email(
        organization=organization, email=link.email, language=link.language
    )
    current = customer_for_portal_user(organization=organization, user=user)
    if (customer.user_id not in (None, user.pk)) or (current is not None and current != customer):
        raise ApplicationError(
            _(
                "This email belongs to a customer record that signs in with another address. "
                "Use that address, or contact support."
            ),
            field="token",
            code="conflict",
        )
    customer_link_user(customer=customer, user=user)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return PortalSignIn(user=user, customer=customer, language=link.language)


def portal_track_attempt_register(*, ip: str | None) -> None:
    """Count a tracking attempt from this address; past the limit it is refused."""
    window = _setting("PORTAL_TRACK_WINDOW_MINUTES", _TRACK_WINDOW_MINUTES) * 60
    allowed = rate_limit_hit(
        key=f"portal:track:{ip or 'unknown'}",
        limit=_setting("PORTAL_TRACK_MAX_PER_IP", _TRACKS_PER_IP),
        window_seconds=window,
    )
    if not allowed:
        raise ApplicationError(
            _("Too many tries. Wait a few minutes and try again."),
            field="number",
            code="rate_limited",
        )

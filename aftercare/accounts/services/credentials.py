"""How staff sign in: attempts counted, passwords set from an emailed link, changed and
reset, and a change of email confirmed from the new address."""

from functools import partial

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from aftercare.accounts.mail import (
    StaffMail,
    console_url,
    mail_language,
    staff_mail_send,
)
from aftercare.accounts.models import User
from aftercare.accounts.selectors import user_has_console_access
from aftercare.accounts.tokens import (
    Purpose,
    email_change_token_make,
    email_change_token_read,
    set_password_token_check,
    set_password_token_make,
    set_password_token_user,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import rate_limit_count, rate_limit_hit


def _failure_limits(kind: str, account: str, ip: str) -> list[tuple[str, int]]:
    """The counters of one kind of failed attempt (a password, a second factor's code) and
    their limits: one for the account, one (higher) for the client address."""
    return [
        (f"{kind}:account:{account}", settings.SIGN_IN_MAX_PER_EMAIL),
        (f"{kind}:ip:{ip}", settings.SIGN_IN_MAX_PER_IP),
    ]


def failures_exceeded(*, kind: str, account: str, ip: str) -> bool:
    """Whether this account, or this client address, failed too often in the window."""
    window = settings.SIGN_IN_WINDOW_MINUTES * 60
    return any(
        rate_limit_count(key=key, window_seconds=window) >= limit
        for key, limit in _failure_limits(kind, account, ip)
    )


def failure_register(*, kind: str, account: str, ip: str) -> None:
    """Count a failed attempt for this account and this client address."""
    window = settings.SIGN_IN_WINDOW_MINUTES * 60
    for key, limit in _failure_limits(kind, account, ip):
        rate_limit_hit(key=key, limit=limit, window_seconds=window)


def _sign_in_account(email: str) -> str:
    return (email or "").strip().lower()


def sign_in_allowed_check(*, email: str, ip: str) -> None:
    """Refuse a password before it is hashed once this account, or this client address, has
    failed too often in the window. Only failures count: signing in right costs nothing, an
    attacker guessing one account holds back that account alone, and one spraying passwords
    across accounts from one address is stopped by the address's (higher) limit."""
    if failures_exceeded(kind="sign-in", account=_sign_in_account(email), ip=ip):
        raise ApplicationError(
            _("Too many failed sign-ins. Wait a few minutes and try again."),
            field="email",
            code="rate_limited",
        )


def sign_in_failure_register(*, email: str, ip: str) -> None:
    """Count a wrong password for this account and this client address."""
    failure_register(kind="sign-in", account=_sign_in_account(email), ip=ip)


def password_sign_in(*, email: str, password: str, ip: str) -> User | None:
    """The account this email and password sign in, or None (a failure, counted). Refused
    (`rate_limited`) past the limits, before the password is hashed. The one way in by password:
    the console, `POST /api/v1/auth/token` and the Django admin all sign in through it."""
    email = (email or "").strip().lower()
    sign_in_allowed_check(email=email, ip=ip)
    user = authenticate(username=email, password=password)
    if user is None:
        sign_in_failure_register(email=email, ip=ip)
    return user


def _password_confirm(*, user: User, password: str, ip: str, message: str, field: str) -> None:
    """The password a signed-in user types to confirm a change, under the sign-in limits: a
    borrowed session must not guess it faster here than on the sign-in page."""
    try:
        sign_in_allowed_check(email=user.email, ip=ip)
    except ApplicationError as error:
        error.field = field
        raise
    if not user.check_password(password or ""):
        sign_in_failure_register(email=user.email, ip=ip)
        raise ApplicationError(message, field=field)


@transaction.atomic
def user_password_set(*, uidb64: str, token: str, purpose: Purpose, password: str) -> User:
    """Set a password from an emailed link (an invitation or a reset); the link then stops
    working, since its token is made from the password it replaces."""
    found = set_password_token_user(uidb64=uidb64, token=token, purpose=purpose)
    # Locked and checked again: of two requests with the same link, the second sees the new
    # password and is refused.
    user = User.objects.select_for_update().filter(pk=found.pk).first() if found else None
    if user is None or not set_password_token_check(user=user, token=token, purpose=purpose):
        raise ApplicationError(
            _("This link no longer works: it was used, it expired, or the account changed."),
            field="token",
            code="invalid",
        )
    if not user_has_console_access(user=user):
        raise ApplicationError(
            _("This account is no longer staff of any organization."), field="token"
        )
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    password_validation.password_changed(password, user)
    return user


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from None


@transaction.atomic
def user_password_change(*, user: User, current_password: str, password: str, ip: str) -> User:
    """Change one's own password, knowing the current one."""
    _password_confirm(
        user=user,
        password=current_password,
        ip=ip,
        message=_("Your current password is wrong."),
        field="current_password",
    )
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    password_validation.password_changed(password, user)
    return user


def password_reset_request(*, email: str, ip: str, language: str) -> None:
    """Ask for a password reset link. Counted per address and per client; the answer is the
    same whether or not a staff account has this email, and the lookup and the mail happen in
    the task worker, so not even the time taken tells them apart."""
    from aftercare.accounts.tasks import password_reset_mail_send_task

    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="email") from None
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    by_email = rate_limit_hit(
        key=f"password-reset:email:{email}",
        limit=settings.PASSWORD_RESET_MAX_PER_EMAIL,
        window_seconds=window,
    )
    by_ip = rate_limit_hit(
        key=f"password-reset:ip:{ip}",
        limit=settings.PASSWORD_RESET_MAX_PER_IP,
        window_seconds=window,
    )
    if not (by_email and by_ip):
        raise ApplicationError(
            _("Too many reset links were asked for. Wait a few minutes and try again."),
            field="email",
            code="rate_limited",
        )
    transaction.on_commit(
        partial(password_reset_mail_send_task.enqueue, email=email, language=language)
    )


def password_reset_mail_send(*, email: str, language: str) -> bool:
    """Mail a reset link to the active staff account (or superuser) with this email; portal
    customers, who sign in by emailed links, have no password to reset. False when none was
    sent."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None or not user_has_console_access(user=user):
        return False
    language = mail_language(user.language, language)
    uidb64, token = set_password_token_make(user=user, purpose=Purpose.RESET)
    with translation.override(language):
        values = {
            "to": user.email,
            "email": user.email,
            "name": user.full_name,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        mail = StaffMail(
            template="password_reset",
            subject=_("Reset your aftercare password"),
            values=values,
            url=console_url("password_reset_confirm", uidb64=uidb64, token=token),
            action=_("Choose a new password"),
        )
    return staff_mail_send(mail, language=language)


def _clean_new_email(email: str) -> str:
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="new_email") from None
    return email


def _email_taken(*, email: str, user: User) -> bool:
    return User.objects.filter(email=email).exclude(pk=user.pk).exists()


def email_change_request(*, user: User, new_email: str, password: str, ip: str) -> str:
    """Ask to change one's email: a confirmation link goes to the new address and a notice to
    the current one; nothing changes until the link is used. Answers the new address."""
    _password_confirm(
        user=user, password=password, ip=ip, message=_("Your password is wrong."), field="password"
    )
    new_email = _clean_new_email(new_email)
    if new_email == user.email:
        raise ApplicationError(_("This is already your email."), field="new_email")
    if _email_taken(email=new_email, user=user):
        raise ApplicationError(
            _("This email is already used by another account."), field="new_email"
        )
    token = email_change_token_make(user=user, new_email=new_email)
    language = mail_language(user.language, translation.get_language() or "")
    with translation.override(language):
        values = {
            "name": user.full_name,
            "old_email": user.email,
            "new_email": new_email,
            "hours": settings.EMAIL_CHANGE_MAX_AGE_HOURS,
        }
        notice = StaffMail(
            template="email_change_notice",
            subject=_("Your aftercare email is about to change"),
            values={**values, "to": user.email},
            url=console_url("password_reset"),
            action=_("Change your password"),
        )
        confirmation = StaffMail(
            template="email_change_confirm",
            subject=_("Confirm your new email for aftercare"),
            values={**values, "to": new_email},
            url=console_url("email_change_link", token=token),
            action=_("Confirm the new email"),
        )
    if not (
        staff_mail_send(notice, language=language)
        and staff_mail_send(confirmation, language=language)
    ):
        raise ApplicationError(
            _("The email could not be sent just now. Try again in a few minutes."),
            field="new_email",
            code="unavailable",
        )
    return new_email


def email_change_check(*, token: str) -> tuple[User, str]:
    """The user and new email an email change's link asks for, if it still works."""
    change = email_change_token_read(token)
    user = User.objects.filter(pk=change.user_id, is_active=True).first() if change else None
    if change is None or user is None or user.email != change.old_email:
        raise ApplicationError(
            _("This link no longer works: it expired, was used, or the email changed since."),
            field="token",
            code="invalid",
        )
    if _email_taken(email=change.new_email, user=user):
        raise ApplicationError(
            _("%(email)s is already used by another account.") % {"email": change.new_email},
            field="token",
        )
    return user, change.new_email


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Change the email an email change's link asks for; the link then stops working."""
    change = email_change_token_read(token)
    if change is not None:
        # Locked before the check: of two requests with the same link, the second sees the
        # changed email and is refused.
        User.objects.select_for_update().filter(pk=change.user_id).first()
    user, new_email = email_change_check(token=token)
    user.email = new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        raise ApplicationError(
            _("%(email)s is already used by another account.") % {"email": new_email},
            field="token",
        ) from None
    return user

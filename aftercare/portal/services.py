"""Every write the customer portal makes of its own: sign-in links, tracking attempts, and a
request form's files kept between its tries and its sending once."""

import datetime
import hashlib
import json
import logging
import re
import secrets
import smtplib
from functools import partial
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
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
from aftercare.lib.uploads import private_storage
from aftercare.portal.models import PendingUpload, PortalLoginLink, RequestSubmission
from aftercare.portal.selectors import pending_uploads_get
from aftercare.tickets.attachments import attachment_check
from aftercare.tickets.models import Ticket
from aftercare.tickets.services import ticket_create

logger = logging.getLogger(__name__)

# Defaults for limits a deployment may tune in settings without touching this module.
_LINK_WINDOW_MINUTES = 15
_LINKS_PER_EMAIL = 5
_LINKS_PER_IP = 20
_TRACK_WINDOW_MINUTES = 15
_TRACKS_PER_IP = 20
_PENDING_UPLOAD_HOURS = 24
_SUBMISSION_KEEP_DAYS = 7
# A request form's key: what `request_form_key` makes, and nothing else.
_FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


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


# A request form's files, kept between its tries, and its sending once.


def request_form_key(value: str = "") -> str:
    """The key of a request form: the one it was shown with, or a new one when it has none (or
    one that is not a key). A form sent twice with one key opens one request."""
    value = (value or "").strip()
    return value if _FORM_KEY.fullmatch(value) else secrets.token_urlsafe(24)


def _pending_limit() -> int:
    return _setting("PORTAL_PENDING_UPLOADS_PER_CUSTOMER", 2 * settings.ATTACHMENT_MAX_PER_MESSAGE)


def _files_delete(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("A kept file could not be deleted: %s", name, exc_info=True)


def pending_upload_store(
    *,
    organization: Organization,
    customer: Customer,
    upload: UploadedFile,
    keep: frozenset[int] = frozenset(),
) -> PendingUpload:
    """Keep a file of a request form that was not sent, for this customer alone, until
    PORTAL_PENDING_UPLOAD_HOURS pass. It is checked as an attachment is (type, size, content)
    before a byte of it is written; past PORTAL_PENDING_UPLOADS_PER_CUSTOMER the customer's
    oldest kept files go (those of forms left behind; the files in `keep` stay)."""
    if customer.organization_id != organization.pk:
        raise ApplicationError(_("No such customer."), field="customer_id")
    meta = attachment_check(upload)
    now = timezone.now()
    pending = PendingUpload(
        organization=organization,
        customer=customer,
        created_at=now,
        expires_at=now
        + datetime.timedelta(hours=_setting("PORTAL_PENDING_UPLOAD_HOURS", _PENDING_UPLOAD_HOURS)),
        **meta,
    )
    pending.file.save(meta["filename"], upload, save=False)
    try:
        with transaction.atomic():
            pending.save()
            older = (
                PendingUpload.objects.filter(customer=customer)
                .exclude(pk__in=keep | {pending.pk})
                .order_by("-created_at", "-pk")
                .values_list("pk", "file")[max(0, _pending_limit() - len(keep) - 1) :]
            )
            _pending_delete(list(older))
    except BaseException:
        _files_delete([pending.file.name])
        raise
    return pending


def _pending_delete(rows: list[tuple[int, str]]) -> None:
    """Delete kept files (id, stored name) in the caller's transaction; their files once it
    commits."""
    if not rows:
        return
    PendingUpload.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    transaction.on_commit(partial(_files_delete, [name for _pk, name in rows]))


class KeptUploads(NamedTuple):
    """A failed request form's files: those kept (the form shows them) and why others were not."""

    uploads: list[PendingUpload]
    refused: list[str]


def pending_uploads_keep(
    *,
    organization: Organization,
    customer: Customer,
    kept: list[PendingUpload],
    uploads: list[UploadedFile],
) -> KeptUploads:
    """After a request form was not sent: its files kept already and the new ones that pass the
    checks of an attachment, at most a message's worth in all. A new file the form keeps
    already (the same name and content) is not kept twice."""
    result = list(kept)
    refused: list[str] = []
    seen = {(pending.filename, pending.sha256) for pending in kept}
    for upload in uploads:
        if len(result) >= settings.ATTACHMENT_MAX_PER_MESSAGE:
            refused.append(
                _("At most %(count)s files at once.")
                % {"count": settings.ATTACHMENT_MAX_PER_MESSAGE}
            )
            break
        try:
            meta = attachment_check(upload)
        except ApplicationError as error:
            refused.append(error.message)
            continue
        if (meta["filename"], meta["sha256"]) in seen:
            continue
        pending = pending_upload_store(
            organization=organization,
            customer=customer,
            upload=upload,
            keep=frozenset(item.pk for item in result),
        )
        result.append(pending)
        seen.add((pending.filename, pending.sha256))
    return KeptUploads(uploads=result, refused=refused)


@transaction.atomic
def pending_upload_discard(*, customer: Customer, pending_upload_id: int | str) -> bool:
    """Remove a file the customer's form kept (nothing happens to anyone else's); whether one was
    removed."""
    value = str(pending_upload_id).strip()
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        return False
    rows = list(
        PendingUpload.objects.filter(
            pk=int(value), customer=customer, organization_id=customer.organization_id
        ).values_list("pk", "file")
    )
    _pending_delete(rows)
    return bool(rows)


def _opened(kept: list[PendingUpload]) -> tuple[list[UploadedFile], list[PendingUpload]]:
    """Kept files as uploads the request's attachments are checked and copied from, and the
    kept files opened (a file whose content is gone from storage is left out)."""
    files, opened = [], []
    for pending in kept:
        try:
            pending.file.open("rb")
        except OSError:
            logger.warning("A kept file is missing from storage: %s", pending.file.name)
            continue
        opened.append(pending)
        files.append(
            UploadedFile(
                file=pending.file.file,
                name=pending.filename,
                content_type=pending.content_type,
                size=pending.size,
            )
        )
    return files, opened


def _fingerprint(request: dict[str, Any], files: list[str]) -> str:
    """What a request form sent, as one digest: its fields and its files."""
    values = {
        name: getattr(value, "pk", value) if value is not None else None
        for name, value in request.items()
    }
    text = json.dumps([values, sorted(files)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def portal_request_submit(
    *,
    organization: Organization,
    customer: Customer,
    key: str,
    pending_upload_ids: list[str],
    attachments: list[UploadedFile],
    actor: User | None,
    **request: Any,
) -> Ticket:
    """Open the request of a portal form (`request`: ticket_create's fields), with the files it
    kept (by the ids it sent back; anything not the customer's is left out) and its new ones (a
    new one the form kept already is attached once). The same form sent again (its key, the same
    words and files) answers the request it opened and adds nothing; sent again with other
    words, it is another request. The kept files go once they are the request's."""
    pending_uploads = pending_uploads_get(customer=customer, ids=pending_upload_ids)
    files = {(pending.filename, pending.sha256) for pending in pending_uploads}
    new, sent = [], sorted(str(value).strip() for value in pending_upload_ids)
    for upload in attachments:
        meta = attachment_check(upload)
        sent.append(f"{meta['filename']}:{meta['sha256']}")
        if (meta["filename"], meta["sha256"]) not in files:
            files.add((meta["filename"], meta["sha256"]))
            new.append(upload)
    # The form as it was sent (the ids it sent back, not the files still kept: a form sent
    # again finds them attached already).
    fingerprint = _fingerprint(request, sent)
    with transaction.atomic():
        try:
            # First, so that the same form sent at the same moment waits here for this one.
            with transaction.atomic():
                submission = RequestSubmission.objects.create(
                    organization=organization, customer=customer, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = RequestSubmission.objects.select_related("ticket").get(
                customer=customer, key=key, fingerprint=fingerprint
            )
            if earlier.ticket is None:  # written with its request, in one transaction
                raise
            return earlier.ticket
        kept = list(
            PendingUpload.objects.select_for_update()
            .filter(pk__in=[pending.pk for pending in pending_uploads], customer=customer)
            .order_by("created_at", "pk")
        )
        opened_files, opened = _opened(kept)
        try:
            ticket = ticket_create(
                organization=organization,
                customer=customer,
                attachments=[*opened_files, *new],
                actor=actor,
                **request,
            )
        finally:
            for pending in opened:
                pending.file.close()
        submission.ticket = ticket
        submission.save(update_fields=["ticket"])
        _pending_delete([(pending.pk, pending.file.name) for pending in kept])
    return ticket


def pending_uploads_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete kept files past their time, and the keys of forms sent more than
    PORTAL_SUBMISSION_KEEP_DAYS ago (neither is a record); how many files went."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            PendingUpload.objects.filter(expires_at__lte=now).values_list("pk", "file")[:1000]
        )
        _pending_delete(expired)
        days = _setting("PORTAL_SUBMISSION_KEEP_DAYS", _SUBMISSION_KEEP_DAYS)
        RequestSubmission.objects.filter(
            created_at__lt=now - datetime.timedelta(days=days)
        ).delete()
    return len(expired)

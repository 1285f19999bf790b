"""Every write to customers and their contact points."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.customers import hooks
from aftercare.customers.indexing import customer_index
from aftercare.customers.models import ContactPoint, Customer, Tier
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.phone import normalize_phone
from aftercare.lib.text import strip_invisible
from aftercare.lib.vocabulary import Channel

_TELEGRAM = re.compile(r"^(?:@?[A-Za-z][A-Za-z0-9_]{4,31}|\d{5,15})$")


def contact_value_normalize(*, organization: Organization, kind: str, value: str) -> str:
    """The stored form of a contact point: lower-case email, E.164 phone, @telegram handle."""
    value = (value or "").strip()
    if kind == ContactPoint.Kind.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError:
            raise ApplicationError(_("Enter a valid email address."), field="email") from None
        return value
    if kind in (ContactPoint.Kind.PHONE, ContactPoint.Kind.WHATSAPP):
        return normalize_phone(value, region=organization.country, field=kind)
    if kind == ContactPoint.Kind.TELEGRAM:
        if not _TELEGRAM.match(value):
            raise ApplicationError(
                _("Enter a Telegram username (5–32 letters, digits, _) or numeric id."),
                field="telegram",
            )
        return value.lower() if value.startswith("@") or not value.isdigit() else value
    raise ApplicationError(_("Unknown contact point kind."), field="kind")


def _validate_profile(
    *, name: str, preferred_language: str, preferred_channel: str, tier: str = Tier.STANDARD
) -> None:
    if not strip_invisible(name).strip():
        raise ApplicationError(_("Enter the customer's name."), field="name")
    if len(name) > 200:
        raise ApplicationError(_("The name is too long (200 characters at most)."), field="name")
    if preferred_language and not is_language(preferred_language):
        raise ApplicationError(_("Unknown language."), field="preferred_language")
    if preferred_channel and preferred_channel not in Channel.values:
        raise ApplicationError(_("Unknown channel."), field="preferred_channel")
    if tier not in Tier.values:
        raise ApplicationError(_("Unknown service tier."), field="tier")


def _add_contact_points(
    *, customer: Customer, points: list[tuple[str, str]], make_primary: bool
) -> None:
    seen: set[tuple[str, str]] = set()
    for kind, raw in points:
        value = contact_value_normalize(organization=customer.organization, kind=kind, value=raw)
        if (kind, value) in seen:
            continue
        seen.add((kind, value))
        owner = (
            ContactPoint.objects.filter(organization=customer.organization, kind=kind, value=value)
            .exclude(customer=customer)
            .select_related("customer")
            .first()
        )
        if owner is not None:
            raise ApplicationError(
                _("%(value)s already belongs to another customer (%(name)s).")
                % {"value": value, "name": owner.customer.name},
                field=kind,
                code="duplicate",
            )
        if ContactPoint.objects.filter(customer=customer, kind=kind, value=value).exists():
            continue
        has_primary = ContactPoint.objects.filter(
            customer=customer, kind=kind, is_primary=True
        ).exists()
        try:
            with transaction.atomic():
                ContactPoint.objects.create(
                    organization=customer.organization,
                    customer=customer,
                    kind=kind,
                    value=value,
                    is_primary=make_primary and not has_primary,
                )
        except IntegrityError:
            # Another request took this contact point between the check and the insert.
            raise ApplicationError(
                _("%(value)s already belongs to another customer.") % {"value": value},
                field=kind,
                code="duplicate",
            ) from None


def _points(
    *, emails: list[str], phones: list[str], telegram: list[str], whatsapp: list[str]
) -> list[tuple[str, str]]:
    return (
        [(ContactPoint.Kind.EMAIL, v) for v in emails if v and v.strip()]
        + [(ContactPoint.Kind.PHONE, v) for v in phones if v and v.strip()]
        + [(ContactPoint.Kind.TELEGRAM, v) for v in telegram if v and v.strip()]
        + [(ContactPoint.Kind.WHATSAPP, v) for v in whatsapp if v and v.strip()]
    )


@transaction.atomic
def customer_create(
    *,
    organization: Organization,
    name: str,
    company: str = "",
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    telegram: list[str] | None = None,
    whatsapp: list[str] | None = None,
    preferred_language: str = "",
    preferred_channel: str = "",
    tier: str = Tier.STANDARD,
    notes: str = "",
    user: User | None = None,
) -> Customer:
    """A customer with their contact points; a contact point owned by another is an error."""
    _validate_profile(
        name=name,
        preferred_language=preferred_language,
        preferred_channel=preferred_channel,
        tier=tier,
    )
    customer = Customer.objects.create(
        organization=organization,
        name=strip_invisible(name).strip(),
        company=strip_invisible(company).strip(),
        preferred_language=preferred_language,
        preferred_channel=preferred_channel,
        tier=tier,
        notes=notes,
        user=user,
    )
    _add_contact_points(
        customer=customer,
        points=_points(
            emails=emails or [],
            phones=phones or [],
            telegram=telegram or [],
            whatsapp=whatsapp or [],
        ),
        make_primary=True,
    )
    customer_index(customer, new=True)
    return customer


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    name: str | None = None,
    company: str | None = None,
    preferred_language: str | None = None,
    preferred_channel: str | None = None,
    tier: str | None = None,
    notes: str | None = None,
    add_emails: list[str] | None = None,
    add_phones: list[str] | None = None,
    add_telegram: list[str] | None = None,
    add_whatsapp: list[str] | None = None,
) -> Customer:
    """Change a customer's profile and add contact points; unset arguments stay as they are."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    named = (customer.name, customer.company)
    new_name = customer.name if name is None else name
    new_language = customer.preferred_language if preferred_language is None else preferred_language
    new_channel = customer.preferred_channel if preferred_channel is None else preferred_channel
    new_tier = customer.tier if tier is None else tier
    _validate_profile(
        name=new_name,
        preferred_language=new_language,
        preferred_channel=new_channel,
        tier=new_tier,
    )
    customer.name = strip_invisible(new_name).strip()
    customer.tier = new_tier
    customer.preferred_language = new_language
    customer.preferred_channel = new_channel
    if company is not None:
        customer.company = strip_invisible(company).strip()
    if notes is not None:
        customer.notes = notes
    customer.save()
    _add_contact_points(
        customer=customer,
        points=_points(
            emails=add_emails or [],
            phones=add_phones or [],
            telegram=add_telegram or [],
            whatsapp=add_whatsapp or [],
        ),
        make_primary=True,
    )
    customer_index(customer)
    if (customer.name, customer.company) != named:
        hooks.customer_renamed.fire(customer=customer)
    return customer


@transaction.atomic
def customer_get_or_create_for_email(
    *, organization: Organization, email: str, name: str = "", language: str = ""
) -> Customer:
    """The customer who owns this email in the organization, created if new."""
    value = contact_value_normalize(
        organization=organization, kind=ContactPoint.Kind.EMAIL, value=email
    )
    point = (
        ContactPoint.objects.select_related("customer")
        .filter(organization=organization, kind=ContactPoint.Kind.EMAIL, value=value)
        .first()
    )
    if point is not None:
        return point.customer
    return customer_create(
        organization=organization,
        name=name or value.split("@")[0],
        emails=[value],
        preferred_language=language if is_language(language) else "",
        preferred_channel=Channel.EMAIL,
    )


@transaction.atomic
def customer_link_user(*, customer: Customer, user: User) -> Customer:
    """Let a portal account act as this customer."""
    if customer.user_id not in (None, user.pk):
        raise ApplicationError(_("This customer already has a portal account."), field="user")
    if customer.user_id is None:
        customer.user = user
        customer.save(update_fields=["user", "updated_at"])
    return customer

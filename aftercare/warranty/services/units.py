"""Every write to registered units: registering one (or claiming an imported one), editing it,
changing its owner, setting its installation date."""

import datetime
import mimetypes
import posixpath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.uploads import upload_check
from aftercare.lib.validation import clean_text
from aftercare.warranty.indexing import unit_index
from aftercare.warranty.models import Unit, UnitTransfer
from aftercare.warranty.serials import serial_clean, serial_key

SERIAL_MAX = 64
SELLER_MAX = 200
INVOICE_MAX = 100
NOTE_MAX = 500
# What a proof of purchase may be: a scan or photo of the invoice, or the invoice as a PDF.
PROOF_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png"})


def unit_serial_clean(value: str | None) -> tuple[str, str]:
    """The serial as stored and its key; an empty or too long serial is a field error."""
    serial = serial_clean(value)
    key = serial_key(serial)
    if not key:
        raise ApplicationError(_("Enter the serial number."), field="serial_number")
    if len(serial) > SERIAL_MAX:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": SERIAL_MAX},
            field="serial_number",
        )
    return serial, key


def unit_dates_check(
    *,
    purchase_date: datetime.date | None,
    delivery_date: datetime.date | None,
    installation_date: datetime.date | None,
    today: datetime.date,
) -> None:
    """No date in the future; delivered and installed not before bought, installed not before
    delivered. Each refusal names the later date's field."""
    if purchase_date and purchase_date > today:
        raise ApplicationError(_("The purchase date is in the future."), field="purchase_date")
    if delivery_date and delivery_date > today:
        raise ApplicationError(_("The delivery date is in the future."), field="delivery_date")
    if installation_date and installation_date > today:
        raise ApplicationError(
            _("The installation date is in the future."), field="installation_date"
        )
    if purchase_date and delivery_date and delivery_date < purchase_date:
        raise ApplicationError(
            _("The delivery date is before the purchase date."), field="delivery_date"
        )
    if purchase_date and installation_date and installation_date < purchase_date:
        raise ApplicationError(
            _("The installation date is before the purchase date."), field="installation_date"
        )
    if delivery_date and installation_date and installation_date < delivery_date:
        raise ApplicationError(
            _("The installation date is before the delivery date."), field="installation_date"
        )


def proof_check(upload: UploadedFile) -> dict:
    """A proof of purchase's metadata: a PDF, JPEG or PNG no larger than an attachment."""
    return upload_check(
        upload,
        field="proof_of_purchase",
        extensions=PROOF_EXTENSIONS,
        max_bytes=settings.ATTACHMENT_MAX_BYTES,
    )


def proof_file_info(unit: Unit) -> tuple[str, str]:
    """The stored proof of purchase's file name and content type (from its checked extension)."""
    name = posixpath.basename(unit.proof_of_purchase.name or "")
    return name, mimetypes.guess_type(name)[0] or "application/octet-stream"


def _check_same_org(obj, organization_id: int, *, field: str, message: str) -> None:
    if obj is not None and obj.organization_id != organization_id:
        raise ApplicationError(message, field=field)


def _duplicate() -> ApplicationError:
    return ApplicationError(
        _("This serial number is already registered."), field="serial_number", code="duplicate"
    )


def unit_register(
    *,
    organization: Organization,
    product_model: ProductModel | None,
    serial_number: str,
    customer: Customer | None = None,
    source: str,
    actor: User | None = None,
    purchase_date: datetime.date | None = None,
    seller: str = "",
    invoice_reference: str = "",
    delivery_date: datetime.date | None = None,
    installation_date: datetime.date | None = None,
    is_sold_by_us: bool = True,
    proof_of_purchase: UploadedFile | None = None,
) -> Unit:
    """Register a unit; a serial already in the organization is refused, unless it came from
    sales without an owner and a customer registers it: then that customer becomes its owner."""
    if product_model is None:
        raise ApplicationError(_("Choose the product model."), field="product_model_id")
    _check_same_org(
        product_model,
        organization.pk,
        field="product_model_id",
        message=_("No such product model."),
    )
    _check_same_org(customer, organization.pk, field="customer_id", message=_("No such customer."))
    if source not in Unit.Source.values:
        raise ApplicationError(_("Unknown source."), field="source")
    serial, key = unit_serial_clean(serial_number)
    seller = clean_text(seller, field="seller", required=False, max_length=SELLER_MAX)
    invoice_reference = clean_text(
        invoice_reference, field="invoice_reference", required=False, max_length=INVOICE_MAX
    )
    unit_dates_check(
        purchase_date=purchase_date,
        delivery_date=delivery_date,
        installation_date=installation_date,
        today=timezone.localdate(),
    )
    proof = proof_check(proof_of_purchase) if proof_of_purchase else None
    now = timezone.now()
    with transaction.atomic():
        existing = (
            Unit.objects.select_for_update()
            .filter(organization=organization, serial_key=key)
            .first()
        )
        if existing is not None:
            if existing.customer_id is None and customer is not None:
                return _unit_claim(
                    existing,
                    product_model=product_model,
                    customer=customer,
                    actor=actor,
                    now=now,
                    purchase_date=purchase_date,
                    seller=seller,
                    invoice_reference=invoice_reference,
                    delivery_date=delivery_date,
                    installation_date=installation_date,
                    proof_of_purchase=proof_of_purchase,
                    proof=proof,
                )
            if customer is not None and existing.customer_id == customer.pk:
                raise ApplicationError(
                    _("This unit is already registered to this customer."),
                    field="serial_number",
                    code="duplicate",
                )
            raise _duplicate()
        unit = Unit(
            organization=organization,
            product_model=product_model,
            serial_number=serial,
            serial_key=key,
            customer=customer,
            is_sold_by_us=is_sold_by_us,
            purchase_date=purchase_date,
            seller=seller,
            invoice_reference=invoice_reference,
            delivery_date=delivery_date,
            installation_date=installation_date,
            source=source,
            registered_at=now if customer is not None else None,
            registered_by=actor if customer is not None else None,
            created_at=now,
        )
        if proof is not None:
            unit.proof_of_purchase.save(proof["filename"], proof_of_purchase, save=False)
        try:
            with transaction.atomic():
                unit.save()
        except IntegrityError:
            # Another request registered the serial between the check and the insert.
            raise _duplicate() from None
        unit_index(unit)
    return unit


def _unit_claim(
    unit: Unit,
    *,
    product_model: ProductModel,
    customer: Customer,
    actor: User | None,
    now: datetime.datetime,
    purchase_date: datetime.date | None,
    seller: str,
    invoice_reference: str,
    delivery_date: datetime.date | None,
    installation_date: datetime.date | None,
    proof_of_purchase: UploadedFile | None,
    proof: dict | None,
) -> Unit:
    """A customer registers a unit known from sales (locked, without an owner): they become its
    owner. What sales recorded stands; what it left empty is taken from the customer."""
    if unit.product_model_id != product_model.pk:
        raise ApplicationError(
            _("This serial number belongs to another model."), field="product_model_id"
        )
    unit.purchase_date = unit.purchase_date or purchase_date
    unit.delivery_date = unit.delivery_date or delivery_date
    unit.installation_date = unit.installation_date or installation_date
    unit_dates_check(
        purchase_date=unit.purchase_date,
        delivery_date=unit.delivery_date,
        installation_date=unit.installation_date,
        today=timezone.localdate(),
    )
    unit.seller = unit.seller or seller
    unit.invoice_reference = unit.invoice_reference or invoice_reference
    unit.customer = customer
    unit.registered_at = now
    unit.registered_by = actor
    if proof is not None and not unit.proof_of_purchase:
        unit.proof_of_purchase.save(proof["filename"], proof_of_purchase, save=False)
    unit.save()
    unit_index(unit)
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    actor: User | None = None,
    product_model: ProductModel | Unset = UNSET,
    serial_number: str | Unset = UNSET,
    purchase_date: datetime.date | None | Unset = UNSET,
    seller: str | Unset = UNSET,
    invoice_reference: str | Unset = UNSET,
    delivery_date: datetime.date | None | Unset = UNSET,
    installation_date: datetime.date | None | Unset = UNSET,
    is_sold_by_us: bool | Unset = UNSET,
    proof_of_purchase: UploadedFile | None | Unset = UNSET,
) -> Unit:
    """Correct a unit's model, serial, sale and dates, or replace (None: remove) its proof of
    purchase; arguments left unset stay as they are. Owners change through `unit_transfer`."""
    changes: dict = {}
    if product_model is not UNSET:
        if product_model is None:
            raise ApplicationError(_("Choose the product model."), field="product_model_id")
        _check_same_org(
            product_model,
            unit.organization_id,
            field="product_model_id",
            message=_("No such product model."),
        )
        changes["product_model"] = product_model
    if serial_number is not UNSET:
        changes["serial_number"], changes["serial_key"] = unit_serial_clean(serial_number)
    if seller is not UNSET:
        changes["seller"] = clean_text(
            seller, field="seller", required=False, max_length=SELLER_MAX
        )
    if invoice_reference is not UNSET:
        changes["invoice_reference"] = clean_text(
            invoice_reference, field="invoice_reference", required=False, max_length=INVOICE_MAX
        )
    for name, value in (
        ("purchase_date", purchase_date),
        ("delivery_date", delivery_date),
        ("installation_date", installation_date),
        ("is_sold_by_us", is_sold_by_us),
    ):
        if value is not UNSET:
            changes[name] = value
    proof = None
    if proof_of_purchase is not UNSET and proof_of_purchase is not None:
        proof = proof_check(proof_of_purchase)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit_dates_check(
        purchase_date=changes.get("purchase_date", unit.purchase_date),
        delivery_date=changes.get("delivery_date", unit.delivery_date),
        installation_date=changes.get("installation_date", unit.installation_date),
        today=timezone.localdate(),
    )
    if changes.get("serial_key", unit.serial_key) != unit.serial_key:
        taken = (
            Unit.objects.filter(
                organization_id=unit.organization_id, serial_key=changes["serial_key"]
            )
            .exclude(pk=unit.pk)
            .exists()
        )
        if taken:
            raise _duplicate()
    fields = []
    for name, value in changes.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            fields.append(name)
    if proof is not None:
        unit.proof_of_purchase.save(proof["filename"], proof_of_purchase, save=False)
        fields.append("proof_of_purchase")
    elif proof_of_purchase is None and unit.proof_of_purchase:
        unit.proof_of_purchase = ""
        fields.append("proof_of_purchase")
    if fields:
        try:
            with transaction.atomic():
                unit.save(update_fields=[*fields, "updated_at"])
        except IntegrityError:
            raise _duplicate() from None
        unit_index(unit)
    return unit


@transaction.atomic
def unit_transfer(
    *,
    unit: Unit,
    to_customer: Customer,
    on: datetime.date,
    note: str = "",
    actor: User | None = None,
) -> UnitTransfer:
    """Give the unit a new owner from a day, kept in its history. A unit that had no owner (known
    from sales only) gets its first one: that is a registration, not a change of hands."""
    _check_same_org(
        to_customer, unit.organization_id, field="customer_id", message=_("No such customer.")
    )
    note = clean_text(note, field="note", required=False, max_length=NOTE_MAX)
    if on is None:
        raise ApplicationError(_("Enter the date it changed hands."), field="transferred_on")
    if on > timezone.localdate():
        raise ApplicationError(_("This date is in the future."), field="transferred_on")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.customer_id == to_customer.pk:
        raise ApplicationError(_("This customer already owns the unit."), field="customer_id")
    if unit.purchase_date and on < unit.purchase_date:
        raise ApplicationError(
            _("The unit changed hands before it was bought."), field="transferred_on"
        )
    if unit.transferred_on and on < unit.transferred_on:
        raise ApplicationError(
            _("The unit last changed hands later than this date."), field="transferred_on"
        )
    now = timezone.now()
    transfer = UnitTransfer.objects.create(
        organization_id=unit.organization_id,
        unit=unit,
        from_customer_id=unit.customer_id,
        to_customer=to_customer,
        transferred_on=on,
        note=note,
        actor=actor,
        created_at=now,
    )
    fields = ["customer", "updated_at"]
    if unit.customer_id is None:
        if unit.registered_at is None:
            unit.registered_at, unit.registered_by = now, actor
            fields += ["registered_at", "registered_by"]
    else:
        unit.transferred_on = on
        fields.append("transferred_on")
    unit.customer = to_customer
    unit.save(update_fields=fields)
    unit_index(unit)
    transfer.unit = unit
    return transfer


@transaction.atomic
def unit_installation_set(*, unit: Unit, on: datetime.date, actor: User | None = None) -> Unit:
    """Record the day the unit was installed (an installation work order done, or staff)."""
    if on is None:
        raise ApplicationError(_("Enter the installation date."), field="installation_date")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.installation_date == on:
        return unit
    unit_dates_check(
        purchase_date=unit.purchase_date,
        delivery_date=unit.delivery_date,
        installation_date=on,
        today=timezone.localdate(),
    )
    unit.installation_date = on
    unit.save(update_fields=["installation_date", "updated_at"])
    return unit

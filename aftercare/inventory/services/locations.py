"""Writes to stock locations (warehouses and vans) and to the reorder points of their levels."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, User
from aftercare.catalog.models import SparePart
from aftercare.inventory.models import StockLevel, StockLocation
from aftercare.inventory.services.levels import (
    ON_HAND_MAX,
    LevelState,
    check_part,
    clean_quantity,
    level_ensure,
    low_mark,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text


def _taken() -> ApplicationError:
    return ApplicationError(_("A stock location with this name already exists."), field="name")


def _check_people(
    *, organization_id: int, kind: str, holder: User | None, keeper: User | None
) -> None:
    """A van's holder is a technician of the organization; a warehouse has none. The keeper,
    when there is one, is an active member of staff."""
    if kind not in StockLocation.Kind.values:
        raise ApplicationError(_("Unknown kind of location."), field="kind")
    members = Membership.objects.filter(organization_id=organization_id, is_active=True)
    if kind == StockLocation.Kind.VAN:
        if holder is None:
            raise ApplicationError(_("Choose the technician whose van it is."), field="holder")
        if not members.filter(user=holder, role=Membership.Role.TECHNICIAN).exists():
            raise ApplicationError(
                _("A van's holder must be a technician of this organization."), field="holder"
            )
    elif holder is not None:
        raise ApplicationError(_("Only a van has a technician."), field="holder")
    if keeper is not None and not members.filter(user=keeper).exists():
        raise ApplicationError(_("No such member in this organization."), field="keeper")


def stock_location_create(
    *,
    organization: Organization,
    name: str,
    kind: str = StockLocation.Kind.WAREHOUSE,
    holder: User | None = None,
    keeper: User | None = None,
) -> StockLocation:
    """A warehouse or a technician's van; names are unique inside the organization."""
    name = clean_text(name, field="name", required=True, max_length=200)
    _check_people(organization_id=organization.pk, kind=kind, holder=holder, keeper=keeper)
    if StockLocation.objects.filter(organization=organization, name=name).exists():
        raise _taken()
    try:
        with transaction.atomic():
            return StockLocation.objects.create(
                organization=organization, name=name, kind=kind, holder=holder, keeper=keeper
            )
    except IntegrityError:
        # Another request took the name between the check and the insert.
        raise _taken() from None


def stock_location_update(
    *,
    location: StockLocation,
    name: str,
    kind: str,
    holder: User | None,
    keeper: User | None,
    is_active: bool,
) -> StockLocation:
    """Rename a location, change its kind, technician or keeper, or (de)activate it; a
    location with reserved parts stays active until they are used or released."""
    name = clean_text(name, field="name", required=True, max_length=200)
    _check_people(organization_id=location.organization_id, kind=kind, holder=holder, keeper=keeper)
    taken = StockLocation.objects.filter(organization_id=location.organization_id, name=name)
    if taken.exclude(pk=location.pk).exists():
        raise _taken()
    try:
        with transaction.atomic():
            saved = StockLocation.objects.select_for_update().get(pk=location.pk)
            if not is_active and StockLevel.objects.filter(location=saved, reserved__gt=0).exists():
                raise ApplicationError(
                    _("Parts here are reserved for work orders: use or release them first."),
                    field="is_active",
                )
            saved.name, saved.kind, saved.holder, saved.keeper = name, kind, holder, keeper
            saved.is_active = is_active
            saved.save(update_fields=["name", "kind", "holder", "keeper", "is_active"])
    except IntegrityError:
        raise _taken() from None
    return saved


def stock_level_reorder_set(
    *,
    location: StockLocation,
    part: SparePart,
    reorder_point: int | None,
    reorder_quantity: int | None,
) -> StockLevel:
    """When the keeper is told to reorder a part at a location (its free stock at or below the
    point; told at once if it already is) and how many to order; None clears either."""
    check_part(location=location, part=part, active=False)
    if reorder_point is not None:
        reorder_point = clean_quantity(
            reorder_point, field="reorder_point", minimum=0, maximum=ON_HAND_MAX
        )
    if reorder_quantity is not None:
        reorder_quantity = clean_quantity(
            reorder_quantity, field="reorder_quantity", minimum=1, maximum=ON_HAND_MAX
        )
    now = timezone.now()
    with transaction.atomic():
        level_id = level_ensure(location=location, part=part)
        level = StockLevel.objects.select_for_update().get(pk=level_id)
        level.reorder_point, level.reorder_quantity = reorder_point, reorder_quantity
        level.updated_at = now
        level.save(update_fields=["reorder_point", "reorder_quantity", "updated_at"])
        state = LevelState(
            id=level.pk,
            on_hand=level.on_hand,
            reserved=level.reserved,
            reorder_point=reorder_point,
            was_low=level.low_since is not None,
        )
        low_mark(state, now=now)
        level.refresh_from_db(fields=["low_since"])
    return level

"""The stock ledger's writes: receipts, adjustments, transfers, counts, consumption and
reservations. Each change of a level and its ledger line are one transaction; inputs are
checked before it begins (on SQLite a transaction holds the one write lock)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.catalog.models import SparePart
from aftercare.inventory.models import Reservation, StockLevel, StockLocation, StockMove
from aftercare.inventory.services.levels import (
    ON_HAND_MAX,
    QUANTITY_MAX,
    check_location_takes_stock,
    check_part,
    clean_quantity,
    clean_reason,
    clean_reference,
    clean_work_order_id,
    free_of,
    level_change,
    level_ensure,
    low_mark,
    move_write,
    shortage,
)
from aftercare.lib.errors import ApplicationError


def _too_much() -> ApplicationError:
    return ApplicationError(
        _("A location holds at most %(maximum)s of a part.") % {"maximum": ON_HAND_MAX},
        field="quantity",
    )


def stock_free(*, location: StockLocation, part: SparePart) -> int:
    """How many of a part a location has on hand and not reserved."""
    return free_of(location_id=location.pk, part_id=part.pk)


def stock_receive(
    *,
    location: StockLocation,
    part: SparePart,
    quantity: int,
    reason: str,
    actor: User | None,
    reference: str = "",
) -> StockMove:
    """Parts come into a location (a delivery from a supplier, a return from a customer's
    unit...); the level is created on the first receipt."""
    check_part(location=location, part=part)
    check_location_takes_stock(location)
    quantity = clean_quantity(quantity)
    reason, reference = clean_reason(reason), clean_reference(reference)
    now = timezone.now()
    with transaction.atomic():
        state = level_change(now=now, location_id=location.pk, part_id=part.pk, on_hand=quantity)
        if state is None:
            level_id = level_ensure(location=location, part=part)
            state = level_change(now=now, level_id=level_id, on_hand=quantity)
            if state is None:
                raise _too_much()
        move = move_write(
            state=state,
            organization_id=location.organization_id,
            location_id=location.pk,
            part_id=part.pk,
            kind=StockMove.Kind.RECEIPT,
            quantity=quantity,
            reason=reason,
            reference=reference,
            actor=actor,
            now=now,
        )
    return move


def stock_adjust(
    *, location: StockLocation, part: SparePart, quantity: int, reason: str, actor: User | None
) -> StockMove:
    """The explicit way to correct stock up or down (damaged, lost, found), with a reason; it
    never takes stock below zero, nor below what is reserved."""
    check_part(location=location, part=part, active=False)
    quantity = clean_quantity(quantity, minimum=-QUANTITY_MAX)
    if quantity == 0:
        raise ApplicationError(_("Enter how many to add or take away."), field="quantity")
    reason = clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        if quantity > 0:
            level_id = level_ensure(location=location, part=part)
            state = level_change(now=now, level_id=level_id, on_hand=quantity)
            if state is None:
                raise _too_much()
        else:
            state = level_change(
                now=now,
                location_id=location.pk,
                part_id=part.pk,
                on_hand=quantity,
                need_free=-quantity,
            )
            if state is None:
                raise shortage(location=location, part_id=part.pk)
        move = move_write(
            state=state,
            organization_id=location.organization_id,
            location_id=location.pk,
            part_id=part.pk,
            kind=StockMove.Kind.ADJUSTMENT,
            quantity=quantity,
            reason=reason,
            actor=actor,
            now=now,
        )
    return move


def stock_transfer(
    *,
    source: StockLocation,
    destination: StockLocation,
    part: SparePart,
    quantity: int,
    reason: str,
    actor: User | None,
) -> tuple[StockMove, StockMove]:
    """Move free stock from one location to another (warehouse to van, van to van...): the
    out-move and the in-move in one transaction."""
    check_part(location=source, part=part)
    if destination.organization_id != source.organization_id:
        raise ApplicationError(_("No such stock location."), field="destination")
    if destination.pk == source.pk:
        raise ApplicationError(_("Choose another location to move to."), field="destination")
    check_location_takes_stock(destination, field="destination")
    quantity = clean_quantity(quantity)
    reason = clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        source_id = (
            StockLevel.objects.filter(location=source, part=part)
            .values_list("id", flat=True)
            .first()
        )
        if source_id is None:
            raise shortage(location=source, part_id=part.pk)
        destination_id = level_ensure(location=destination, part=part)

        def take_out():
            state = level_change(now=now, level_id=source_id, on_hand=-quantity, need_free=quantity)
            if state is None:
                raise shortage(location=source, part_id=part.pk)
            return state

        def put_in():
            state = level_change(now=now, level_id=destination_id, on_hand=quantity)
            if state is None:
                raise _too_much()
            return state

        # Rows locked in the order of their ids: two transfers in opposite directions wait for
        # each other instead of deadlocking.
        if source_id < destination_id:
            out_state, in_state = take_out(), put_in()
        else:
            in_state, out_state = put_in(), take_out()
        common = {"part_id": part.pk, "reason": reason, "actor": actor, "now": now}
        out_move = move_write(
            state=out_state,
            organization_id=source.organization_id,
            location_id=source.pk,
            kind=StockMove.Kind.TRANSFER_OUT,
            quantity=-quantity,
            reference=destination.name[:100],
            **common,
        )
        in_move = move_write(
            state=in_state,
            organization_id=destination.organization_id,
            location_id=destination.pk,
            kind=StockMove.Kind.TRANSFER_IN,
            quantity=quantity,
            reference=source.name[:100],
            **common,
        )
    return out_move, in_move


def stock_count(
    *, location: StockLocation, part: SparePart, counted: int, actor: User | None, reason: str = ""
) -> StockMove | None:
    """What a count found on the shelf becomes the stock on hand: the difference is written as
    a count move (none when the count agrees). A count below what is reserved is refused:
    release the reservations first."""
    check_part(location=location, part=part, active=False)
    counted = clean_quantity(counted, field="counted", minimum=0, maximum=ON_HAND_MAX)
    reason = clean_reason(reason, default=_("Stock count"))
    now = timezone.now()
    with transaction.atomic():
        exists = StockLevel.objects.filter(location=location, part=part).exists()
        if not exists and counted == 0:
            return None
        level_id = level_ensure(location=location, part=part)
        on_hand, reserved = (
            StockLevel.objects.select_for_update()
            .values_list("on_hand", "reserved")
            .get(pk=level_id)
        )
        if counted < reserved:
            raise ApplicationError(
                _("%(reserved)s of these are reserved: the count cannot be lower.")
                % {"reserved": reserved},
                field="counted",
            )
        difference = counted - on_hand
        if difference == 0:
            return None
        state = level_change(now=now, level_id=level_id, on_hand=difference, expect_on_hand=on_hand)
        if state is None:
            raise ApplicationError(
                _("The stock changed while it was counted: count again."), field="counted"
            )
        move = move_write(
            state=state,
            organization_id=location.organization_id,
            location_id=location.pk,
            part_id=part.pk,
            kind=StockMove.Kind.COUNT,
            quantity=difference,
            reason=reason,
            actor=actor,
            now=now,
        )
    return move


def stock_consume(
    *,
    location: StockLocation,
    part: SparePart,
    quantity: int,
    work_order_id: int | None,
    reference: str,
    actor: User | None,
    reason: str,
) -> StockMove:
    """Parts used in a repair without a reservation: taken from the free stock, refused when
    it is short (the last part goes to one work order only)."""
    check_part(location=location, part=part)
    quantity = clean_quantity(quantity)
    work_order_id = clean_work_order_id(work_order_id)
    reason, reference = clean_reason(reason), clean_reference(reference)
    now = timezone.now()
    with transaction.atomic():
        state = level_change(
            now=now,
            location_id=location.pk,
            part_id=part.pk,
            on_hand=-quantity,
            need_free=quantity,
        )
        if state is None:
            raise shortage(location=location, part_id=part.pk)
        move = move_write(
            state=state,
            organization_id=location.organization_id,
            location_id=location.pk,
            part_id=part.pk,
            kind=StockMove.Kind.CONSUMPTION,
            quantity=-quantity,
            reason=reason,
            reference=reference,
            work_order_id=work_order_id,
            actor=actor,
            now=now,
        )
    return move


def stock_reserve(
    *,
    location: StockLocation,
    part: SparePart,
    quantity: int,
    work_order_id: int | None,
    reference: str,
    actor: User | None,
) -> Reservation:
    """Hold free stock for a work order until it is used or let go; refused when the free
    stock is short."""
    check_part(location=location, part=part)
    quantity = clean_quantity(quantity)
    work_order_id = clean_work_order_id(work_order_id)
    reference = clean_reference(reference)
    now = timezone.now()
    with transaction.atomic():
        state = level_change(
            now=now,
            location_id=location.pk,
            part_id=part.pk,
            reserved=quantity,
            need_free=quantity,
        )
        if state is None:
            raise shortage(location=location, part_id=part.pk)
        reservation = Reservation.objects.create(
            organization_id=location.organization_id,
            location=location,
            part=part,
            quantity=quantity,
            work_order_id=work_order_id,
            reference=reference,
            actor=actor,
            created_at=now,
        )
        low_mark(state, now=now)
    return reservation


def _reservation_close(*, reservation: Reservation, status: str, now) -> None:
    """Close an active reservation, once: a second close (or a close racing another) finds it
    closed and is refused."""
    closed = Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.ACTIVE).update(
        status=status, closed_at=now
    )
    if not closed:
        raise ApplicationError(_("This reservation is no longer active."), field="reservation")


def reservation_release(*, reservation: Reservation, actor: User | None) -> Reservation:
    """Let reserved parts go back to the free stock (the work order no longer needs them)."""
    now = timezone.now()
    with transaction.atomic():
        _reservation_close(reservation=reservation, status=Reservation.Status.RELEASED, now=now)
        state = level_change(
            now=now,
            location_id=reservation.location_id,
            part_id=reservation.part_id,
            reserved=-reservation.quantity,
            need_reserved=reservation.quantity,
        )
        if state is None:  # the level's reserved count is kept with every reservation
            raise ApplicationError(_("This reservation is no longer active."), field="reservation")
        low_mark(state, now=now)
    reservation.status, reservation.closed_at = Reservation.Status.RELEASED, now
    return reservation


def reservation_consume(*, reservation: Reservation, actor: User | None, reason: str) -> StockMove:
    """The reserved parts are used in the repair: they leave the stock on hand and the
    reservation, written in the ledger as a consumption of its work order."""
    reason = clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        _reservation_close(reservation=reservation, status=Reservation.Status.CONSUMED, now=now)
        state = level_change(
            now=now,
            location_id=reservation.location_id,
            part_id=reservation.part_id,
            on_hand=-reservation.quantity,
            reserved=-reservation.quantity,
            need_reserved=reservation.quantity,
        )
        if state is None:
            raise ApplicationError(_("This reservation is no longer active."), field="reservation")
        move = move_write(
            state=state,
            organization_id=reservation.organization_id,
            location_id=reservation.location_id,
            part_id=reservation.part_id,
            kind=StockMove.Kind.CONSUMPTION,
            quantity=-reservation.quantity,
            reason=reason,
            reference=reservation.reference,
            work_order_id=reservation.work_order_id,
            actor=actor,
            now=now,
        )
    reservation.status, reservation.closed_at = Reservation.Status.CONSUMED, now
    return move

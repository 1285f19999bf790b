"""How a stock level changes: one conditional UPDATE per change, read back by RETURNING, and
the reorder-point mark kept in the same transaction.

Nothing here reads a quantity and writes it back: the database adds and subtracts, and a
decrement carries its own condition (enough free stock, or enough reserved), so two
transactions racing for the last part cannot both have it. The row the UPDATE touched stays
locked until the transaction ends (SQLite: the whole database, taken at BEGIN IMMEDIATE).
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.catalog.models import SparePart
from aftercare.inventory.hooks import stock_low
from aftercare.inventory.models import StockLevel, StockLocation, StockMove
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text

# One move never carries more than this; a level never holds more than ON_HAND_MAX (the
# column is a 32-bit integer on PostgreSQL).
QUANTITY_MAX = 1_000_000
ON_HAND_MAX = 1_000_000_000


@dataclass(frozen=True)
class LevelState:
    """A level as the UPDATE that changed it left it."""

    id: int
    on_hand: int
    reserved: int
    reorder_point: int | None
    was_low: bool

    @property
    def free(self) -> int:
        """On hand and not reserved."""
        return self.on_hand - self.reserved


def level_change(
    *,
    now: datetime,
    level_id: int | None = None,
    location_id: int | None = None,
    part_id: int | None = None,
    on_hand: int = 0,
    reserved: int = 0,
    need_free: int = 0,
    need_reserved: int = 0,
    expect_on_hand: int | None = None,
) -> LevelState | None:
    """Add `on_hand` and `reserved` (signed) to one level, named by id or by location and
    part, in one conditional UPDATE: only if at least `need_free` is free and `need_reserved`
    reserved (and on hand is `expect_on_hand`, when given), and the result stays under
    ON_HAND_MAX. Returns the level after, or None when the condition refused (nothing
    changed) or there is no such level."""
    table = connection.ops.quote_name(StockLevel._meta.db_table)
    if level_id is not None:
        where, params = "id = %s", [level_id]
    else:
        where, params = "location_id = %s AND part_id = %s", [location_id, part_id]
    condition = "on_hand - reserved >= %s AND reserved >= %s AND on_hand + %s <= %s"
    condition_params = [need_free, need_reserved, on_hand, ON_HAND_MAX]
    if expect_on_hand is not None:
        condition += " AND on_hand = %s"
        condition_params.append(expect_on_hand)
    sql = (
        f"UPDATE {table} SET on_hand = on_hand + %s, reserved = reserved + %s, "  # noqa: S608
        f"updated_at = %s WHERE {where} AND {condition} "
        "RETURNING id, on_hand, reserved, reorder_point, low_since"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [on_hand, reserved, stamp, *params, *condition_params])
        row = cursor.fetchone()
    if row is None:
        return None
    return LevelState(
        id=row[0], on_hand=row[1], reserved=row[2], reorder_point=row[3], was_low=row[4] is not None
    )


def level_ensure(*, location: StockLocation, part: SparePart) -> int:
    """The id of the location's level of the part, created at zero if there is none yet (two
    transactions creating it at once: the unique constraint lets one insert, the other reads
    it)."""
    level, _created = StockLevel.objects.get_or_create(
        location=location, part=part, defaults={"organization_id": location.organization_id}
    )
    return level.pk


def low_mark(state: LevelState, *, now: datetime) -> None:
    """Keep the level's reorder mark in step with its free stock, in the caller's transaction:
    set when free stock is at or below the reorder point (the keeper is told once it commits),
    cleared when it is above again."""
    is_low = state.reorder_point is not None and state.free <= state.reorder_point
    if is_low and not state.was_low:
        marked = StockLevel.objects.filter(pk=state.id, low_since__isnull=True).update(
            low_since=now
        )
        if marked:
            transaction.on_commit(partial(stock_low.fire, level_id=state.id), robust=True)
    elif state.was_low and not is_low:
        StockLevel.objects.filter(pk=state.id).update(low_since=None)


def move_write(
    *,
    state: LevelState,
    organization_id: int,
    location_id: int,
    part_id: int,
    kind: str,
    quantity: int,
    reason: str,
    actor: User | None,
    now: datetime,
    reference: str = "",
    work_order_id: int | None = None,
) -> StockMove:
    """The ledger's line for a change already made to the level (`state`), and the level's
    reorder mark kept in step with it."""
    move = StockMove.objects.create(
        organization_id=organization_id,
        location_id=location_id,
        part_id=part_id,
        kind=kind,
        quantity=quantity,
        balance_after=state.on_hand,
        reason=reason,
        reference=reference,
        work_order_id=work_order_id,
        actor=actor,
        created_at=now,
    )
    low_mark(state, now=now)
    return move


def free_of(*, location_id: int, part_id: int) -> int:
    """Free stock (on hand less reserved) of a part at a location; 0 when none was ever held."""
    row = (
        StockLevel.objects.filter(location_id=location_id, part_id=part_id)
        .values_list("on_hand", "reserved")
        .first()
    )
    return row[0] - row[1] if row else 0


def shortage(*, location: StockLocation, part_id: int, field: str = "quantity") -> ApplicationError:
    """The refusal of a move or reservation the free stock cannot cover, saying what is free."""
    free = free_of(location_id=location.pk, part_id=part_id)
    return ApplicationError(
        _("Not enough free stock at %(location)s: %(free)s free.")
        % {"location": location.name, "free": free},
        field=field,
    )


def clean_quantity(
    value, *, field: str = "quantity", minimum: int = 1, maximum: int = QUANTITY_MAX
) -> int:
    """A whole number of parts within bounds, or an error naming the field."""
    valid = isinstance(value, int) and not isinstance(value, bool)
    if not valid or not minimum <= value <= maximum:
        raise ApplicationError(
            _("Enter a whole number from %(minimum)s to %(maximum)s.")
            % {"minimum": minimum, "maximum": maximum},
            field=field,
        )
    return value


def clean_reason(value: str, *, default: str = "") -> str:
    """Why the stock changed: required (or `default` when one is given), 500 characters."""
    reason = clean_text(value, field="reason", required=False, max_length=500)
    if not reason:
        reason = default
    if not reason:
        raise ApplicationError(_("Say why the stock changes."), field="reason")
    return reason


def clean_reference(value: str) -> str:
    """What caused a move, as its reader knows it ("WO-000012"): optional, 100 characters."""
    return clean_text(value, field="reference", required=False, max_length=100)


def clean_work_order_id(value) -> int | None:
    """A work order's id (repairs sits above inventory: an id, not a key), or None."""
    if value is None:
        return None
    valid = isinstance(value, int) and not isinstance(value, bool)
    if not valid or not 0 < value < 2**63:
        raise ApplicationError(_("No such work order."), field="work_order_id")
    return value


def check_part(*, location: StockLocation, part: SparePart, active: bool = True) -> None:
    """The part must be the location's organization's (and, unless told, still active)."""
    if part.organization_id != location.organization_id:
        raise ApplicationError(_("No such spare part."), field="part")
    if active and not part.is_active:
        raise ApplicationError(_("This spare part is no longer active."), field="part")


def check_location_takes_stock(location: StockLocation, *, field: str = "location") -> None:
    """An inactive location gives its stock away but takes none."""
    if not location.is_active:
        raise ApplicationError(
            _("%(location)s is inactive: it takes no stock.") % {"location": location.name},
            field=field,
        )

"""A work order's stages and the moves between them.

received → diagnosing → (awaiting_approval | awaiting_parts | in_repair) → ... → ready →
delivered → closed; cancelled from any open stage; awaiting_parts ↔ in_repair.

A person moves a work order along `MOVES`. The other moves are made by the services when
something happens: a quote sent (→ awaiting_approval), approved (→ in_repair, or awaiting_parts
while a part waits for stock) or declined (→ cancelled), a part short of stock while in repair
(→ awaiting_parts).
"""

from aftercare.repairs.models import WorkOrder

Stage = WorkOrder.Stage

CLOSED_STAGES = frozenset({Stage.CLOSED, Stage.CANCELLED})
OPEN_STAGES = frozenset(set(Stage) - CLOSED_STAGES)

# Moves made by hand on the work order page or through the API.
MOVES: dict[str, frozenset[str]] = {
    Stage.RECEIVED: frozenset({Stage.DIAGNOSING, Stage.CANCELLED}),
    Stage.DIAGNOSING: frozenset({Stage.AWAITING_PARTS, Stage.IN_REPAIR, Stage.CANCELLED}),
    # Back to diagnosing withdraws the quote; approving or declining it is the customer's.
    Stage.AWAITING_APPROVAL: frozenset({Stage.DIAGNOSING, Stage.CANCELLED}),
    Stage.AWAITING_PARTS: frozenset({Stage.IN_REPAIR, Stage.CANCELLED}),
    Stage.IN_REPAIR: frozenset({Stage.AWAITING_PARTS, Stage.READY, Stage.CANCELLED}),
    Stage.READY: frozenset({Stage.IN_REPAIR, Stage.DELIVERED, Stage.CANCELLED}),
    Stage.DELIVERED: frozenset({Stage.CLOSED, Stage.CANCELLED}),
    Stage.CLOSED: frozenset(),
    Stage.CANCELLED: frozenset(),
}

# Where a quote may be sent from (a quote found in repair asks again).
QUOTABLE_STAGES = frozenset(
    {Stage.DIAGNOSING, Stage.AWAITING_APPROVAL, Stage.AWAITING_PARTS, Stage.IN_REPAIR}
)

# Where parts may be fitted.
WORKING_STAGES = frozenset({Stage.DIAGNOSING, Stage.AWAITING_PARTS, Stage.IN_REPAIR})

# Reaching one of these on an installation work order sets the unit's installation date.
INSTALLED_STAGES = frozenset({Stage.DELIVERED, Stage.CLOSED})


def next_stages(stage: str) -> list[str]:
    """The stages a person may move a work order to from `stage`, in the stages' order."""
    allowed = MOVES.get(stage, frozenset())
    return [value for value in Stage.values if value in allowed]

"""publish(): tell the console pages of one organization (or one person) that something changed.

Every sender goes through here, whether it runs in a web request (in any of `serve`'s web
processes) or in the task worker (in the supervisor process). Without REDIS_URL the layer is
`lib.channel_layer`: each process keeps its own websockets' groups and passes every group message
to the other processes of the machine as a Unix datagram, so any process reaches any browser
served from that machine; with REDIS_URL the layer is Redis and that holds across machines. A
message that cannot be delivered is dropped (the page still shows the truth on its next load):
publishing never fails the change that caused it.
"""

import logging
from collections.abc import Callable
from functools import partial

from asgiref.sync import async_to_sync
from django.db import transaction

logger = logging.getLogger("aftercare.realtime")


def organization_group(organization_id: int) -> str:
    """The group every console page of an organization listens to."""
    return f"console.org.{organization_id}"


def user_group(organization_id: int, user_id: int) -> str:
    """The group one person's console pages in one organization listen to."""
    return f"console.org.{organization_id}.user.{user_id}"


def publish(group: str, event: dict) -> None:
    """Send an event to a group now (outside any transaction that could still roll back)."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "console.event", "event": event})
    except Exception:
        logger.warning("Could not publish to %s.", group, exc_info=True)


def publish_on_commit(group: str, event: dict) -> None:
    """Send an event once the current transaction commits, and not at all if it rolls back."""
    transaction.on_commit(partial(publish, group, event))


# The most items one collected event carries; the rest are counted in its "more".
COLLECTED_ITEMS_MAX = 200


def publish_collected_on_commit(
    group: str, event_type: str, key: object, describe: Callable[[], dict]
) -> None:
    """Add an item to the one event of `event_type` that `group` is sent once the current
    transaction commits: `{"type": event_type, "items": [...], "more": n}`.

    However many changes a transaction makes, each group hears of them once, after the commit,
    and not at all after a rollback. An item added again under the same `key` is sent once, as
    the last `describe` added says when it is called, at the commit. Outside a transaction the
    event is sent at once. Nothing here touches the database.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _publish_collected({(group, event_type): {key: describe}})
        return
    pending = getattr(connection, "aftercare_collected", None)
    # A transaction that rolled back took its callback out of the connection's list; one that
    # committed sent what it collected: either way, what they collected is not this one's.
    if (
        pending is None
        or pending.sent
        or not any(callback is pending for _sids, callback, _robust in connection.run_on_commit)
    ):
        pending = connection.aftercare_collected = _Collected()
        transaction.on_commit(pending)
    pending.events.setdefault((group, event_type), {})[key] = describe


class _Collected:
    """What one transaction collected, sent when it commits."""

    def __init__(self) -> None:
        self.events: dict[tuple[str, str], dict] = {}
        self.sent = False

    def __call__(self) -> None:
        self.sent = True
        _publish_collected(self.events)


def _publish_collected(collected: dict[tuple[str, str], dict]) -> None:
    for (group, event_type), describers in collected.items():
        items = []
        for describe in list(describers.values())[:COLLECTED_ITEMS_MAX]:
            try:
                items.append(describe())
            except Exception:
                logger.warning("Could not describe an item for %s.", group, exc_info=True)
        event = {"type": event_type, "items": items}
        if len(describers) > COLLECTED_ITEMS_MAX:
            event["more"] = len(describers) - COLLECTED_ITEMS_MAX
        publish(group, event)

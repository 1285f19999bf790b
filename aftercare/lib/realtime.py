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

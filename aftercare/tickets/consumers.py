"""The console's live channel: a signed-in member of staff hears their organization's events."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from aftercare.accounts.selectors import membership_for_session
from aftercare.lib.realtime import organization_group, user_group
from aftercare.notifications.selectors import console_notices_unread_count


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    """Joins the organization's group (and the member's own) for the organization the session
    works in; anyone else is refused. The browser only listens: it sends nothing."""

    async def connect(self) -> None:
        """Accept staff only, in the organization their session has chosen."""
        membership = await database_sync_to_async(self._membership)()
        if membership is None:
            await self.close(code=4403)
            return
        self.groups_joined = [
            organization_group(membership.organization_id),
            user_group(membership.organization_id, membership.user_id),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json(
            {
                "type": "hello",
                "organization": membership.organization_id,
                "notices_unread": membership.notices_unread,
            }
        )

    def _membership(self):
        """The member's membership, with how many of their notices are unread (the bell's
        count: it comes here rather than with every page, which then pays nothing for it)."""
        user, session = self.scope.get("user"), self.scope.get("session")
        if user is None or session is None or not user.is_authenticated:
            return None
        membership = membership_for_session(user=user, session=session)
        if membership is not None:
            membership.notices_unread = console_notices_unread_count(
                organization_id=membership.organization_id, user_id=membership.user_id
            )
        return membership

    async def disconnect(self, code: int) -> None:
        """Leave the groups joined."""
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """Nothing is read from the browser."""

    async def console_event(self, message: dict) -> None:
        """Pass an event published to one of the groups on to the browser."""
        await self.send_json(message["event"])

"""Tags of the tickets app's pieces of the console frame."""

from django import template

from aftercare.lib.queries import unique_or_none
from aftercare.tickets import rows, timeline
from aftercare.tickets.agents.models import AgentProfile

register = template.Library()


@register.simple_tag(takes_context=True)
def my_presence(context) -> str:
    """The signed-in member's routing presence ("available" when they never set one)."""
    membership = context.get("membership")
    if not membership:
        return ""
    presence = unique_or_none(
        AgentProfile.objects.filter(
            organization_id=membership.organization_id, user_id=membership.user_id
        ).values_list("presence", flat=True)
    )
    return presence or AgentProfile.Presence.AVAILABLE


# Pieces written in Python (aftercare/tickets/rows.py, timeline.py), so that every page draws a
# badge or a file link the same way: `{% status_badge ticket %}`, `{% attachment_item file %}`.
for _draw in (rows.status_badge, rows.priority_badge, rows.sla_badge, timeline.attachment_item):
    register.simple_tag(_draw)

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


@register.simple_tag
def status_badge(ticket) -> str:
    """The request's status badge (aftercare/tickets/rows.py)."""
    return rows.status_badge(ticket)


@register.simple_tag
def priority_badge(ticket) -> str:
    """The request's priority badge."""
    return rows.priority_badge(ticket)


@register.simple_tag
def sla_badge(ticket) -> str:
    """The request's SLA badge with its countdown."""
    return rows.sla_badge(ticket)


@register.simple_tag
def attachment_item(attachment) -> str:
    """A file of the request as a link with its size (aftercare/tickets/timeline.py)."""
    return timeline.attachment_item(attachment)

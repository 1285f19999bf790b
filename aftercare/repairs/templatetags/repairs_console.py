"""Template helpers of the repairs pages: stage and billing badges, amounts of money."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from aftercare.lib.text import html_escape as esc
from aftercare.repairs.models import PartLine, WorkOrder
from aftercare.repairs.money import format_amount, format_money

register = template.Library()

Stage = WorkOrder.Stage

_STAGE_CLASSES = {
    Stage.RECEIVED: "text-bg-light border",
    Stage.DIAGNOSING: "text-bg-info",
    Stage.AWAITING_APPROVAL: "text-bg-warning",
    Stage.AWAITING_PARTS: "text-bg-secondary",
    Stage.IN_REPAIR: "text-bg-primary",
    Stage.READY: "text-bg-success",
    Stage.DELIVERED: "text-bg-success",
    Stage.CLOSED: "text-bg-dark",
    Stage.CANCELLED: "text-bg-danger",
}

_BILLING_CLASSES = {
    WorkOrder.Billing.WARRANTY: "text-bg-success",
    WorkOrder.Billing.GOODWILL: "text-bg-info",
    WorkOrder.Billing.CUSTOMER: "text-bg-light border",
}

_PART_CLASSES = {
    PartLine.Status.RESERVED: "text-bg-info",
    PartLine.Status.WAITING: "text-bg-warning",
    PartLine.Status.USED: "text-bg-success",
    PartLine.Status.RELEASED: "text-bg-light border",
}


def _badge(css: str, value: str, label: str, testid: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every value escaped
        f'<span class="badge {esc(css)}" data-testid="{esc(testid)}" data-value="{esc(value)}">'
        f"{esc(label)}</span>"
    )


@register.simple_tag
def stage_badge(work_order: WorkOrder) -> SafeString:
    """A work order's stage as a coloured badge."""
    css = _STAGE_CLASSES.get(work_order.stage, "text-bg-light")
    return _badge(css, work_order.stage, work_order.get_stage_display(), "stage-badge")


@register.simple_tag
def billing_badge(work_order: WorkOrder) -> SafeString:
    """Who pays for a work order, as a badge."""
    css = _BILLING_CLASSES.get(work_order.billing, "text-bg-light")
    return _badge(css, work_order.billing, work_order.get_billing_display(), "billing-badge")


@register.simple_tag
def part_badge(line: PartLine) -> SafeString:
    """A part line's status as a badge."""
    css = _PART_CLASSES.get(line.status, "text-bg-light")
    return _badge(css, line.status, line.get_status_display(), "part-status")


@register.filter
def money(amount, currency: str = "") -> str:
    """An amount with its currency, in the active language's digits."""
    return format_money(amount, currency)


@register.filter
def amount(value, currency: str = "") -> str:
    """An amount without its currency (written once beside a total), in the currency's minor
    units and the active language's digits and separators."""
    return "" if value is None or value == "" else format_amount(value, currency)


@register.filter
def part_name(part, language: str) -> str:
    """A spare part's name in a language."""
    return part.name_in(language) if part is not None else ""

"""Work on a request told as sentences: the WORK events of the timeline, for staff on the
ticket page and for the customer in the portal, in the active language. Connected to
`tickets.hooks.work_event_describers` by `RepairsConfig.ready()`.

Everything a sentence says is stored with its event (aftercare/repairs/events.py): describing a
long timeline reads nothing more.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aftercare.lib.dates import format_date, format_datetime, uses_jalali
from aftercare.lib.text import persian_digits
from aftercare.repairs.events import Action
from aftercare.repairs.models import Visit, WorkOrder
from aftercare.repairs.money import format_money
from aftercare.tickets.models import TicketEvent

# Each action's sentence: when a member of staff did it, when no one did (the system, the
# customer), and as the customer reads it (None: the customer never sees it).
_SENTENCES = {
    Action.OPENED: (
        gettext_lazy("%(actor)s opened the work order %(reference)s (%(kind)s)."),
        gettext_lazy("The work order %(reference)s was opened (%(kind)s)."),
        gettext_lazy("We opened the work order %(reference)s for your request (%(kind)s)."),
    ),
    Action.STAGE: (
        gettext_lazy("%(actor)s moved %(reference)s from %(old)s to %(new)s."),
        gettext_lazy("%(reference)s moved from %(old)s to %(new)s."),
        gettext_lazy("Your repair %(reference)s: %(new)s."),
    ),
    Action.DIAGNOSED: (
        gettext_lazy("%(actor)s recorded the diagnosis of %(reference)s."),
        gettext_lazy("The diagnosis of %(reference)s was recorded."),
        None,
    ),
    Action.TECHNICIAN: (
        gettext_lazy("%(actor)s gave %(reference)s to %(technician)s."),
        gettext_lazy("%(reference)s was given to %(technician)s."),
        None,
    ),
    Action.BILLING: (
        gettext_lazy("%(actor)s changed the billing of %(reference)s from %(old)s to %(new)s."),
        gettext_lazy("The billing of %(reference)s changed from %(old)s to %(new)s."),
        None,
    ),
    Action.LABOUR: (
        gettext_lazy("%(actor)s logged %(minutes)s of work on %(reference)s."),
        gettext_lazy("%(minutes)s of work were logged on %(reference)s."),
        None,
    ),
    Action.PART_RESERVED: (
        gettext_lazy(
            "%(actor)s reserved %(quantity)s × %(part)s at %(location)s for %(reference)s."
        ),
        gettext_lazy("%(quantity)s × %(part)s were reserved at %(location)s for %(reference)s."),
        None,
    ),
    Action.PART_WAITING: (
        gettext_lazy(
            "%(actor)s asked for %(quantity)s × %(part)s for %(reference)s: %(location)s is "
            "short of it, so it waits for stock."
        ),
        gettext_lazy("%(quantity)s × %(part)s for %(reference)s wait for stock at %(location)s."),
        None,
    ),
    Action.PART_USED: (
        gettext_lazy("%(actor)s fitted %(quantity)s × %(part)s on %(reference)s."),
        gettext_lazy("%(quantity)s × %(part)s were fitted on %(reference)s."),
        None,
    ),
    Action.PART_RELEASED: (
        gettext_lazy("%(actor)s let go of %(quantity)s × %(part)s of %(reference)s."),
        gettext_lazy("%(quantity)s × %(part)s of %(reference)s were let go."),
        None,
    ),
    Action.QUOTE_SENT: (
        gettext_lazy("%(actor)s sent the customer a quote for %(reference)s: %(total)s."),
        gettext_lazy("A quote for %(reference)s was sent to the customer: %(total)s."),
        gettext_lazy(
            "A quote for your repair %(reference)s waits for your approval: %(total)s, "
            "valid until %(valid_until)s."
        ),
    ),
    Action.QUOTE_APPROVED: (
        gettext_lazy("%(actor)s approved the quote for %(reference)s (%(total)s)."),
        gettext_lazy("The quote for %(reference)s was approved (%(total)s)."),
        gettext_lazy("You approved the quote for %(reference)s (%(total)s)."),
    ),
    Action.QUOTE_DECLINED: (
        gettext_lazy("%(actor)s declined the quote for %(reference)s."),
        gettext_lazy("The quote for %(reference)s was declined."),
        gettext_lazy("You declined the quote for %(reference)s; the repair stops."),
    ),
    Action.QUOTE_WITHDRAWN: (
        gettext_lazy("%(actor)s withdrew the quote for %(reference)s."),
        gettext_lazy("The quote for %(reference)s was withdrawn."),
        None,
    ),
    Action.CLAIM_OPENED: (
        gettext_lazy("%(actor)s made a warranty claim for %(reference)s."),
        gettext_lazy("A warranty claim was made for %(reference)s."),
        None,
    ),
    Action.CLAIM_APPROVED: (
        gettext_lazy("%(actor)s approved the warranty claim for %(reference)s."),
        gettext_lazy("The warranty claim for %(reference)s was approved."),
        gettext_lazy("The warranty covers your repair %(reference)s."),
    ),
    Action.CLAIM_REJECTED: (
        gettext_lazy("%(actor)s rejected the warranty claim for %(reference)s."),
        gettext_lazy("The warranty claim for %(reference)s was rejected."),
        gettext_lazy("The warranty does not cover your repair %(reference)s."),
    ),
    Action.VISIT_SCHEDULED: (
        gettext_lazy(
            "%(actor)s scheduled a visit for %(reference)s: %(technician)s, %(start)s – %(end)s."
        ),
        gettext_lazy(
            "A visit was scheduled for %(reference)s: %(technician)s, %(start)s – %(end)s."
        ),
        gettext_lazy("A technician visit is planned: %(technician)s, %(start)s – %(end)s."),
    ),
    Action.VISIT_STATUS: (
        gettext_lazy("%(actor)s marked the visit for %(reference)s: %(status)s."),
        gettext_lazy("The visit for %(reference)s is now: %(status)s."),
        None,  # told per status below
    ),
    Action.INSTALLED: (
        gettext_lazy("%(actor)s set the unit's installation date to %(date)s (%(reference)s)."),
        gettext_lazy("The unit's installation date was set to %(date)s (%(reference)s)."),
        None,
    ),
}

# The customer's sentence of a visit's new status.
_VISIT_FOR_CUSTOMER = {
    Visit.Status.ON_THE_WAY: gettext_lazy("The technician is on the way."),
    Visit.Status.DONE: gettext_lazy("The technician's visit is done."),
    Visit.Status.MISSED: gettext_lazy("The technician came but could not meet you."),
    Visit.Status.CANCELLED: gettext_lazy("The technician's visit was cancelled."),
}

_CUSTOMER_BILLING = {
    WorkOrder.Billing.WARRANTY: gettext_lazy("The warranty covers it, subject to approval."),
    WorkOrder.Billing.GOODWILL: gettext_lazy("It is free of charge to you."),
    WorkOrder.Billing.CUSTOMER: gettext_lazy("You will get a quote to approve first."),
}


def _label(choices, value) -> str:
    """The translated label of a stored choice, or the value itself if it is no longer one."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _number(value) -> str:
    text = str(value if value is not None else "")
    return persian_digits(text) if uses_jalali() else text


def _minutes(value) -> str:
    count = int(value or 0)
    return ngettext("%(shown)s minute", "%(shown)s minutes", count) % {"shown": _number(count)}


def _date(value) -> str:
    try:
        return format_date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _instant(value) -> str:
    try:
        return format_datetime(datetime.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _values(data: dict, actor: str) -> dict:
    """Every placeholder any sentence uses, from the event's stored values."""
    return {
        "actor": actor,
        "reference": data.get("reference", ""),
        "kind": _label(WorkOrder.Kind, data.get("kind")),
        "old": _label(
            WorkOrder.Billing if data.get("action") == Action.BILLING else WorkOrder.Stage,
            data.get("from"),
        ),
        "new": _label(
            WorkOrder.Billing if data.get("action") == Action.BILLING else WorkOrder.Stage,
            data.get("to"),
        ),
        "technician": data.get("technician") or "—",
        "minutes": _minutes(data.get("minutes")),
        "quantity": _number(data.get("quantity", "")),
        "part": data.get("part", ""),
        "location": data.get("location", ""),
        "total": format_money(data.get("total"), data.get("currency", "")),
        "valid_until": _date(data.get("valid_until")),
        "start": _instant(data.get("start")),
        "end": _instant(data.get("end")),
        "status": _label(Visit.Status, data.get("status")),
        "date": _date(data.get("date")),
    }


def _details(data: dict, *, for_customer: bool) -> list[str]:
    """The lines under a sentence."""
    action = data.get("action")
    lines: list[str] = []
    if action == Action.OPENED and for_customer:
        billing = _CUSTOMER_BILLING.get(data.get("billing"))
        if billing:
            lines.append(str(billing))
    elif action == Action.OPENED and data.get("billing"):
        lines.append(
            _("Billing: %(billing)s") % {"billing": _label(WorkOrder.Billing, data["billing"])}
        )
    if action == Action.STAGE and not for_customer and data.get("note"):
        lines.append(_("Note: %(note)s") % {"note": data["note"]})
    if action == Action.DIAGNOSED:
        if data.get("root_cause"):
            lines.append(_("Root cause: %(code)s") % {"code": data["root_cause"]})
        if data.get("diagnosis"):
            lines.append(data["diagnosis"])
    if action == Action.LABOUR and data.get("description"):
        lines.append(data["description"])
    if action == Action.PART_USED and data.get("serial_number"):
        lines.append(_("Serial number: %(serial)s") % {"serial": data["serial_number"]})
    if action == Action.QUOTE_SENT and not for_customer and data.get("valid_until"):
        lines.append(_("Valid until %(date)s") % {"date": _date(data["valid_until"])})
    if action in (Action.QUOTE_DECLINED, Action.CLAIM_REJECTED) and data.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
    # The billing a claim's decision brought (staff only, like every billing change).
    claim_decided = action in (Action.CLAIM_APPROVED, Action.CLAIM_REJECTED)
    if claim_decided and data.get("billing_to") and not for_customer:
        billing = _label(WorkOrder.Billing, data["billing_to"])
        lines.append(_("Billing: %(billing)s") % {"billing": billing})
    if action == Action.VISIT_SCHEDULED and data.get("address"):
        lines.append(_("Address: %(address)s") % {"address": data["address"]})
    return lines


def work_event_describe(*, event: TicketEvent, for_customer: bool) -> tuple[str, list[str]] | None:
    """The sentence and detail lines of a repairs WORK event; None for any other event."""
    data = event.data or {}
    action = data.get("action")
    if event.kind != TicketEvent.Kind.WORK or action not in _SENTENCES:
        return None
    with_actor, without_actor, customer = _SENTENCES[action]
    actor = event.actor.display_name if event.actor_id and event.actor else ""
    values = _values(data, actor)
    if for_customer:
        if action == Action.VISIT_STATUS:
            sentence = _VISIT_FOR_CUSTOMER.get(data.get("status"))
            text = str(sentence) if sentence else values["status"]
            return text, []
        if customer is None:
            return None
        return str(customer) % values, _details(data, for_customer=True)
    template = with_actor if actor else without_actor
    return str(template) % values, _details(data, for_customer=False)

"""The bell in the console's top bar: what each staff notice says there, in the reader's language,
and what its open pages are told live (aftercare/static/aftercare/console-live.js)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from aftercare.notifications.models import ConsoleNotice, Notice

Event = Notice.Event

# The values of a notice's context its sentence may name (and the live event carries).
VALUES = ("reference", "subject", "name", "agent")


def sentences() -> dict[str, str]:
    """Each staff event's sentence, in the active language, with %(name)s placeholders."""
    return {
        Event.ASSIGNED: _("%(reference)s was given to you: %(subject)s"),
        Event.CUSTOMER_REPLIED: _("%(name)s replied on %(reference)s: %(subject)s"),
        Event.MENTIONED: _("%(agent)s mentioned you on %(reference)s: %(subject)s"),
        Event.SLA_WARNING: _("%(reference)s is at risk of missing its SLA: %(subject)s"),
        Event.SLA_BREACHED: _("%(reference)s breached its SLA: %(subject)s"),
        Event.ESCALATED: _("%(reference)s was escalated to you: %(subject)s"),
        Event.STOCK_LOW: _("Stock low: %(subject)s"),
    }


def notice_values(context: dict) -> dict[str, str]:
    """The values a sentence is written with, from a notice's context (missing ones empty)."""
    return {name: str(context.get(name) or "") for name in VALUES}


def notice_sentence(event: str, context: dict) -> str:
    """What a notice of `event` says, in the active language."""
    pattern = sentences().get(event)
    if pattern is None:
        return str(Notice.Event(event).label) if event in Notice.Event.values else event
    return pattern % notice_values(context)


def notice_path(url: str) -> str:
    """The path of this site a notice's link names (its context's absolute `url`), or ""."""
    parts = urlsplit(url or "")
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return ""
    return (path + (f"?{parts.query}" if parts.query else ""))[:300]


def live_item(notice: ConsoleNotice) -> dict:
    """What an open console page is told of a new notice (its script writes the sentence)."""
    return {
        "id": notice.pk,
        "event": notice.event,
        "url": notice.path,
        **notice_values(notice.context),
    }


def script_texts() -> dict:
    """The bell's texts for the console's scripts, in the active language."""
    return {
        "notices": sentences(),
        "noticesUnread": _("Notices: %(count)s unread"),
        "noticesNone": _("Notices"),
        "dismiss": _("Dismiss"),
    }

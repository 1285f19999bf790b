"""A notice's words: subject, plain text and HTML in the recipient's language, calendar and
direction, from the event's template and the values fixed when the change happened."""

import datetime
from dataclasses import dataclass

from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftercare.lib.dates import format_datetime
from aftercare.lib.vocabulary import Metric, Status
from aftercare.notifications.consent import unsubscribe_headers
from aftercare.notifications.models import STAFF_EVENTS, Notice, NoticeTemplate
from aftercare.notifications.sandbox import sandbox_render

Event = Notice.Event


@dataclass(frozen=True)
class Rendered:
    """A notice ready to send."""

    subject: str
    text: str
    html: str


def _subject(event: str, values: dict) -> str:
    """The subject line: the request's number in brackets (replies are threaded by it), what
    happened, and the request's subject."""
    formats = {
        Event.RECEIVED: _("[%(reference)s] Request received: %(subject)s"),
        Event.REPLIED: _("[%(reference)s] Re: %(subject)s"),
        Event.WAITING: _("[%(reference)s] Waiting for your answer: %(subject)s"),
        Event.STATUS_CHANGED: _("[%(reference)s] %(status)s: %(subject)s"),
        Event.RESOLVED: _("[%(reference)s] Resolved: %(subject)s"),
        Event.CLOSED: _("[%(reference)s] Closed: %(subject)s"),
        Event.REMINDER: _("[%(reference)s] Still waiting for your answer: %(subject)s"),
        Event.QUOTE: _("[%(reference)s] A repair quote to approve: %(subject)s"),
        Event.ASSIGNED: _("[%(reference)s] Assigned to you: %(subject)s"),
        Event.CUSTOMER_REPLIED: _("[%(reference)s] %(name)s replied: %(subject)s"),
        Event.MENTIONED: _("[%(reference)s] %(agent)s mentioned you: %(subject)s"),
        Event.SLA_WARNING: _("[%(reference)s] SLA at risk: %(subject)s"),
        Event.SLA_BREACHED: _("[%(reference)s] SLA breached: %(subject)s"),
        Event.ESCALATED: _("[%(reference)s] Escalated to you: %(subject)s"),
        # Not about a request: `subject` names the part and where it is kept.
        Event.STOCK_LOW: _("Stock low: %(subject)s"),
    }
    return formats[event] % values


def _action(event: str) -> str:
    """The words of the notice's one link."""
    if event == Event.STOCK_LOW:
        return _("Open the stock")
    if event in STAFF_EVENTS:
        return _("Open the request")
    if event in (Event.REPLIED, Event.WAITING, Event.REMINDER):
        return _("Answer")
    if event == Event.QUOTE:
        return _("Approve or decline the quote")
    return _("Follow your request")


def _footer(event: str, organization: str) -> str:
    if event in STAFF_EVENTS:
        return pgettext(
            "notice footer",
            "You receive this message as staff of %(organization)s. Choose which notices you "
            "get on your notification settings in the console.",
        ) % {"organization": organization}
    return pgettext(
        "notice footer",
        "You receive this message because you have a request with %(organization)s.",
    ) % {"organization": organization}


def _values(notice: Notice) -> dict:
    """The template's values, in the active language and time zone."""
    context = notice.context
    due = context.get("due")
    status = context.get("status", "")
    return {
        "reference": context.get("reference", ""),
        "subject": context.get("subject", ""),
        "name": context.get("name", ""),
        "agent": context.get("agent", ""),
        "body": context.get("body", ""),
        "url": context.get("url", ""),
        "solved_url": context.get("solved_url", ""),
        "not_solved_url": context.get("not_solved_url", ""),
        "organization": context.get("organization", ""),
        "status": Status(status).label if status in Status.values else status,
        "due": format_datetime(datetime.datetime.fromisoformat(due)) if due else "",
        "note": context.get("note", ""),
        "target": _target(context.get("metric", "")),
    }


def _target(metric: str) -> str:
    """An SLA target's name, in the active language."""
    return str(Metric(metric).label) if metric in Metric.values else metric


def _plain(template_name: str, values: dict) -> str:
    """A template rendered as plain text: nothing HTML-escaped."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(values, autoescape=False))


def _own_template(notice: Notice) -> NoticeTemplate | None:
    return NoticeTemplate.objects.filter(
        organization_id=notice.organization_id,
        event=notice.event,
        language=notice.language,
        channel=notice.channel,
        is_active=True,
    ).first()


_LOOK_UP = object()


def own_templates(notices: list[Notice]) -> dict[tuple, NoticeTemplate]:
    """The organizations' own active templates for a batch of notices, in one query, by
    (organization id, event, language, channel)."""
    if not notices:
        return {}
    found = NoticeTemplate.objects.filter(
        organization_id__in={notice.organization_id for notice in notices},
        event__in={notice.event for notice in notices},
        is_active=True,
    )
    return {(t.organization_id, t.event, t.language, t.channel): t for t in found}


def template_key(notice: Notice) -> tuple:
    return (notice.organization_id, notice.event, notice.language, notice.channel)


def notice_render(notice: Notice, *, template=_LOOK_UP) -> Rendered:
    """Render a notice in its language and its organization's time zone, with the
    organization's own template for its event and language when it has one. `template` gives
    it instead (a preview, or a batch that looked its templates up at once; None: the standard
    words)."""
    time_zone = notice.context.get("time_zone") or "UTC"
    with translation.override(notice.language), timezone.override(time_zone):
        values = _values(notice)
        own = _own_template(notice) if template is _LOOK_UP else template
        subject = _subject(notice.event, values)
        if own is not None and own.subject.strip():
            subject = sandbox_render(own.subject, values, autoescape=False)
        subject = " ".join(subject.split())
        if own is not None:
            intro = sandbox_render(own.body, values, autoescape=False).strip()
        else:
            intro = _plain(f"notifications/email/{notice.event}.txt", values).strip()
        greeting = (
            _("Hello %(name)s,") % {"name": values["name"]}
            if values["name"] and notice.event not in STAFF_EVENTS
            else _("Hello,")
        )
        signature = values["organization"]
        footer = _footer(notice.event, values["organization"])
        unsubscribe = unsubscribe_headers(
            organization=notice.organization, customer_id=notice.customer_id, event=notice.event
        )
        if unsubscribe:
            link = unsubscribe["List-Unsubscribe"].strip("<>")
            footer = f"{footer} " + _("To stop these reminders: %(link)s") % {"link": link}
        action = _action(notice.event)
        choices = [
            (label, values[key])
            for label, key in (
                (_("Yes, it is solved"), "solved_url"),
                (_("No, not yet"), "not_solved_url"),
            )
            if values[key]
        ]
        if notice.channel != "email":
            # A text message: what happened and where to read it, in one or two lines.
            short = f"{subject} {values['url']}".strip()
            return Rendered(subject=subject, text=short, html="")
        paragraphs = [part.strip() for part in intro.split("\n\n") if part.strip()]
        quote = values["body"] or values["note"]
        text_parts = [greeting, *paragraphs]
        if quote:
            text_parts.append("\n".join(f"> {line}" for line in quote.splitlines()))
        text_parts.extend(f"{label}: {url}" for label, url in choices)
        if values["url"]:
            text_parts.append(f"{action}: {values['url']}")
        text_parts.append(f"-- \n{signature}\n{footer}")
        rtl = translation.get_language_bidi()
        html = render_to_string(
            "notifications/email/base.html",
            {
                "language": notice.language,
                "direction": "rtl" if rtl else "ltr",
                "align": "right" if rtl else "left",
                "start": "right" if rtl else "left",
                "subject": subject,
                "greeting": greeting,
                "paragraphs": paragraphs,
                "quote": quote,
                "url": values["url"],
                "action": action,
                "choices": choices,
                "signature": signature,
                "footer": footer,
            },
        )
    return Rendered(subject=subject, text="\n\n".join(text_parts) + "\n", html=html)

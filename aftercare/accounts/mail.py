"""Mail about staff accounts: invitations, password resets, changes of email.

These go straight to the configured mailer with Django's mail API, not through the customer
notices' outbound log (`notifications`, above this app): they carry links that sign someone in
or take over an account, which must not be kept in a log that support staff can read.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aftercare.lib.languages import is_language

logger = logging.getLogger(__name__)


@dataclass
class MailOutcome:
    """Whether a mail reached the mail server: None until it was tried (after the commit)."""

    sent: bool | None = None

    @property
    def failed(self) -> bool:
        """Tried, and the mail server could not be reached or refused it."""
        return self.sent is False


@dataclass(frozen=True)
class StaffMail:
    """One mail to write: its template under accounts/email/, its values and its button."""

    template: str
    subject: str
    values: dict
    url: str = ""
    action: str = ""


def site_url(path: str) -> str:
    """An absolute address on this site, for a link in a mail."""
    return f"{settings.SITE_URL}{path}"


def console_url(name: str, **kwargs) -> str:
    """The absolute address of a console page, by URL name."""
    return site_url(reverse(f"console:{name}", kwargs=kwargs or None))


def mail_language(*candidates: str) -> str:
    """The first supported language among the candidates (the reader's, then a fallback)."""
    for candidate in candidates:
        if candidate and is_language(candidate):
            return candidate
    return settings.LANGUAGE_CODE


def _plain(template_name: str, values: dict) -> str:
    """A template rendered as plain text: nothing HTML-escaped."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(values, autoescape=False))


def _write(mail: StaffMail, *, language: str) -> EmailMultiAlternatives:
    """The mail in `language`: plain text and HTML, right-to-left for a bidi language."""
    with translation.override(language):
        subject = " ".join(mail.subject.split())  # a line break in a header would raise
        text = _plain(f"accounts/email/{mail.template}.txt", mail.values).strip()
        paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
        footer = _("You receive this message because of your staff account at %(site)s.") % {
            "site": settings.SITE_URL
        }
        plain = "\n\n".join(paragraphs)
        if mail.url:
            plain += f"\n\n{mail.action}:\n{mail.url}"
        plain += f"\n\n-- \n{footer}\n"
        rtl = translation.get_language_bidi()
        html = render_to_string(
            "accounts/email/layout.html",
            {
                "language": language,
                "direction": "rtl" if rtl else "ltr",
                "align": "right" if rtl else "left",
                "subject": subject,
                "paragraphs": paragraphs,
                "url": mail.url,
                "action": mail.action,
                "footer": footer,
            },
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=plain,
        to=[mail.values["to"]],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def staff_mail_send(mail: StaffMail, *, language: str) -> bool:
    """Write and send one mail through the default mailer; False (logged) when it failed."""
    try:
        _write(mail, language=language).send()
    except (OSError, smtplib.SMTPException, ValueError):
        # The address is not logged on purpose: the log shows what failed, not to whom.
        logger.exception("Sending a staff account mail (%s) failed", mail.template)
        return False
    return True

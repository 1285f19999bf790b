"""Inbound mail from the command line.

    manage.py inbound_email --org SLUG [--sender S] [--recipient R] < message.eml

reads one message on standard input and exits 0 only once it is stored (for a Postfix `pipe`
transport or a `.forward`); processing follows in the task worker. Exit codes follow
sysexits.h, which mail servers read: 65 the message is refused (empty, too large: the sender is
told), 67 no such organization, 75 a temporary failure (the mail server tries again later).

    manage.py inbound_email --poll [--mailbox ID]    fetch all new mail from IMAP mailboxes
    manage.py inbound_email --process                process every stored message that is due
    (both together: fetch, then process)
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.messaging.inbound.imap import mailbox_poll
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.services import inbound_email_store, inbound_process_due

EX_DATAERR = 65
EX_NOUSER = 67
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Store one message from standard input for an organization, or poll, or process."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help="the organization's slug (reading standard input)")
        parser.add_argument("--sender", default="", help="the envelope sender")
        parser.add_argument("--recipient", default="", help="the envelope recipient")
        parser.add_argument("--poll", action="store_true", help="poll the active IMAP mailboxes")
        parser.add_argument("--mailbox", type=int, help="with --poll: only this mailbox")
        parser.add_argument("--process", action="store_true", help="process what is due")

    def handle(self, *args, **options) -> None:
        if options["poll"] or options["process"]:
            if options["poll"]:
                self._poll(options["mailbox"])
            if options["process"]:
                self.stdout.write(f"{inbound_process_due()} processed")
            return
        if not options["org"]:
            raise CommandError(
                "Give --org SLUG (with the message on standard input), --poll or --process."
            )
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            self.stderr.write(f"No organization {options['org']!r}.")
            sys.exit(EX_NOUSER)
        # Read at most one byte past the limit: a larger message is refused without being kept.
        raw = sys.stdin.buffer.read(settings.INBOUND_EMAIL_MAX_BYTES + 1)
        try:
            inbound_email_store(
                organization=organization,
                raw=raw,
                source=InboundEmail.Source.PIPE,
                envelope_sender=options["sender"],
                envelope_recipient=options["recipient"],
            )
        except ApplicationError as error:
            self.stderr.write(str(error.message))
            sys.exit(EX_DATAERR)
        except DatabaseError as error:
            self.stderr.write(f"Not stored, try again later: {error}")
            sys.exit(EX_TEMPFAIL)

    def _poll(self, mailbox_id: int | None) -> None:
        """Poll each active mailbox until it has nothing new."""
        mailboxes = Mailbox.objects.filter(is_active=True).select_related("organization")
        if mailbox_id:
            mailboxes = mailboxes.filter(pk=mailbox_id)
        for mailbox in mailboxes:
            total = 0
            while stored := mailbox_poll(mailbox=mailbox):
                total += stored
                mailbox.refresh_from_db()
            mailbox.refresh_from_db(fields=["last_error"])
            self.stdout.write(f"{mailbox.name}: {total} new {mailbox.last_error}".rstrip())

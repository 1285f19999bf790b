"""The console's inbound mail pages (admins): the mailboxes polled, and every message that came
in, with the ones that failed (the dead letters) to read, reprocess or discard."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.console.pages import (
    console_view,
    form_data,
    form_page,
    next_page_url,
    render_console,
)
from aftercare.lib.errors import ApplicationError
from aftercare.messaging.inbound.forms import MailboxForm
from aftercare.messaging.inbound.imap import mailbox_check, mailbox_poll
from aftercare.messaging.inbound.models import InboundEmail
from aftercare.messaging.inbound.selectors import (
    FILTERS,
    inbound_email_get,
    inbound_email_list,
    mailbox_get,
    mailbox_list,
)
from aftercare.messaging.inbound.services import (
    inbound_email_discard,
    inbound_email_reprocess,
    mailbox_create,
    mailbox_update,
)

# How much of a raw message the page shows; the whole of it is a download away.
RAW_SHOWN_BYTES = 256 * 1024

_admin_view = console_view(refusal=gettext_lazy("Only admins manage mailboxes and inbound mail."))


def _filters() -> list[tuple[str, str]]:
    return [
        ("attention", _("Needs attention")),
        ("", _("All")),
        ("done", _("Processed")),
        ("ignored", _("Ignored")),
        ("waiting", _("Waiting")),
        ("discarded", _("Discarded")),
    ]


@_admin_view
def inbound_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Inbound mail, newest first; by default the messages that need an admin."""
    show = request.GET.get("show", "attention")
    if show not in FILTERS:
        show = ""
    try:
        page = inbound_email_list(
            organization=membership.organization, show=show, cursor=request.GET.get("cursor")
        )
        error = ""
    except ApplicationError as problem:
        page, error = None, problem.message
    context = {
        "settings_section": "email",
        "rows": page.items if page else [],
        "next_url": next_page_url(request, page),
        "show": show,
        "filters": _filters(),
        "error": error,
    }
    return render_console(
        request, membership, "inbound/inbound_list.html", context, status=422 if error else 200
    )


@_admin_view
def inbound_detail_view(
    request: HttpRequest, membership: Membership, inbound_id: int
) -> HttpResponse:
    """One message as it arrived, what came of it, and what an admin can do with it."""
    row = inbound_email_get(organization=membership.organization, inbound_id=inbound_id)
    raw = bytes(row.raw)
    context = {
        "settings_section": "email",
        "row": row,
        "raw_text": raw[:RAW_SHOWN_BYTES].decode("utf-8", "replace"),
        "raw_cut": len(raw) > RAW_SHOWN_BYTES,
        "can_reprocess": row.state != InboundEmail.State.DONE,
        "can_discard": row.state in (InboundEmail.State.DEAD, InboundEmail.State.FAILED),
    }
    return render_console(request, membership, "inbound/inbound_detail.html", context)


@_admin_view
def inbound_raw_view(request: HttpRequest, membership: Membership, inbound_id: int) -> HttpResponse:
    """The raw message as a download (never shown inline: it is the sender's markup)."""
    row = inbound_email_get(organization=membership.organization, inbound_id=inbound_id)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="inbound-{row.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@_admin_view
def inbound_action_view(
    request: HttpRequest, membership: Membership, inbound_id: int, action: str
) -> HttpResponse:
    """Reprocess or discard a message."""
    row = inbound_email_get(organization=membership.organization, inbound_id=inbound_id)
    try:
        if action == "reprocess":
            inbound_email_reprocess(inbound=row)
            messages.success(request, _("The message is being processed again."))
        else:
            inbound_email_discard(inbound=row)
            messages.success(request, _("The message is discarded; it is still kept here."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("inbound:detail", inbound_id=row.pk)


@_admin_view
def mailbox_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organization's mailboxes and how their last poll went."""
    context = {
        "settings_section": "email",
        "mailboxes": mailbox_list(organization=membership.organization),
    }
    return render_console(request, membership, "inbound/mailboxes.html", context)


@_admin_view
def mailbox_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = MailboxForm(
        form_data(request), initial={"port": 993, "security": "ssl", "folder": "INBOX"}
    )

    def save() -> HttpResponse:
        mailbox = mailbox_create(
            organization=membership.organization,
            password=form.cleaned_data["password"],
            **form.values(),
        )
        messages.success(request, _("Mailbox %(name)s created.") % {"name": mailbox.name})
        return redirect("inbound:mailboxes")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="inbound/mailbox_form.html",
        context={"settings_section": "email", "mailbox": None},
    )


@_admin_view
def mailbox_edit_view(
    request: HttpRequest, membership: Membership, mailbox_id: int
) -> HttpResponse:
    mailbox = mailbox_get(organization=membership.organization, mailbox_id=mailbox_id)
    initial = {
        field: getattr(mailbox, field)
        for field in MailboxForm.base_fields
        if field != "password" and hasattr(mailbox, field)
    }
    form = MailboxForm(form_data(request), initial=initial, editing=True)

    def save() -> HttpResponse:
        saved = mailbox_update(
            mailbox=mailbox, password=form.cleaned_data["password"], **form.values()
        )
        messages.success(request, _("Mailbox %(name)s saved.") % {"name": saved.name})
        return redirect("inbound:mailboxes")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="inbound/mailbox_form.html",
        context={"settings_section": "email", "mailbox": mailbox},
    )


@require_POST
@_admin_view
def mailbox_action_view(
    request: HttpRequest, membership: Membership, mailbox_id: int, action: str
) -> HttpResponse:
    """Test a mailbox's connection, or poll it now."""
    mailbox = mailbox_get(organization=membership.organization, mailbox_id=mailbox_id)
    if action == "test":
        problem = mailbox_check(mailbox=mailbox)
        if problem:
            messages.error(request, _("The connection failed: %(error)s") % {"error": problem})
        else:
            messages.success(request, _("Signed in to %(name)s.") % {"name": mailbox.name})
    else:
        stored = mailbox_poll(mailbox=mailbox)
        mailbox.refresh_from_db(fields=["last_error"])
        if mailbox.last_error:
            messages.error(request, mailbox.last_error)
        else:
            messages.success(request, _("%(count)s new messages.") % {"count": stored})
    return redirect("inbound:mailboxes")

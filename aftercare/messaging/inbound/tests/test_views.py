"""The console's inbound mail pages: admins only; another organization's messages and mailboxes
answer 404; the dead letters can be read, downloaded, reprocessed and discarded; a mailbox's
password is sealed and never shown back."""

import pytest
from django.urls import reverse

from aftercare.lib.sealing import unseal
from aftercare.lib.testing import text_of
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.services import inbound_email_store, mailbox_create
from aftercare.messaging.inbound.tests.conftest import mail
from aftercare.tickets.models import Ticket

NO_SENDER = b"To: support@demo.example\r\nSubject: <b>who</b> am I\r\n\r\n<script>x()</script>\r\n"


@pytest.fixture
def dead(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row, _new = inbound_email_store(organization=org, raw=NO_SENDER, source="pipe")
    row.refresh_from_db()
    assert row.state == "dead"
    return row


@pytest.fixture
def mailbox(org):
    return mailbox_create(
        organization=org,
        password="s3cret-imap-password",
        name="Support",
        address="support@demo.example",
        host="imap.demo.example",
        port=993,
        security="ssl",
        username="support",
        folder="INBOX",
        processed_folder="Processed",
    )


def test_the_dead_letters_are_listed_and_read_without_running_the_senders_markup(
    admin_client, dead
):
    listing = admin_client.get(reverse("inbound:list"))
    assert listing.status_code == 200
    assert f'data-inbound-id="{dead.pk}"' in text_of(listing)

    page = admin_client.get(reverse("inbound:detail", args=[dead.pk]))
    body = text_of(page)
    assert page.status_code == 200
    assert "&lt;script&gt;x()&lt;/script&gt;" in body
    assert "<script>x()" not in body

    download = admin_client.get(reverse("inbound:raw", args=[dead.pk]))
    assert download["Content-Type"] == "message/rfc822"
    assert "attachment" in download["Content-Disposition"]
    assert download.content == NO_SENDER


def test_an_admin_discards_a_dead_letter_and_it_is_kept(admin_client, dead):
    response = admin_client.post(reverse("inbound:discard", args=[dead.pk]))
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.state == "discarded"
    assert bytes(dead.raw) == NO_SENDER
    assert f'data-inbound-id="{dead.pk}"' not in text_of(admin_client.get(reverse("inbound:list")))


def test_an_admin_reprocesses_a_failed_message_after_a_fix(
    org, admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    from aftercare.messaging.inbound import services

    monkeypatch.setattr(services, "_open", lambda row, parsed: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        row, _new = inbound_email_store(organization=org, raw=mail(), source="pipe")
    row.refresh_from_db()
    assert row.state == "failed"
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("inbound:reprocess", args=[row.pk]))
    row.refresh_from_db()
    assert (row.state, row.outcome) == ("done", "new_request")
    assert Ticket.objects.filter(organization=org).count() == 1


@pytest.mark.parametrize("role_client", ["agent_client", "supervisor_client", "viewer_client"])
def test_only_admins_see_inbound_mail(request, role_client, dead, mailbox):
    client = request.getfixturevalue(role_client)
    for url in (
        reverse("inbound:list"),
        reverse("inbound:detail", args=[dead.pk]),
        reverse("inbound:raw", args=[dead.pk]),
        reverse("inbound:mailboxes"),
        reverse("inbound:mailbox_edit", args=[mailbox.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("inbound:discard", args=[dead.pk])).status_code == 403
    dead.refresh_from_db()
    assert dead.state == "dead"


def test_another_organizations_messages_and_mailboxes_answer_404(outsider_client, dead, mailbox):
    for method, url in (
        ("get", reverse("inbound:detail", args=[dead.pk])),
        ("get", reverse("inbound:raw", args=[dead.pk])),
        ("post", reverse("inbound:reprocess", args=[dead.pk])),
        ("post", reverse("inbound:discard", args=[dead.pk])),
        ("get", reverse("inbound:mailbox_edit", args=[mailbox.pk])),
        ("post", reverse("inbound:mailbox_edit", args=[mailbox.pk])),
        ("post", reverse("inbound:mailbox_test", args=[mailbox.pk])),
        ("post", reverse("inbound:mailbox_poll", args=[mailbox.pk])),
    ):
        assert getattr(outsider_client, method)(url).status_code == 404, url
    assert f'data-inbound-id="{dead.pk}"' not in text_of(
        outsider_client.get(reverse("inbound:list"))
    )
    dead.refresh_from_db()
    assert dead.state == "dead"


def _form(**changes) -> dict:
    data = {
        "name": "Sales",
        "address": "sales@demo.example",
        "host": "imap.demo.example",
        "port": "993",
        "security": "ssl",
        "username": "sales",
        "password": "first-password",
        "folder": "INBOX",
        "processed_folder": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_a_mailbox_password_is_sealed_never_shown_back_and_kept_when_left_empty(org, admin_client):
    response = admin_client.post(reverse("inbound:mailbox_create"), _form())
    assert response.status_code == 302
    mailbox = Mailbox.objects.get(organization=org)
    assert "first-password" not in mailbox.password_sealed
    assert unseal(mailbox.password_sealed) == "first-password"

    page = text_of(admin_client.get(reverse("inbound:mailbox_edit", args=[mailbox.pk])))
    assert "first-password" not in page
    assert mailbox.password_sealed not in page

    admin_client.post(
        reverse("inbound:mailbox_edit", args=[mailbox.pk]), _form(name="Sales 2", password="")
    )
    mailbox.refresh_from_db()
    assert (mailbox.name, unseal(mailbox.password_sealed)) == ("Sales 2", "first-password")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"port": "0"}, "port"),
        ({"host": "bad host"}, "host"),
        ({"password": ""}, "password"),
        ({"folder": "INBOX", "processed_folder": "INBOX"}, "processed_folder"),
    ],
)
def test_a_bad_mailbox_is_refused_naming_the_field(org, admin_client, changes, field):
    response = admin_client.post(reverse("inbound:mailbox_create"), _form(**changes))
    assert response.status_code == 422
    assert f'data-testid="error-{field}"' in text_of(response)
    assert not Mailbox.objects.exists()


def test_testing_an_unreachable_mailbox_says_why_and_records_nothing(admin_client, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(host="127.0.0.1", port=1, security="none")
    response = admin_client.post(reverse("inbound:mailbox_test", args=[mailbox.pk]), follow=True)
    assert "The connection failed" in text_of(response)
    assert not InboundEmail.objects.exists()


def test_the_request_page_shows_a_mailed_answer_with_its_quote_folded(org, admin_client, pipe):
    pipe(org, mail())
    ticket = Ticket.objects.get(organization=org)
    first = InboundEmail.objects.get()
    answer = mail(
        body=(
            "Monday is fine.\n\n"
            "On Mon, 7 Dec 2026, Support <support@demo.example> wrote:\n> We come"
        ),
        headers={"References": first.message_id},
    )
    pipe(org, answer)

    page = text_of(admin_client.get(reverse("tickets:detail", args=[ticket.number])))
    head = page.index("Monday is fine.")
    folded = page.index('data-testid="quoted"')
    assert head < folded < page.index("&gt; We come")

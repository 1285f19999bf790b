"""The request page: its five sections, the timeline, attachments, who may read it."""

import datetime
import re
import zoneinfo

import jdatetime
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.models import User
from aftercare.api.tests.files import png_bytes
from aftercare.catalog.services import product_model_create
from aftercare.knowledge.tests.factories import make_article
from aftercare.lib.testing import free_port
from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment
from aftercare.tickets.selectors import ticket_timeline
from aftercare.tickets.services import (
    category_create,
    ticket_assign,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.tests.factories import make_ticket
from aftercare.tickets.tests.helpers import png_upload

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_ticket_page_and_attachment_need_sign_in(client, ticket):
    for url in (
        reverse("tickets:detail", args=[ticket.number]),
        reverse("tickets:attachment", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_ticket_page_shows_the_five_sections(org, agent_client, customer, bob_agent):
    product = product_model_create(organization=org, name="WM-7", sku="WM7", brand="Aria")
    category = category_create(organization=org, name="Leaks")
    ticket = make_ticket(
        organization=org,
        customer=customer,
        actor=bob_agent,
        product_model=product,
        serial_number="SN-123",
        purchase_date=datetime.date(2024, 3, 1),
        seller="Digikala",
        category=category,
        tags=["water", "urgent-visit"],
        description="آب از زیر دستگاه\nنشت می‌کند",
        attachments=[png_upload("leak.png")],
    )
    ticket_update(
        ticket=ticket, actor=bob_agent, resolution="Replaced the pump.", root_cause="Pump"
    )
    response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "A. Customer",
        "B. Product",
        "C. Problem",
        "D. Actions taken",
        "E. Finalization",
    ):
        assert heading in html
    assert f'href="/customers/{customer.pk}/"' in html
    assert "maryam@example.com" in html and "+989123456789" in html
    assert "Aria WM-7" in html
    assert 'data-testid="serial-number">SN-123<' in html
    assert 'data-testid="purchase-date">2024-03-01<' in html
    assert "Digikala" in html
    assert ">Leaks<" in html
    assert ">urgent-visit<" in html and ">water<" in html
    assert 'dir="auto" data-testid="description">آب از زیر دستگاه\nنشت می‌کند<' in html
    attachment = Attachment.objects.get(ticket=ticket)
    assert f'href="/attachments/{attachment.pk}/"' in html
    assert 'data-testid="resolution">Replaced the pump.<' in html
    assert 'data-testid="root-cause">Pump<' in html
    assert "Not confirmed yet" in html
    assert '<textarea name="body"' in html
    assert 'data-testid="send-reply"' in html
    assert "Bob Agent changed the request&#x27;s details." in html


def test_timeline_shows_messages_and_events_as_sentences(org, agent_client, ticket, sam_supervisor):
    ticket_message_add(ticket=ticket, kind=MessageKind.CUSTOMER, body="It still leaks.", actor=None)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="We will call.", actor=None)
    ticket_message_add(
        ticket=ticket, kind=MessageKind.NOTE, body="Check the pump stock.", actor=sam_supervisor
    )
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.CALL,
        body="Booked a visit.",
        actor=sam_supervisor,
        call_direction="outbound",
        call_duration_seconds=420,
    )
    ticket_assign(ticket=ticket, assignee=sam_supervisor, actor=sam_supervisor)
    ticket_update(ticket=ticket, actor=sam_supervisor, priority=Priority.HIGH)
    ticket_status_change(
        ticket=ticket, status=Status.ON_HOLD, actor=sam_supervisor, reason="Waiting for parts"
    )

    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()

    assert 'data-testid="timeline-customer"' in html
    assert 'data-testid="timeline-reply"' in html
    assert 'data-testid="timeline-note"' in html and 'data-testid="internal-badge"' in html
    assert 'data-testid="timeline-call"' in html and "Outbound · 7 minutes" in html
    assert "Maryam Ahmadi" in html
    assert "The status changed from New to Open." in html
    assert "Sam Supervisor assigned the request to Sam Supervisor." in html
    assert "Sam Supervisor changed the priority from Normal to High." in html
    assert "Sam Supervisor changed the status from Open to On hold." in html
    assert "Reason: Waiting for parts" in html
    order = [html.index(text) for text in ("It still leaks.", "We will call.", "Booked a visit.")]
    assert order == sorted(order)


def _messages(ticket, count, authors):
    """Messages of every kind by several authors, some with attachments."""
    for n in range(count):
        kind = [MessageKind.CUSTOMER, MessageKind.REPLY, MessageKind.NOTE, MessageKind.CALL][n % 4]
        ticket_message_add(
            ticket=ticket,
            kind=kind,
            body=f"Message {n}",
            actor=authors[n % len(authors)],
            attachments=[png_upload(f"p{n}.png")] if n % 3 == 0 else None,
            call_direction="inbound" if kind == MessageKind.CALL else "",
            call_duration_seconds=60 if kind == MessageKind.CALL else None,
        )


def test_ticket_page_query_count_is_the_same_for_2_and_30_messages(
    org, agent_client, bob_agent, sam_supervisor
):
    small = make_ticket(organization=org, actor=bob_agent, tags=["a"])
    large = make_ticket(organization=org, actor=bob_agent, tags=["a"])
    _messages(small, 2, [bob_agent, sam_supervisor])
    _messages(large, 30, [bob_agent, sam_supervisor])
    for ticket in (small, large):
        ticket_assign(ticket=ticket, assignee=sam_supervisor, actor=bob_agent)

    def count_queries(ticket):
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
        assert response.status_code == 200
        return len(queries), response.content.decode().count('data-testid="timeline-')

    small_queries, small_entries = count_queries(small)
    large_queries, large_entries = count_queries(large)
    assert large_entries > small_entries
    assert small_queries == large_queries
    # session, user, memberships (the switcher's too); ticket, tags; members, teams, categories,
    # products, the customer's units; contact points; messages, every file of the request,
    # events, notices; presence; the panels of the apps above (repairs: the work orders); the
    # canned answers and macros the agent may use; the articles suggested (one lookup in the
    # search index, and their translations when it finds any)
    assert large_queries == 20


def test_ticket_page_in_persian_is_rtl_with_jalali_dates(org, agent_client, ticket, bob_agent):
    # The agent works in Tehran: the page shows Tehran's wall clock, in the Jalali calendar.
    User.objects.filter(pk=bob_agent.pk).update(time_zone="Asia/Tehran")
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    local = ticket.created_at.astimezone(zoneinfo.ZoneInfo("Asia/Tehran"))
    jalali = jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d %H:%M")
    expected = jalali.translate(PERSIAN_DIGITS)
    assert re.fullmatch(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}", expected)
    assert f"{expected}</time>" in html
    utc = jdatetime.datetime.fromgregorian(datetime=ticket.created_at).strftime("%H:%M")
    assert f" {utc.translate(PERSIAN_DIGITS)}</time>" not in html


def test_another_organizations_ticket_page_is_404(org, outsider_client, ticket):
    assert outsider_client.get(reverse("tickets:detail", args=[ticket.number])).status_code == 404


def test_viewer_reads_the_ticket_without_forms(org, viewer_client, ticket):
    response = viewer_client.get(reverse("tickets:detail", args=[ticket.number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="read-only"' in html
    assert 'name="body"' not in html
    assert viewer_client.get(reverse("tickets:create")).status_code == 403


def test_staff_downloads_attachments_with_safe_headers(org, agent_client, ticket, bob_agent):
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.NOTE,
        body="Files",
        actor=bob_agent,
        attachments=[
            png_upload("photo.png"),
            SimpleUploadedFile("log.txt", b"<script>alert(1)</script>", content_type="text/html"),
        ],
    )
    image = Attachment.objects.get(ticket=ticket, filename="photo.png")
    text = Attachment.objects.get(ticket=ticket, filename="log.txt")

    response = agent_client.get(reverse("tickets:attachment", args=[image.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"

    response = agent_client.get(reverse("tickets:attachment", args=[text.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="log.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_of_another_organization_is_404(org, outsider_client, ticket, bob_agent):
    ticket_message_add(
        ticket=ticket, kind=MessageKind.NOTE, body="x", actor=bob_agent, attachments=[png_upload()]
    )
    attachment = Attachment.objects.get(ticket=ticket)
    response = outsider_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 404


def test_viewer_can_download(org, viewer_client, ticket, bob_agent):
    ticket_message_add(
        ticket=ticket, kind=MessageKind.NOTE, body="x", actor=bob_agent, attachments=[png_upload()]
    )
    attachment = Attachment.objects.get(ticket=ticket)
    response = viewer_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200


def test_the_timeline_escapes_what_people_typed(org, agent_client, bob_agent):
    # The timeline is written in Python (aftercare/tickets/timeline.py), not by the template
    # engine: every value people typed must still arrive escaped.
    ticket = make_ticket(organization=org, actor=bob_agent)
    ticket.customer.name = 'Eve <img src=x onerror="alert(1)">'
    ticket.customer.save(update_fields=["name"])
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.CUSTOMER,
        body="<script>alert('body')</script>",
        actor=None,
        attachments=[png_upload('x"><script>f</script>.png')],
    )
    ticket_status_change(
        ticket=ticket, status=Status.ON_HOLD, actor=bob_agent, reason="<b>parts</b> & more"
    )
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    timeline = html[html.index('data-testid="timeline"') : html.index('data-testid="composer"')]
    assert "<script>" not in timeline and "<b>" not in timeline and "<img" not in timeline
    assert "&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in timeline
    assert "Eve &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in timeline
    assert "Reason: &lt;b&gt;parts&lt;/b&gt; &amp; more" in timeline
    stored = Attachment.objects.get(ticket=ticket).filename  # the upload's name, made safe
    assert f'data-testid="attachment-link">{stored}</a>' in timeline


def test_the_timeline_shows_each_notice_sent_and_why_one_failed(
    org, agent_client, bob_agent, customer, django_capture_on_commit_callbacks, settings
):
    from aftercare.notifications.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(organization=org, customer=customer, actor=bob_agent)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="On it.", actor=bob_agent)

    response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))

    html = response.content.decode()
    assert html.count('data-testid="timeline-notice"') == 2
    assert 'data-state="sent"' in html and 'data-state="queued"' in html
    assert "Email to maryam@example.com: Request received" in html
    assert "Email to maryam@example.com: Agent replied" in html
    assert "Failed, will retry" in html and "1 try: The mail server could not be reached" in html
    assert Notice.objects.filter(ticket_id=ticket.pk, state="queued", attempts=1).exists()
    # What the customer's pages read shows no notices.
    public = ticket_timeline(ticket=ticket, public_only=True).entries
    assert public and all(entry.kind != "notice" for entry in public)


def test_the_request_page_suggests_the_articles_that_may_answer_it(
    org, other_org, customer, agent_client, bob_agent
):
    cooler = make_article(org, texts={"fa": ("کولر آبی خنک نمی‌کند", "<p>پوشال</p>")})
    internal = make_article(
        org, texts={"fa": ("کولر: دستور تعمیر", "<p>x</p>")}, visibility="internal"
    )
    make_article(org, texts={"fa": ("یخچال صدا می‌دهد", "<p>x</p>")})
    make_article(other_org, texts={"fa": ("کولر خنک نمی‌کند", "<p>x</p>")})
    ticket = make_ticket(
        organization=org,
        customer=customer,
        subject="كولر خنك نميكند",  # typed with Arabic letters
        description="از دیروز",
        actor=bob_agent,
    )
    response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
    html = response.content.decode()
    card = html.split('data-testid="suggested-articles"')[1].split("</div></div>")[0]
    # The fridge's article shares no word; the other organization's is never read.
    assert re.findall(r'href="/knowledge/articles/(\d+)/"', card) == [
        str(cooler.pk),
        str(internal.pk),
    ]
    address = f"{settings.SITE_URL}/portal/{org.slug}/help/articles/{cooler.pk}/"
    assert f'data-insert-text="کولر آبی خنک نمی‌کند: {address}"' in card
    # An internal article is for staff: no address to send the customer.
    assert card.count('data-testid="insert-article-link"') == 1

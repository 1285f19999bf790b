import datetime
import re
import zoneinfo

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.accounts.models import Membership, User
from aftercare.accounts.services import membership_create, team_create, user_create
from aftercare.catalog.services import product_model_create
from aftercare.customers.models import Customer
from aftercare.lib.testing import client_for
from aftercare.lib.vocabulary import Kind, Priority, Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment, Tag, Ticket, TicketEvent, TicketMessage
from aftercare.tickets.services import (
    category_create,
    ticket_assign,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.tests.factories import make_customer, make_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _png(name="photo.png"):
    """A small valid PNG upload."""
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _rows(response) -> list[str]:
    """The ids of the tickets in the queue, in order."""
    return re.findall(r'data-testid="queue-row" data-ticket-id="(\d+)"', response.content.decode())


def _state(ticket):
    """What an action could change on a ticket, to show a refused one changed nothing."""
    ticket = Ticket.objects.get(pk=ticket.pk)
    return (
        ticket.status,
        ticket.priority,
        ticket.kind,
        ticket.assignee_id,
        ticket.team_id,
        ticket.purchase_date,
        ticket.updated_at,
        TicketEvent.objects.filter(ticket=ticket).count(),
        TicketMessage.objects.filter(ticket=ticket).count(),
        Attachment.objects.filter(ticket=ticket).count(),
    )


@pytest.fixture
def ticket(org, customer, bob_agent):
    return make_ticket(organization=org, customer=customer, actor=bob_agent)


# Sign-in and roles


@pytest.mark.parametrize("name", ["tickets:queue", "tickets:create"])
def test_pages_need_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_ticket_page_and_attachment_need_sign_in(client, ticket):
    for url in (
        reverse("tickets:detail", args=[ticket.pk]),
        reverse("tickets:attachment", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_signed_in_user_without_membership_gets_403(db):
    user = user_create(email="nobody@example.com", password="x" * 20)
    client = client_for(user)
    response = client.get(reverse("tickets:queue"))
    assert response.status_code == 403
    assert "not staff of any organization" in response.content.decode()


# The queue


def test_queue_defaults_to_open_requests_with_every_column(org, agent_client, customer, bob_agent):
    team = team_create(organization=org, name="Laundry")
    first = make_ticket(
        organization=org,
        customer=customer,
        subject="یخچال صدا می‌دهد",
        kind=Kind.REPAIR,
        priority=Priority.URGENT,
        team=team,
        assignee=bob_agent,
    )
    second = make_ticket(organization=org, subject="Oven light", kind=Kind.QUESTION)
    closed = make_ticket(organization=org, subject="Old one")
    ticket_status_change(ticket=closed, status=Status.CLOSED, actor=bob_agent)

    response = agent_client.get(reverse("tickets:queue"))

    assert response.status_code == 200
    assert _rows(response) == [str(second.pk), str(first.pk)]
    html = response.content.decode()
    row = html[html.index(f'data-ticket-id="{first.pk}"') :].split("</tr>")[0]
    assert f'href="/requests/{first.pk}/"' in row
    assert ">AS-000001<" in row
    assert 'dir="auto">یخچال صدا می‌دهد<' in row
    assert "Maryam Ahmadi" in row
    assert 'class="badge status-badge status-new"' in row
    assert ">Urgent<" in row
    assert ">Repair<" in row
    assert ">Laundry<" in row
    assert ">Bob Agent<" in row
    first.refresh_from_db()
    assert timezone.localtime(first.updated_at).strftime("%Y-%m-%d %H:%M") in row
    assert "Old one" not in html


def test_queue_mine_unassigned_team_and_all(org, agent_client, bob_agent, sam_supervisor):
    team = team_create(organization=org, name="Field service")
    mine = make_ticket(organization=org, assignee=bob_agent)
    theirs = make_ticket(organization=org, assignee=sam_supervisor, team=team)
    unassigned = make_ticket(organization=org)
    closed_mine = make_ticket(organization=org, assignee=bob_agent)
    ticket_status_change(ticket=closed_mine, status=Status.CLOSED, actor=bob_agent)

    def rows(query):
        response = agent_client.get(reverse("tickets:queue"), query)
        assert response.status_code == 200
        return _rows(response)

    assert rows({"queue": "mine"}) == [str(mine.pk)]
    assert rows({"queue": "unassigned"}) == [str(unassigned.pk)]
    assert rows({"queue": "team", "team": team.pk}) == [str(theirs.pk)]
    assert rows({"queue": "open"}) == [str(unassigned.pk), str(theirs.pk), str(mine.pk)]
    assert rows({"queue": "all"}) == [
        str(closed_mine.pk),
        str(unassigned.pk),
        str(theirs.pk),
        str(mine.pk),
    ]
    response = agent_client.get(reverse("tickets:queue"), {"queue": "team", "team": team.pk})
    assert "Team Field service" in response.content.decode()


def test_queue_filters_and_search(org, agent_client, bob_agent):
    washer = make_ticket(
        organization=org,
        subject="Washer leaks",
        kind=Kind.REPAIR,
        priority=Priority.HIGH,
        serial_number="SN-4471",
    )
    question = make_ticket(organization=org, subject="How to descale", kind=Kind.QUESTION)
    ticket_status_change(ticket=question, status=Status.PENDING_CUSTOMER, actor=bob_agent)

    def rows(query):
        response = agent_client.get(reverse("tickets:queue"), query)
        assert response.status_code == 200
        return _rows(response)

    assert rows({"status": "pending_customer"}) == [str(question.pk)]
    assert rows({"kind": "repair"}) == [str(washer.pk)]
    assert rows({"priority": "3"}) == [str(washer.pk)]
    assert rows({"assignee": "none"}) == [str(question.pk), str(washer.pk)]
    assert rows({"assignee": str(bob_agent.pk)}) == []
    assert rows({"q": "descale"}) == [str(question.pk)]
    assert rows({"q": "SN-4471"}) == [str(washer.pk)]
    assert rows({"q": "AS-000002"}) == [str(question.pk)]
    assert rows({"q": "۲"}) == [str(question.pk)]


def test_queue_sorts(org, agent_client):
    low = make_ticket(organization=org, priority=Priority.LOW)
    urgent = make_ticket(organization=org, priority=Priority.URGENT)
    normal = make_ticket(organization=org, priority=Priority.NORMAL)
    Ticket.objects.filter(pk=low.pk).update(updated_at=timezone.now() + datetime.timedelta(1))

    def rows(sort):
        return _rows(agent_client.get(reverse("tickets:queue"), {"sort": sort}))

    assert rows("-updated") == [str(low.pk), str(normal.pk), str(urgent.pk)]
    assert rows("-created") == [str(normal.pk), str(urgent.pk), str(low.pk)]
    assert rows("created") == [str(low.pk), str(urgent.pk), str(normal.pk)]
    assert rows("-priority") == [str(urgent.pk), str(normal.pk), str(low.pk)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "lost"}, "Select a valid choice."),
        ({"sort": "random"}, "Select a valid choice."),
        ({"team": "999999"}, "Select a valid choice."),
        ({"cursor": "not-a-cursor"}, "The cursor is not valid."),
        ({"queue": "everything"}, "Unknown queue."),
    ],
)
def test_queue_bad_filters_answer_422_with_the_error(org, agent_client, query, message):
    make_ticket(organization=org)
    response = agent_client.get(reverse("tickets:queue"), query)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _rows(response) == []


def test_queue_team_of_another_organization_is_refused(org, other_org, agent_client):
    foreign = team_create(organization=other_org, name="Theirs")
    response = agent_client.get(reverse("tickets:queue"), {"queue": "team", "team": foreign.pk})
    assert response.status_code == 422
    assert 'data-testid="error-team"' in response.content.decode()


def test_queue_pages_with_a_next_link_and_htmx_appends_rows(org, agent_client, settings):
    settings.QUEUE_PAGE_SIZE = 2
    tickets = [make_ticket(organization=org) for _ in range(5)]
    newest_first = [str(t.pk) for t in reversed(tickets)]

    first = agent_client.get(reverse("tickets:queue"), {"queue": "open", "kind": "repair"})
    assert _rows(first) == newest_first[:2]
    next_url = re.search(r'data-testid="next-page"', first.content.decode())
    assert next_url
    href = re.search(r'href="(\?[^"]+)" hx-get', first.content.decode()).group(1)
    href = href.replace("&amp;", "&")
    assert "queue=open" in href and "kind=repair" in href and "cursor=" in href

    second = agent_client.get(reverse("tickets:queue") + href)
    assert second.status_code == 200
    assert _rows(second) == newest_first[2:4]
    assert "<html" in second.content.decode()

    partial = agent_client.get(reverse("tickets:queue") + href, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body
    assert body.strip().startswith("<tr")
    assert _rows(partial) == newest_first[2:4]
    assert 'id="load-more"' in body

    last_href = re.search(r'href="(\?[^"]+)" hx-get', body).group(1).replace("&amp;", "&")
    last = agent_client.get(reverse("tickets:queue") + last_href, headers={"HX-Request": "true"})
    assert _rows(last) == newest_first[4:]
    assert 'id="load-more"' not in last.content.decode()


def _bulk_tickets(org, count, *, customers, teams, members, tags):
    """Many tickets at once, spread over customers, teams, assignees and tags."""
    start = Ticket.objects.filter(organization=org).count()
    now = timezone.now()
    tickets = Ticket.objects.bulk_create(
        [
            Ticket(
                organization=org,
                number=start + n + 1,
                subject=f"Request {n}",
                description="Something broke.",
                customer=customers[n % len(customers)],
                team=teams[n % len(teams)],
                assignee=members[n % len(members)],
                priority=1 + n % 4,
                created_at=now - datetime.timedelta(minutes=n),
                updated_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(count)
        ]
    )
    Through = Ticket.tags.through
    Through.objects.bulk_create(
        [Through(ticket_id=t.pk, tag_id=tags[i % len(tags)].pk) for i, t in enumerate(tickets)]
    )


def test_queue_query_count_is_the_same_at_10_and_500_tickets(
    org, agent_client, bob_agent, sam_supervisor
):
    customers = [make_customer(organization=org) for _ in range(3)]
    teams = [team_create(organization=org, name=name) for name in ("A", "B")]
    tags = [Tag.objects.create(organization=org, name=name) for name in ("x", "y")]
    members = [bob_agent, sam_supervisor]
    url = reverse("tickets:queue")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(url, {"queue": "open"})
        assert response.status_code == 200
        return len(queries), len(_rows(response))

    _bulk_tickets(org, 10, customers=customers, teams=teams, members=members, tags=tags)
    at_10, rows_10 = count_queries()
    _bulk_tickets(org, 490, customers=customers, teams=teams, members=members, tags=tags)
    at_500, rows_500 = count_queries()

    assert (rows_10, rows_500) == (10, 50)
    assert at_10 == at_500
    # session, user, membership, the switcher's memberships, presence, teams, members, tickets, tags
    assert at_500 == 9


# The ticket page


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
        attachments=[_png("leak.png")],
    )
    ticket_update(
        ticket=ticket, actor=bob_agent, resolution="Replaced the pump.", root_cause="Pump"
    )
    response = agent_client.get(reverse("tickets:detail", args=[ticket.pk]))
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

    html = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

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
            attachments=[_png(f"p{n}.png")] if n % 3 == 0 else None,
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
            response = agent_client.get(reverse("tickets:detail", args=[ticket.pk]))
        assert response.status_code == 200
        return len(queries), response.content.decode().count('data-testid="timeline-')

    small_queries, small_entries = count_queries(small)
    large_queries, large_entries = count_queries(large)
    assert large_entries > small_entries
    assert small_queries == large_queries
    # session, user, membership, switcher; ticket, tags; members, teams, categories,
    # products; contact points; attachments; messages, their attachments, events; presence
    assert large_queries == 16


def test_ticket_page_in_persian_is_rtl_with_jalali_dates(org, agent_client, ticket, bob_agent):
    # The agent works in Tehran: the page shows Tehran's wall clock, in the Jalali calendar.
    User.objects.filter(pk=bob_agent.pk).update(time_zone="Asia/Tehran")
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.get(reverse("tickets:detail", args=[ticket.pk]))
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


# Actions


def test_reply_is_sent_and_shown(org, agent_client, ticket, bob_agent):
    url = reverse("tickets:message", args=[ticket.pk])
    response = agent_client.post(url, {"kind": "reply", "body": "ما فردا تماس می‌گیریم."})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    message = TicketMessage.objects.get(ticket=ticket)
    assert (message.kind, message.body, message.author) == (
        MessageKind.REPLY,
        "ما فردا تماس می‌گیریم.",
        bob_agent,
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at == message.created_at
    page = agent_client.get(response["Location"]).content.decode()
    assert "Reply sent." in page
    assert 'dir="auto">ما فردا تماس می‌گیریم.<' in page


def test_htmx_reply_returns_the_refreshed_ticket_body(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.pk]),
        {"kind": "reply", "body": "On our way."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div id="ticket-body"')
    assert "<html" not in html
    assert "On our way." in html
    assert 'data-testid="timeline-reply"' in html
    assert TicketMessage.objects.filter(ticket=ticket, kind=MessageKind.REPLY).count() == 1


def test_note_is_internal_and_keeps_the_status(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.pk]), {"kind": "note", "body": "VIP customer."}
    )
    assert response.status_code == 302
    note = TicketMessage.objects.get(ticket=ticket)
    assert note.kind == MessageKind.NOTE
    assert not note.is_public
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    html = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-testid="internal-badge"' in html


def test_call_is_logged_with_direction_and_duration(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.pk]),
        {
            "kind": "call",
            "body": "Customer called about the visit.",
            "call_direction": "inbound",
            "call_duration_minutes": "۵",
        },
    )
    assert response.status_code == 302
    call = TicketMessage.objects.get(ticket=ticket)
    assert (call.kind, call.call_direction, call.call_duration_seconds, call.channel) == (
        MessageKind.CALL,
        "inbound",
        300,
        "phone",
    )


def test_reply_with_attachments_stores_them_on_the_message(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.pk]),
        {"kind": "reply", "body": "See the photos.", "attachments": [_png("a.png"), _png("b.png")]},
    )
    assert response.status_code == 302
    message = TicketMessage.objects.get(ticket=ticket)
    names = sorted(message.attachments.values_list("filename", flat=True))
    assert names == ["a.png", "b.png"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "reply", "body": "   "}, "body", "This field is required."),
        ({"body": "Hello"}, None, "Choose whether to reply, note or log a call."),
        (
            {"kind": "call", "body": "Called", "call_direction": "sideways"},
            "call_direction",
            "Select a valid choice.",
        ),
        (
            {"kind": "call", "body": "Called", "call_duration_minutes": "-3"},
            "call_duration_minutes",
            "greater than or equal to 0",
        ),
    ],
)
def test_bad_message_input_answers_422_and_changes_nothing(
    org, agent_client, ticket, data, field, message
):
    before = _state(ticket)
    response = agent_client.post(reverse("tickets:message", args=[ticket.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    if field:
        assert f'data-testid="error-{field}"' in html
    assert _state(ticket) == before


def test_refused_attachment_answers_422_and_changes_nothing(org, agent_client, ticket):
    before = _state(ticket)
    fake = SimpleUploadedFile("virus.png", b"MZ not a png", content_type="image/png")
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.pk]),
        {"kind": "reply", "body": "Here.", "attachments": [fake]},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "virus.png does not contain what its extension says." in html
    assert 'data-testid="error-attachments"' in html
    assert _state(ticket) == before


def test_reply_on_a_closed_request_is_refused(org, agent_client, ticket, bob_agent):
    ticket_status_change(ticket=ticket, status=Status.CLOSED, actor=bob_agent)
    before = _state(ticket)
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.pk]), {"kind": "reply", "body": "Hello?"}
    )
    assert response.status_code == 422
    assert "This request is closed. Open a new request instead." in response.content.decode()
    assert _state(ticket) == before


def test_assign_to_a_member_and_to_me(org, agent_client, ticket, bob_agent, sam_supervisor):
    url = reverse("tickets:assign", args=[ticket.pk])
    response = agent_client.post(url, {"assignee_id": str(sam_supervisor.pk)})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == sam_supervisor
    response = agent_client.post(url, {"assignee_id": str(bob_agent.pk)})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == bob_agent
    events = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.ASSIGNED)
    assert [e.data["to"] for e in events.order_by("id")] == [sam_supervisor.pk, bob_agent.pk]
    response = agent_client.post(url, {"assignee_id": ""})
    ticket.refresh_from_db()
    assert ticket.assignee is None
    html = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "Bob Agent unassigned the request." in html


def test_assign_to_someone_outside_the_organization_is_refused(
    org, agent_client, ticket, charlie_other_org, vic_viewer
):
    before = _state(ticket)
    for user in (charlie_other_org, vic_viewer):
        response = agent_client.post(
            reverse("tickets:assign", args=[ticket.pk]), {"assignee_id": str(user.pk)}
        )
        assert response.status_code == 422
        assert 'data-testid="error-assignee_id"' in response.content.decode()
    assert _state(ticket) == before


def test_status_change_records_the_event(org, agent_client, ticket, bob_agent):
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.pk]),
        {"status": "resolved", "reason": "Pump replaced"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert not ticket.is_open
    event = TicketEvent.objects.filter(ticket=ticket).latest("id")
    assert (event.kind, event.actor, event.data) == (
        TicketEvent.Kind.STATUS_CHANGED,
        bob_agent,
        {"from": "new", "to": "resolved", "reason": "Pump replaced"},
    )


def test_status_page_offers_only_allowed_transitions(org, agent_client, ticket, bob_agent):
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    html = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    form = html[html.index('data-testid="status-form"') :].split("</form>")[0]
    assert re.findall(r'<option value="([a-z_]+)"', form) == ["open", "closed"]


def test_invalid_transition_shows_the_error_and_changes_nothing(
    org, agent_client, ticket, bob_agent
):
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    before = _state(ticket)
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.pk]), {"status": "pending_customer"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-status"' in html
    assert "A request cannot go from Resolved to Pending customer." in html
    assert _state(ticket) == before


def test_priority_change_through_the_problem_section(org, agent_client, ticket, bob_agent):
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.pk, "triage"]), {"priority": "4"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.kind) == (Priority.URGENT, Kind.REPAIR)
    event = TicketEvent.objects.filter(ticket=ticket).latest("id")
    assert (event.kind, event.data) == (TicketEvent.Kind.PRIORITY_CHANGED, {"from": 2, "to": 4})


def test_problem_section_saves_kind_category_team_and_tags(org, agent_client, ticket):
    category = category_create(organization=org, name="Noise")
    team = team_create(organization=org, name="Workshop")
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.pk, "triage"]),
        {
            "priority": "2",
            "kind": "warranty_claim",
            "category_id": str(category.pk),
            "team_id": str(team.pk),
            "tags": "noise، warranty, noise",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.kind, ticket.category, ticket.team) == (Kind.WARRANTY_CLAIM, category, team)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["noise", "warranty"]
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"fields_changed", "team_changed", "tags_changed"} <= kinds


def test_category_of_another_organization_is_refused(org, other_org, agent_client, ticket):
    foreign = category_create(organization=other_org, name="Theirs")
    before = _state(ticket)
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.pk, "triage"]), {"category_id": str(foreign.pk)}
    )
    assert response.status_code == 422
    assert 'data-testid="error-category_id"' in response.content.decode()
    assert _state(ticket) == before


def test_product_section_accepts_a_jalali_date_for_persian_users(org, agent_client, ticket):
    product = product_model_create(organization=org, name="Fridge", sku="FR1")
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.pk, "product"]),
        {
            "product_model_id": str(product.pk),
            "serial_number": "FR-99",
            "purchase_date": "۱۴۰۳/۰۵/۲۰",
            "seller": "فروشگاه مرکزی",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.product_model, ticket.serial_number, ticket.purchase_date, ticket.seller) == (
        product,
        "FR-99",
        datetime.date(2024, 8, 10),
        "فروشگاه مرکزی",
    )
    html = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-testid="purchase-date">۱۴۰۳/۰۵/۲۰<' in html
    assert 'value="1403/05/20"' in html


@pytest.mark.parametrize(
    ("date", "message"),
    [("2999-01-01", "The purchase date is in the future."), ("31/02/2024", "YYYY-MM-DD")],
)
def test_bad_purchase_date_answers_422_and_changes_nothing(
    org, agent_client, ticket, date, message
):
    before = _state(ticket)
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.pk, "product"]), {"purchase_date": date}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'data-testid="error-purchase_date"' in html
    assert _state(ticket) == before


def test_finalization_section_saves_resolution_and_root_cause(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.pk, "finalization"]),
        {"resolution": "Replaced the drain pump.", "root_cause": "Worn pump"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.resolution, ticket.root_cause) == ("Replaced the drain pump.", "Worn pump")


def test_unknown_section_is_404(org, agent_client, ticket):
    response = agent_client.post(reverse("tickets:update", args=[ticket.pk, "secret"]), {})
    assert response.status_code == 404


def test_htmx_error_returns_the_body_with_the_error(org, agent_client, ticket, bob_agent):
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    before = _state(ticket)
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.pk]),
        {"status": "on_hold"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.strip().startswith('<div id="ticket-body"')
    assert "A request cannot go from Resolved to On hold." in html
    assert _state(ticket) == before


_ACTIONS = [
    ("tickets:message", {"kind": "note", "body": "x"}),
    ("tickets:assign", {"assignee_id": ""}),
    ("tickets:status", {"status": "open"}),
    ("tickets:update", {"priority": "4"}),
]


def _action_url(name, ticket_id):
    """The address of one of the ticket page's actions."""
    if name == "tickets:update":
        return reverse(name, args=[ticket_id, "triage"])
    return reverse(name, args=[ticket_id])


@pytest.mark.parametrize(("name", "data"), _ACTIONS)
def test_another_organizations_ticket_is_404_for_every_action(
    org, outsider_client, ticket, name, data
):
    before = _state(ticket)
    response = outsider_client.post(_action_url(name, ticket.pk), data)
    assert response.status_code == 404
    assert _state(ticket) == before


def test_another_organizations_ticket_page_is_404(org, outsider_client, ticket):
    assert outsider_client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 404


@pytest.mark.parametrize(("name", "data"), _ACTIONS)
def test_viewer_cannot_act(org, viewer_client, ticket, name, data):
    before = _state(ticket)
    response = viewer_client.post(_action_url(name, ticket.pk), data)
    assert response.status_code == 403
    assert _state(ticket) == before


def test_viewer_reads_the_ticket_without_forms(org, viewer_client, ticket):
    response = viewer_client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="read-only"' in html
    assert 'name="body"' not in html
    assert viewer_client.get(reverse("tickets:create")).status_code == 403


# Attachments


def test_staff_downloads_attachments_with_safe_headers(org, agent_client, ticket, bob_agent):
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.NOTE,
        body="Files",
        actor=bob_agent,
        attachments=[
            _png("photo.png"),
            SimpleUploadedFile("log.txt", b"<script>alert(1)</script>", content_type="text/html"),
        ],
    )
    image = Attachment.objects.get(ticket=ticket, filename="photo.png")
    text = Attachment.objects.get(ticket=ticket, filename="log.txt")

    response = agent_client.get(reverse("tickets:attachment", args=[image.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
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
        ticket=ticket, kind=MessageKind.NOTE, body="x", actor=bob_agent, attachments=[_png()]
    )
    attachment = Attachment.objects.get(ticket=ticket)
    response = outsider_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 404


def test_viewer_can_download(org, viewer_client, ticket, bob_agent):
    ticket_message_add(
        ticket=ticket, kind=MessageKind.NOTE, body="x", actor=bob_agent, attachments=[_png()]
    )
    attachment = Attachment.objects.get(ticket=ticket)
    response = viewer_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200


# Creating a request on a customer's behalf


def test_create_page_renders_and_searches_customers(org, agent_client, customer):
    response = agent_client.get(reverse("tickets:create"), {"customer_q": "maryam"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="?customer={customer.pk}"' in html
    chosen = agent_client.get(reverse("tickets:create"), {"customer": customer.pk})
    assert chosen.status_code == 200
    html = chosen.content.decode()
    assert 'data-testid="chosen-customer"' in html
    assert f'name="customer_id" value="{customer.pk}"' in html
    assert "new_customer_name" not in html


def test_create_page_finds_a_customer_by_phone_as_typed_locally(org, agent_client, customer):
    make_customer(organization=org, name="Reza Karimi")
    response = agent_client.get(reverse("tickets:create"), {"customer_q": "0912 345 6789"})
    html = response.content.decode()
    assert re.findall(r'href="\?customer=(\d+)"', html) == [str(customer.pk)]


def test_create_page_with_another_organizations_customer_is_404(org, agent_client, other_customer):
    response = agent_client.get(reverse("tickets:create"), {"customer": other_customer.pk})
    assert response.status_code == 404


def test_create_for_an_existing_customer(org, agent_client, customer, bob_agent, sam_supervisor):
    team = team_create(organization=org, name="Phones")
    product = product_model_create(organization=org, name="Oven", sku="OV1")
    response = agent_client.post(
        reverse("tickets:create"),
        {
            "customer_id": str(customer.pk),
            "channel": "walk_in",
            "kind": "installation",
            "priority": "3",
            "team_id": str(team.pk),
            "assignee_id": str(sam_supervisor.pk),
            "product_model_id": str(product.pk),
            "serial_number": "OV-1",
            "purchase_date": "2024-05-02",
            "seller": "Shop",
            "subject": "Install the oven",
            "description": "Needs a technician.",
            "tags": "install",
            "attachments": [_png("receipt.png")],
        },
    )
    ticket = Ticket.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert (
        ticket.customer,
        ticket.channel,
        ticket.kind,
        ticket.priority,
        ticket.team,
        ticket.assignee,
        ticket.product_model,
        ticket.serial_number,
        ticket.purchase_date,
        ticket.seller,
        ticket.subject,
        ticket.created_by,
    ) == (
        customer,
        "walk_in",
        "installation",
        3,
        team,
        sam_supervisor,
        product,
        "OV-1",
        datetime.date(2024, 5, 2),
        "Shop",
        "Install the oven",
        bob_agent,
    )
    assert list(ticket.tags.values_list("name", flat=True)) == ["install"]
    assert list(ticket.attachments.values_list("filename", flat=True)) == ["receipt.png"]


def test_create_with_a_new_customer_and_a_jalali_date(org, agent_client):
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.post(
        reverse("tickets:create"),
        {
            "new_customer_name": "علی رضایی",
            "new_customer_phone": "0912 765 4321",
            "channel": "phone",
            "kind": "repair",
            "priority": "2",
            "purchase_date": "1402/12/29",
            "subject": "کولر روشن نمی‌شود",
            "description": "از دیروز",
        },
    )
    assert response.status_code == 302
    customer = Customer.objects.get(organization=org, name="علی رضایی")
    assert list(customer.contact_points.values_list("kind", "value")) == [
        ("phone", "+989127654321")
    ]
    ticket = Ticket.objects.get(customer=customer)
    assert ticket.purchase_date == datetime.date(2024, 3, 19)
    assert ticket.channel == "phone"


def test_create_refused_leaves_no_customer_behind(org, agent_client):
    response = agent_client.post(
        reverse("tickets:create"),
        {
            "new_customer_name": "Half Made",
            "new_customer_email": "half@example.com",
            "channel": "phone",
            "kind": "repair",
            "priority": "2",
            "subject": "",
            "description": "Broken",
        },
    )
    assert response.status_code == 422
    assert 'data-testid="error-subject"' in response.content.decode()
    assert not Customer.objects.filter(organization=org).exists()
    assert not Ticket.objects.exists()


def test_create_with_a_taken_email_points_at_the_field(org, agent_client, customer):
    response = agent_client.post(
        reverse("tickets:create"),
        {
            "new_customer_name": "Someone Else",
            "new_customer_email": "maryam@example.com",
            "channel": "email",
            "kind": "question",
            "priority": "2",
            "subject": "Hello",
            "description": "Question",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-new_customer_email"' in html
    assert "maryam@example.com already belongs to another customer (Maryam Ahmadi)." in html
    assert Customer.objects.filter(organization=org).count() == 1
    assert not Ticket.objects.exists()


def test_create_needs_a_customer(org, agent_client):
    response = agent_client.post(
        reverse("tickets:create"),
        {"channel": "phone", "kind": "repair", "priority": "2", "subject": "S", "description": "D"},
    )
    assert response.status_code == 422
    assert "Choose a customer, or enter a new customer&#x27;s name." in response.content.decode()
    assert not Ticket.objects.exists()


def test_create_for_another_organizations_customer_is_refused(org, agent_client, other_customer):
    response = agent_client.post(
        reverse("tickets:create"),
        {
            "customer_id": str(other_customer.pk),
            "channel": "phone",
            "kind": "repair",
            "priority": "2",
            "subject": "S",
            "description": "D",
        },
    )
    assert response.status_code == 422
    assert 'data-testid="error-customer_id"' in response.content.decode()
    assert not Ticket.objects.exists()


# The organization switcher


def test_switcher_shows_every_organization_and_switches(org, other_org, bob_agent, agent_client):
    membership_create(organization=other_org, user=bob_agent, role=Membership.Role.AGENT)
    elsewhere = make_ticket(organization=other_org, subject="Other brand's request")
    html = agent_client.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="organization-switcher"' in html
    assert ">Demo Electronics<" in html and ">Other Appliances<" in html
    assert "Other brand&#x27;s request" not in html

    response = agent_client.post(
        reverse("console:organization_switch"), {"organization_id": str(other_org.pk)}
    )
    assert response.status_code == 302
    html = agent_client.get(reverse("tickets:queue")).content.decode()
    assert _rows(agent_client.get(reverse("tickets:queue"))) == [str(elsewhere.pk)]
    assert "selected>Other Appliances<" in html

"""The console queues: sign-in, filters, sorts, paging, query counts, the organization switcher."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.accounts.models import Membership
from aftercare.accounts.services import membership_create, team_create, user_create
from aftercare.lib.testing import client_for
from aftercare.lib.vocabulary import Kind, Priority, Status
from aftercare.tickets.models import Tag, Ticket
from aftercare.tickets.services import (
    ticket_status_change,
)
from aftercare.tickets.tests.factories import make_customer, make_ticket


def _rows(response) -> list[str]:
    """The ids of the tickets in the queue, in order."""
    return re.findall(r'data-testid="queue-row" data-ticket-id="(\d+)"', response.content.decode())


@pytest.mark.parametrize("name", ["tickets:queue", "tickets:create"])
def test_pages_need_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_signed_in_user_without_membership_gets_403(db):
    user = user_create(email="nobody@example.com", password="x" * 20)
    client = client_for(user)
    response = client.get(reverse("tickets:queue"))
    assert response.status_code == 403
    assert "not staff of any organization" in response.content.decode()


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
    assert f'href="/requests/{first.number}/"' in row
    assert ">AS-000001<" in row
    # The subject's cell takes the direction of its text.
    assert re.search(r'<td class="[^"]*q-subject" dir="auto"><a [^>]*>یخچال صدا می‌دهد</a>', row)
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
    # A request's document holds its customer's name: named without digits, so that the number
    # "2" below finds request 2 alone, whatever the factory's counter stands at.
    washer = make_ticket(
        organization=org,
        customer=make_customer(organization=org, name="Ali Rahimi", email="ali@example.com"),
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
    # session, user, memberships (the switcher's too), presence, teams, members, saved views
    # (one COUNT more for each), tickets, tags
    assert at_500 == 9


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

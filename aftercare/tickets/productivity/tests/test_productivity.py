"""Canned answers, macros, saved views, bulk actions and merging: services and pages."""

import datetime

import jdatetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.models import Membership
from aftercare.lib.errors import ApplicationError
from aftercare.lib.vocabulary import Priority, Status
from aftercare.search.selectors import staff_search
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from aftercare.tickets.productivity.placeholders import render_for_ticket
from aftercare.tickets.productivity.selectors import (
    canned_answers_for_ticket,
    saved_views_with_counts,
)
from aftercare.tickets.productivity.services import (
    canned_answer_create,
    macro_apply,
    macro_create,
    saved_view_create,
    tickets_bulk_apply,
    tickets_merge,
)
from aftercare.tickets.selectors import ticket_timeline
from aftercare.tickets.tests.factories import make_ticket
from aftercare.tickets.tests.helpers import ticket_state

DUE = datetime.datetime(2026, 3, 21, 6, 0, tzinfo=datetime.UTC)  # 1405/01/01 in Tehran


def _membership(org, user) -> Membership:
    return Membership.objects.select_related("organization", "user").get(
        organization=org, user=user
    )


@pytest.fixture
def due_ticket(org, customer):
    org.time_zone = "Asia/Tehran"
    org.save(update_fields=["time_zone"])
    ticket = make_ticket(organization=org, customer=customer, language="fa")
    Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=DUE)
    ticket.refresh_from_db()
    return ticket


def test_placeholders_are_filled_in_persian_with_a_jalali_due_date(due_ticket, bob_agent):
    text = render_for_ticket(
        "سلام {{ customer_name }}، {{request_number}} تا {{ due_date }}؛ {{ other }}",
        ticket=due_ticket,
        agent=bob_agent,
    )
    jalali = jdatetime.date.fromgregorian(date=datetime.date(2026, 3, 21)).strftime("%Y/%m/%d")
    assert jalali == "1405/01/01"
    assert text == f"سلام Maryam Ahmadi، {due_ticket.reference} تا ۱۴۰۵/۰۱/۰۱؛ {{{{ other }}}}"


def test_placeholders_in_english_use_the_gregorian_calendar(org, due_ticket, bob_agent):
    Ticket.objects.filter(pk=due_ticket.pk).update(language="en")
    due_ticket.refresh_from_db()
    text = render_for_ticket("Due {{ due_date }}", ticket=due_ticket, agent=bob_agent)
    assert text == "Due 2026-03-21"


def test_template_syntax_is_never_run(org, alice_admin, due_ticket):
    manager = _membership(org, alice_admin)
    with pytest.raises(ApplicationError) as error:
        canned_answer_create(membership=manager, name="x", body="{{ settings.SECRET_KEY }}")
    assert error.value.field == "body"
    answer = canned_answer_create(membership=manager, name="x", body="{% now 'Y' %} {{ subject }}")
    assert render_for_ticket(answer.body, ticket=due_ticket, agent=None) == (
        "{% now 'Y' %} " + due_ticket.subject
    )


def test_canned_answers_offered_are_the_readers_language_and_what_the_agent_may_see(
    org, alice_admin, bob_agent, due_ticket
):
    manager, agent = _membership(org, alice_admin), _membership(org, bob_agent)
    canned_answer_create(
        membership=manager,
        name="fa",
        body="{{ customer_name }}",
        language="fa",
        scope="organization",
    )
    canned_answer_create(
        membership=manager, name="en", body="Hi", language="en", scope="organization"
    )
    canned_answer_create(membership=manager, name="mine", body="Admin's own")
    canned_answer_create(membership=agent, name="any", body="{{ request_number }}")
    offered = canned_answers_for_ticket(membership=agent, ticket=due_ticket)
    assert [(item.answer.name, item.text) for item in offered] == [
        ("fa", "Maryam Ahmadi"),
        ("any", due_ticket.reference),
    ]


def test_an_agent_cannot_share_a_canned_answer(org, bob_agent):
    with pytest.raises(ApplicationError) as error:
        canned_answer_create(
            membership=_membership(org, bob_agent), name="x", body="y", scope="organization"
        )
    assert error.value.field == "scope"


def test_macro_replies_and_sets_fields_through_the_ticket_services(
    org, alice_admin, bob_agent, due_ticket
):
    manager = _membership(org, alice_admin)
    answer = canned_answer_create(
        membership=manager,
        name="wait",
        body="{{ customer_name }}: send a photo",
        scope="organization",
    )
    macro = macro_create(
        membership=manager,
        name="Ask for a photo",
        scope="organization",
        status=Status.PENDING_CUSTOMER,
        priority=Priority.HIGH,
        assign="me",
        tags_add=["photo"],
        message_kind="reply",
        canned_answer=answer,
    )
    macro_apply(membership=_membership(org, bob_agent), macro=macro, ticket=due_ticket)
    ticket = Ticket.objects.get(pk=due_ticket.pk)
    assert (ticket.status, ticket.priority, ticket.assignee_id, ticket.tag_names) == (
        Status.PENDING_CUSTOMER,
        Priority.HIGH,
        bob_agent.pk,
        ["photo"],
    )
    reply = TicketMessage.objects.get(ticket=ticket)
    assert (reply.kind, reply.body) == ("reply", "Maryam Ahmadi: send a photo")
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"status_changed", "priority_changed", "assigned", "tags_changed"} <= kinds
    assert ticket.first_response_at is not None


def test_a_refused_macro_changes_nothing(org, alice_admin, bob_agent, due_ticket):
    from aftercare.tickets.services import ticket_status_change

    ticket_status_change(ticket=due_ticket, status=Status.CLOSED, actor=bob_agent)
    manager = _membership(org, alice_admin)
    macro = macro_create(
        membership=manager,
        name="Urgent reply",
        scope="organization",
        priority=Priority.URGENT,
        message_kind="reply",
        body="We are on it.",
    )
    before = ticket_state(due_ticket)
    with pytest.raises(ApplicationError) as error:
        macro_apply(membership=_membership(org, bob_agent), macro=macro, ticket=due_ticket)
    assert error.value.code == "closed"
    assert ticket_state(due_ticket) == before


def test_saved_view_counts_match_the_queue_in_one_query(org, alice_admin, bob_agent, customer):
    manager = _membership(org, alice_admin)
    for _ in range(3):
        make_ticket(organization=org, customer=customer, priority=Priority.HIGH)
    make_ticket(organization=org, customer=customer, assignee=bob_agent)
    saved_view_create(membership=manager, name="High", filters={"priority": "3"}, is_shared=True)
    saved_view_create(membership=manager, name="Unassigned", filters={"queue": "unassigned"})
    agent = _membership(org, bob_agent)
    saved_view_create(membership=agent, name="Mine", filters={"queue": "mine"})
    with CaptureQueriesContext(connection) as queries:
        counts = [(view.name, count) for view, count in saved_views_with_counts(membership=agent)]
    assert counts == [("High", 3), ("Mine", 1)]
    assert len(queries) == 2  # the views, then every count


def test_saved_view_filters_are_checked(org, bob_agent, other_org):
    agent = _membership(org, bob_agent)
    with pytest.raises(ApplicationError) as error:
        saved_view_create(membership=agent, name="x", filters={"status": "nope"})
    assert error.value.field == "filters.status"
    with pytest.raises(ApplicationError) as error:
        saved_view_create(membership=agent, name="x", filters={"queue": "open"}, is_shared=True)
    assert error.value.field == "is_shared"


def test_bulk_assign_is_all_or_nothing(org, bob_agent, customer):
    tickets = [make_ticket(organization=org, customer=customer) for _ in range(3)]
    closed = make_ticket(organization=org, customer=customer)
    agent = _membership(org, bob_agent)
    done = tickets_bulk_apply(
        membership=agent, tickets=tickets, action="assign", assignee=bob_agent
    )
    assert len(done) == 3
    assert set(Ticket.objects.filter(assignee=bob_agent).values_list("pk", flat=True)) == {
        ticket.pk for ticket in tickets
    }
    tickets_bulk_apply(membership=agent, tickets=[closed], action="status", status=Status.CLOSED)
    before = [ticket_state(ticket) for ticket in tickets]
    with pytest.raises(ApplicationError):
        tickets_bulk_apply(
            membership=agent, tickets=[*tickets, closed], action="status", status=Status.OPEN
        )
    assert [ticket_state(ticket) for ticket in tickets] == before


def test_merge_closes_duplicates_and_shows_their_timeline_on_the_survivor(org, bob_agent, customer):
    target = make_ticket(organization=org, customer=customer)
    duplicate = make_ticket(organization=org, customer=customer, description="Same problem")
    from aftercare.tickets.services import ticket_message_add

    ticket_message_add(ticket=duplicate, kind="customer", body="Any news?", actor=None)
    messages_before = TicketMessage.objects.count()
    tickets_merge(membership=_membership(org, bob_agent), target=target, duplicates=[duplicate])
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (Status.CLOSED, target.pk)
    assert TicketMessage.objects.count() == messages_before
    public = ticket_timeline(ticket=target, public_only=True)
    texts = [entry.item.body for entry in public.entries if entry.kind == "message"]
    assert texts == ["Any news?"]
    merged = TicketEvent.objects.get(ticket=target, kind="merged")
    assert merged.is_public and merged.data["merged"][0]["reference"] == duplicate.reference


def test_after_a_merge_the_search_finds_the_target_by_a_duplicates_message(
    org, bob_agent, customer
):
    target = make_ticket(organization=org, customer=customer, subject="Fridge is loud")
    duplicate = make_ticket(organization=org, customer=customer, subject="Noise again")
    from aftercare.tickets.services import ticket_message_add

    ticket_message_add(ticket=duplicate, kind="customer", body="The compressor rattles", actor=None)

    def found(*states: str) -> list[int]:
        page = staff_search(
            organization=org, role="agent", text="rattles", kinds=["request"], states=states
        )
        return sorted(result.object_id for result in page.results)

    assert (found(), found(Status.CLOSED)) == ([duplicate.pk], [])
    tickets_merge(membership=_membership(org, bob_agent), target=target, duplicates=[duplicate])
    # The target holds the duplicate's messages now; the duplicate is indexed as closed.
    assert found() == sorted([target.pk, duplicate.pk])
    assert found(Status.CLOSED) == [duplicate.pk]


def test_merged_in_messages_say_where_they_came_from_to_staff_and_the_customer(
    org, bob_agent, customer, agent_client
):
    from aftercare.accounts.services import user_create
    from aftercare.customers.services import customer_link_user
    from aftercare.lib.testing import client_for
    from aftercare.tickets.services import ticket_message_add

    target = make_ticket(organization=org, customer=customer)
    duplicate = make_ticket(organization=org, customer=customer)
    ticket_message_add(ticket=target, kind="customer", body="First", actor=None)
    ticket_message_add(ticket=duplicate, kind="customer", body="Second", actor=None)
    tickets_merge(membership=_membership(org, bob_agent), target=target, duplicates=[duplicate])
    origin = f"from {duplicate.reference}"

    html = agent_client.get(reverse("tickets:detail", args=[target.number])).content.decode()
    assert html.count('data-testid="merged-from"') == 1
    assert f'href="{reverse("tickets:detail", args=[duplicate.number])}"' in html
    assert origin in html

    portal_user = user_create(email="maryam.portal@example.com")
    customer_link_user(customer=customer, user=portal_user)
    url = reverse("portal:request_detail", args=[org.slug, target.number])
    html = client_for(portal_user).get(url).content.decode()
    assert html.count('data-testid="merged-from"') == 1
    assert origin in html


def test_merge_refuses_another_customers_request(org, bob_agent, customer):
    target = make_ticket(organization=org, customer=customer)
    stranger = make_ticket(organization=org)
    before = ticket_state(stranger)
    with pytest.raises(ApplicationError) as error:
        tickets_merge(membership=_membership(org, bob_agent), target=target, duplicates=[stranger])
    assert error.value.code == "customer"
    assert ticket_state(stranger) == before


# --- Pages ---


def test_bulk_page_refuses_another_organizations_ids_and_changes_nothing(
    org, other_org, agent_client, bob_agent, customer
):
    own = make_ticket(organization=org, customer=customer)
    foreign = make_ticket(organization=other_org)
    before = ticket_state(own)
    response = agent_client.post(
        reverse("tickets:bulk"),
        {
            "ticket_ids": [own.pk, foreign.pk],
            "bulk-action": "assign",
            "bulk-assignee_id": bob_agent.pk,
        },
    )
    assert response.status_code == 404
    assert ticket_state(own) == before


def test_bulk_page_assigns_the_ticked_requests(org, agent_client, bob_agent, customer):
    tickets = [make_ticket(organization=org, customer=customer) for _ in range(5)]
    response = agent_client.post(
        reverse("tickets:bulk"),
        {
            "ticket_ids": [ticket.pk for ticket in tickets],
            "bulk-action": "assign",
            "bulk-assignee_id": str(bob_agent.pk),
            "next": "?queue=unassigned",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:queue") + "?queue=unassigned"
    assert Ticket.objects.filter(assignee=bob_agent).count() == 5


def test_queue_shows_saved_views_with_counts_and_opens_one(
    org, alice_admin, agent_client, customer
):
    make_ticket(organization=org, customer=customer, priority=Priority.URGENT)
    view = saved_view_create(
        membership=_membership(org, alice_admin),
        name="Urgent",
        filters={"priority": "4"},
        is_shared=True,
    )
    response = agent_client.get(reverse("tickets:queue"), {"view": view.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved-view-count">1<' in html
    assert html.count('data-testid="queue-row"') == 1


def test_request_page_has_tabs_and_canned_answers_filled_for_the_customer(
    org, alice_admin, agent_client, due_ticket
):
    canned_answer_create(
        membership=_membership(org, alice_admin),
        name="Due",
        body="تا {{ due_date }}",
        scope="organization",
    )
    html = agent_client.get(reverse("tickets:detail", args=[due_ticket.number])).content.decode()
    assert 'role="tablist"' in html and html.count('role="tab"') == 3
    assert 'data-insert-text="تا ۱۴۰۵/۰۱/۰۱"' in html


def test_foreign_canned_answer_is_404(org, other_org, agent_client, charlie_other_org):
    answer = canned_answer_create(
        membership=_membership(other_org, charlie_other_org), name="x", body="y"
    )
    response = agent_client.get(reverse("tickets:canned_answer_edit", args=[answer.pk]))
    assert response.status_code == 404

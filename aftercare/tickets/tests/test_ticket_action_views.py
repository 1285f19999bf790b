"""Acting on a request from its page: assign, status, the sections of its form; roles and
other organizations."""

import datetime
import re

import pytest
from django.urls import reverse

from aftercare.accounts.services import team_create
from aftercare.catalog.services import product_model_create
from aftercare.lib.vocabulary import Kind, Priority, Status
from aftercare.tickets.models import TicketEvent
from aftercare.tickets.services import (
    category_create,
    ticket_status_change,
)
from aftercare.tickets.tests.helpers import ticket_state


def test_assign_to_a_member_and_to_me(org, agent_client, ticket, bob_agent, sam_supervisor):
    url = reverse("tickets:assign", args=[ticket.number])
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
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Bob Agent unassigned the request." in html


def test_assign_to_someone_outside_the_organization_is_refused(
    org, agent_client, ticket, charlie_other_org, vic_viewer
):
    before = ticket_state(ticket)
    for user in (charlie_other_org, vic_viewer):
        response = agent_client.post(
            reverse("tickets:assign", args=[ticket.number]), {"assignee_id": str(user.pk)}
        )
        assert response.status_code == 422
        assert 'data-testid="error-assignee_id"' in response.content.decode()
    assert ticket_state(ticket) == before


def test_status_change_records_the_event(org, agent_client, ticket, bob_agent):
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.number]),
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
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    form = html[html.index('data-testid="status-form"') :].split("</form>")[0]
    assert re.findall(r'<option value="([a-z_]+)"', form) == ["open", "closed"]


def test_invalid_transition_shows_the_error_and_changes_nothing(
    org, agent_client, ticket, bob_agent
):
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    before = ticket_state(ticket)
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.number]), {"status": "pending_customer"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-status"' in html
    assert "A request cannot go from Resolved to Pending customer." in html
    assert ticket_state(ticket) == before


def test_priority_change_through_the_problem_section(org, agent_client, ticket, bob_agent):
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "triage"]), {"priority": "4"}
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
        reverse("tickets:update", args=[ticket.number, "triage"]),
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
    before = ticket_state(ticket)
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "triage"]), {"category_id": str(foreign.pk)}
    )
    assert response.status_code == 422
    assert 'data-testid="error-category_id"' in response.content.decode()
    assert ticket_state(ticket) == before


def test_product_section_accepts_a_jalali_date_for_persian_users(org, agent_client, ticket):
    product = product_model_create(organization=org, name="Fridge", sku="FR1")
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "product"]),
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
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'data-testid="purchase-date">۱۴۰۳/۰۵/۲۰<' in html
    assert 'value="1403/05/20"' in html


@pytest.mark.parametrize(
    ("date", "message"),
    [("2999-01-01", "The purchase date is in the future."), ("31/02/2024", "YYYY-MM-DD")],
)
def test_bad_purchase_date_answers_422_and_changes_nothing(
    org, agent_client, ticket, date, message
):
    before = ticket_state(ticket)
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "product"]), {"purchase_date": date}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'data-testid="error-purchase_date"' in html
    assert ticket_state(ticket) == before


def test_finalization_section_saves_resolution_and_root_cause(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "finalization"]),
        {"resolution": "Replaced the drain pump.", "root_cause": "Worn pump"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.resolution, ticket.root_cause) == ("Replaced the drain pump.", "Worn pump")


def test_unknown_section_is_404(org, agent_client, ticket):
    response = agent_client.post(reverse("tickets:update", args=[ticket.number, "secret"]), {})
    assert response.status_code == 404


def test_htmx_error_returns_the_body_with_the_error(org, agent_client, ticket, bob_agent):
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    before = ticket_state(ticket)
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.number]),
        {"status": "on_hold"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.strip().startswith('<div id="ticket-body"')
    assert "A request cannot go from Resolved to On hold." in html
    assert ticket_state(ticket) == before


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
    before = ticket_state(ticket)
    response = outsider_client.post(_action_url(name, ticket.number), data)
    assert response.status_code == 404
    assert ticket_state(ticket) == before


@pytest.mark.parametrize(("name", "data"), _ACTIONS)
def test_viewer_cannot_act(org, viewer_client, ticket, name, data):
    before = ticket_state(ticket)
    response = viewer_client.post(_action_url(name, ticket.number), data)
    assert response.status_code == 403
    assert ticket_state(ticket) == before

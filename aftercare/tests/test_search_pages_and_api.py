"""The console's search page, the top bar's search box and `GET /api/v1/search/`."""

import pytest
from django.urls import reverse

from aftercare.catalog.services import product_model_create
from aftercare.customers.services import customer_create
from aftercare.lib.testing import text_of
from aftercare.tickets.choices import MessageKind, Status
from aftercare.tickets.services import ticket_message_add, ticket_status_change
from aftercare.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db
URL = reverse("search:results")
API = "/search/"


@pytest.fixture
def leak(org, customer, bob_agent):
    ticket = make_ticket(
        organization=org, customer=customer, subject="کولر آب می‌دهد", actor=bob_agent
    )
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.REPLY,
        body="Please send a photo of the water under the cooler unit.",
        actor=bob_agent,
    )
    return ticket


def test_the_page_shows_ranked_highlighted_results_of_every_kind(agent_client, org, leak):
    customer_create(organization=org, name="کولر گستر", emails=["info@coolergostar.example"])
    response = agent_client.get(URL, {"q": "كولر"})  # typed with the Arabic kaf
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="search-result"') == 2
    # The request's subject first (a title match, newer), its words marked as typed in Persian.
    assert "<mark>کولر</mark> آب می‌دهد" in html
    assert f'data-kind="request" data-id="{leak.pk}"' in html
    assert 'data-kind="customer"' in html
    assert leak.reference in text_of(response)


def test_a_snippet_shows_where_a_message_matched(agent_client, leak):
    response = agent_client.get(URL, {"q": "photo"})
    html = response.content.decode()
    assert "Please send a <mark>photo</mark> of the water" in html


def test_kind_tabs_and_the_status_filter_narrow_the_results(agent_client, org, customer, leak):
    customer_create(organization=org, name="Cooler Service Co")
    response = agent_client.get(URL, {"q": "cooler", "kind": "customer"})
    assert response.content.decode().count('data-testid="search-result"') == 1
    assert 'data-kind="customer"' in response.content.decode()
    ticket_status_change(ticket=leak, status=Status.ON_HOLD, actor=None)
    held = agent_client.get(URL, {"q": "cooler", "kind": "request", "state": Status.ON_HOLD})
    assert f'data-id="{leak.pk}"' in held.content.decode()
    open_only = agent_client.get(URL, {"q": "cooler", "kind": "request", "state": Status.OPEN})
    assert 'data-testid="search-empty"' in open_only.content.decode()


def test_more_results_come_by_keyset_pages(agent_client, org, customer, bob_agent):
    made = [
        make_ticket(organization=org, customer=customer, subject=f"Heater {n}", actor=bob_agent)
        for n in range(30)
    ]
    first = agent_client.get(URL, {"q": "heater", "kind": "request"})
    ids = [int(part.split('"')[1]) for part in first.content.decode().split("data-id=")[1:]]
    assert len(ids) == 25
    next_url = first.context["next_url"]
    second = agent_client.get(URL + next_url)
    more = [int(part.split('"')[1]) for part in second.content.decode().split("data-id=")[1:]]
    assert ids + more == [ticket.pk for ticket in reversed(made)]
    assert second.context["next_url"] == ""


def test_bad_input_is_named_and_answered_422(agent_client):
    response = agent_client.get(URL, {"q": "x" * 201})
    assert response.status_code == 422
    assert 'data-testid="error-q"' in response.content.decode()
    response = agent_client.get(URL, {"q": "x", "cursor": "garbage"})
    assert response.status_code == 422
    assert 'data-testid="error-cursor"' in response.content.decode()


def test_another_organization_sees_none_of_it(outsider_client, leak):
    response = outsider_client.get(URL, {"q": "cooler"})
    assert response.status_code == 200
    assert 'data-testid="search-result"' not in response.content.decode()


def test_customers_and_anonymous_visitors_cannot_search_the_console(client, leak):
    response = client.get(URL, {"q": "cooler"})
    assert response.status_code == 302
    assert leak.subject not in response.content.decode()


def test_every_console_page_has_the_search_box(agent_client):
    html = agent_client.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="top-search"' in html
    assert f'action="{URL}"' in html


def test_the_api_answers_ranked_results_with_snippets(agent_api, leak):
    response = agent_api.get(API, {"q": "photo"})
    assert response.status == 200
    body = response.body
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert item["kind"] == "request" and item["id"] == leak.pk and item["tier"] == 2
    assert item["title"] == "کولر آب می‌دهد"
    assert "<mark>photo</mark>" in item["snippet_html"]
    assert item["url"] == reverse("tickets:detail", args=[leak.number])
    assert leak.reference in item["facts"]
    by_number = agent_api.get(API, {"q": leak.reference.lower().replace("-", " ")}).body
    assert [(i["id"], i["tier"]) for i in by_number["items"]][0] == (leak.pk, 0)


def test_the_api_names_bad_fields(agent_api, leak):
    response = agent_api.get(API, {"q": "x", "kind": "spaceship"})
    assert (response.status, response.field) == (422, "kind")
    response = agent_api.get(API, {"q": "x", "cursor": "AAAA"})
    assert (response.status, response.field) == (422, "cursor")
    response = agent_api.get(API, {})
    assert (response.status, response.field) == (422, "q")


def test_the_api_of_another_organization_finds_nothing(outsider_api, leak):
    response = outsider_api.get(API, {"q": "photo"})
    assert response.status == 200
    assert response.body["items"] == []


def test_a_page_of_results_costs_a_flat_number_of_queries(
    agent_api, org, customer, bob_agent, django_assert_max_num_queries
):
    for n in range(20):
        ticket = make_ticket(
            organization=org, customer=customer, subject=f"Fan {n}", actor=bob_agent
        )
        ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="fan noise", actor=bob_agent)
    with django_assert_max_num_queries(14):
        response = agent_api.get(API, {"q": "fan", "limit": 20})
    assert len(response.body["items"]) == 20


def test_kinds_whose_pages_a_role_may_not_open_are_not_found(
    agent_client, admin_client, agent_api, org
):
    product_model_create(organization=org, name="Cooler Max", sku="CM-1")
    # Product models open on a settings page only admins and supervisors may open.
    admin_page = admin_client.get(URL, {"q": "cooler"}).content.decode()
    agent_page = agent_client.get(URL, {"q": "cooler"}).content.decode()
    assert 'data-kind="product_model"' in admin_page
    assert 'data-kind="product_model"' not in agent_page
    assert 'data-testid="search-kind-product_model"' not in agent_page
    assert agent_api.get(API, {"q": "cooler", "kind": "product_model"}).field == "kind"
    assert agent_client.get(URL, {"q": "cooler", "kind": "product_model"}).status_code == 422

"""The customer page's list of requests, which tickets adds through customers' panel hook."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.tickets.tests.factories import make_ticket


def test_customer_page_lists_their_requests_newest_first(org, agent_client, customer):
    older = make_ticket(organization=org, customer=customer, subject="Older request")
    newer = make_ticket(organization=org, customer=customer, subject="Newer request")
    make_ticket(organization=org, subject="Someone else's")
    response = agent_client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(
        r'data-testid="customer-ticket-row">\s*<td[^>]*><a href="/requests/(\d+)/"', html
    )
    assert links == [str(newer.number), str(older.number)]
    assert "Someone else" not in html
    assert f'href="/requests/new/?customer={customer.pk}"' in html


def test_customer_page_query_count_does_not_grow_with_requests(org, agent_client, customer):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("customers:detail", args=[customer.pk]))
        assert response.status_code == 200
        return len(queries)

    make_ticket(organization=org, customer=customer)
    few = count()
    for _ in range(10):
        make_ticket(organization=org, customer=customer, tags=["a", "b"])
    assert count() == few


def test_customer_page_with_a_bad_cursor_answers_422_and_says_why(org, agent_client, customer):
    make_ticket(organization=org, customer=customer)
    response = agent_client.get(
        reverse("customers:detail", args=[customer.pk]), {"cursor": "not-a-cursor"}
    )
    assert response.status_code == 422
    assert 'data-testid="error-cursor"' in response.content.decode()
    assert "customer-ticket-row" not in response.content.decode()

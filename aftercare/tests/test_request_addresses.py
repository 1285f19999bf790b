"""A request's console address is its number (`/requests/301/`, `/requests/AS-000301/`), and an
address that leads nowhere gets the console's, a portal's or the API's own 404, in the reader's
language."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from aftercare.tickets.tests.factories import make_ticket


def _fa(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    return client


def _offset_ids(other_org, other_customer, count=3):
    """Requests of another organization first, so that ids and numbers differ here."""
    for _ in range(count):
        make_ticket(organization=other_org, customer=other_customer)


def test_a_request_opens_by_its_reference_and_its_bare_number(
    org, other_org, customer, other_customer, agent_client
):
    _offset_ids(other_org, other_customer)
    first = make_ticket(organization=org, customer=customer, subject="Washer leaks")
    second = make_ticket(organization=org, customer=customer, subject="Dryer is loud")
    assert second.pk != second.number, "the ids must differ from the numbers for this test"

    for address in (
        f"/requests/{second.reference}/",
        f"/requests/{second.number}/",
        f"/requests/{second.number:06d}/",
        f"/requests/{second.reference.lower()}/",
    ):
        response = agent_client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert "Dryer is loud" in html, address
        assert "Washer leaks" not in html, address
    # The canonical address, as every link writes it, is the bare number.
    assert reverse("tickets:detail", args=[second.number]) == f"/requests/{second.number}/"
    # Another prefix is not this organization's request.
    assert agent_client.get(f"/requests/XY-{second.number:06d}/").status_code == 404
    # The actions take the same address.
    response = agent_client.post(f"/requests/{first.reference}/messages/", {"kind": "note"})
    assert response.status_code == 422


def test_an_id_redirects_to_the_number_for_the_apps_that_only_know_ids(
    org, other_org, customer, other_customer, agent_client, outsider_client
):
    _offset_ids(other_org, other_customer)
    ticket = make_ticket(organization=org, customer=customer)
    response = agent_client.get(reverse("tickets:by_id", args=[ticket.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/requests/{ticket.number}/"
    assert outsider_client.get(reverse("tickets:by_id", args=[ticket.pk])).status_code == 404


def test_another_organizations_number_shows_the_own_request_or_404_never_theirs(
    org, other_org, customer, other_customer, agent_client
):
    theirs = [make_ticket(organization=other_org, customer=other_customer) for _ in range(3)]
    make_ticket(organization=org, customer=customer, subject="Ours")
    response = agent_client.get(f"/requests/{theirs[-1].number}/")
    assert response.status_code == 404
    assert theirs[-1].subject not in response.content.decode()


def test_a_wrong_console_address_shows_the_consoles_own_404_in_persian(agent_client):
    response = _fa(agent_client).get("/requests/987654/")
    assert response.status_code == 404
    html = response.content.decode()
    with translation.override("fa"):
        title = translation.gettext("Page not found")
        back = translation.gettext("Back to the queue")
    assert title != "Page not found", "the page's title must be translated into Persian"
    assert '<html lang="fa" dir="rtl">' in html
    assert f'<h1 class="h4">{title}</h1>' in html
    assert back in html
    # The console's frame: its stylesheet, navigation and skip link, not Django's bare page.
    assert "bootstrap.rtl.min.css" in html
    assert 'data-testid="my-account"' in html
    assert 'data-testid="skip-link"' in html
    # A path that no pattern has gets the same page.
    response = agent_client.get("/no/such/page/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_a_wrong_address_signed_out_shows_the_page_with_a_sign_in_link(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="not-found"' in html
    assert f'href="{reverse("console:login")}"' in html
    assert 'data-testid="my-account"' not in html


def test_a_wrong_portal_address_shows_that_portals_404(org, client):
    response = _fa(client).get(f"/portal/{org.slug}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="not-found"' in html
    assert reverse("portal:track", args=[org.slug]) in html
    assert '<html lang="fa" dir="rtl">' in html
    # A portal that does not exist: the general page, naming no organization.
    response = client.get("/portal/no-such-organization/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_a_wrong_api_address_answers_the_apis_error_shape(client):
    response = client.get("/api/v1/no-such-operation/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": "Not found.", "errors": []}

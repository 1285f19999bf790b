import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.customers.hooks import CustomerPanel, customer_page_panels
from aftercare.customers.models import ContactPoint, Customer
from aftercare.customers.services import customer_create
from aftercare.customers.tests.factories import make_customer


def _rows(response) -> list[str]:
    """The ids of the customers listed, in order."""
    return re.findall(
        r'data-testid="customer-row">\s*<td><a href="/customers/(\d+)/"', response.content.decode()
    )


def _profile(customer):
    """Everything an edit could change, to show a refused one changed nothing."""
    customer = Customer.objects.get(pk=customer.pk)
    points = sorted(customer.contact_points.values_list("kind", "value"))
    return (
        customer.name,
        customer.company,
        customer.preferred_language,
        customer.preferred_channel,
        customer.notes,
        points,
    )


def test_pages_need_sign_in(client, customer):
    for url in (
        reverse("customers:list"),
        reverse("customers:create"),
        reverse("customers:detail", args=[customer.pk]),
        reverse("customers:edit", args=[customer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_list_shows_customers_newest_first(org, agent_client, customer):
    other = make_customer(organization=org, name="Reza Karimi", email="reza@example.com")
    response = agent_client.get(reverse("customers:list"))
    assert response.status_code == 200
    assert _rows(response) == [str(other.pk), str(customer.pk)]
    html = response.content.decode()
    assert 'dir="auto">Maryam Ahmadi<' in html
    assert "maryam@example.com" in html and "+989123456789" in html


@pytest.mark.parametrize(
    "query", ["maryam", "MARYAM@example.com", "0912 345 6789", "+98 912 345 6789", "۰۹۱۲۳۴۵۶۷۸۹"]
)
def test_list_searches_by_name_and_contact_point(org, agent_client, customer, query):
    make_customer(organization=org, name="Reza Karimi", email="reza@example.com")
    response = agent_client.get(reverse("customers:list"), {"q": query})
    assert response.status_code == 200
    assert _rows(response) == [str(customer.pk)]


def test_list_search_without_match_says_so(org, agent_client, customer):
    response = agent_client.get(reverse("customers:list"), {"q": "nobody"})
    assert _rows(response) == []
    assert 'data-testid="customers-empty"' in response.content.decode()


def test_list_pages_with_a_cursor(org, agent_client, monkeypatch):
    monkeypatch.setattr("aftercare.customers.views.CUSTOMER_PAGE_SIZE", 2)
    customers = [make_customer(organization=org) for _ in range(3)]
    first = agent_client.get(reverse("customers:list"))
    assert _rows(first) == [str(customers[2].pk), str(customers[1].pk)]
    href = re.search(r'href="(\?cursor=[^"]+)" data-testid="next-page"', first.content.decode())
    second = agent_client.get(reverse("customers:list") + href.group(1))
    assert _rows(second) == [str(customers[0].pk)]
    assert 'data-testid="next-page"' not in second.content.decode()


def test_list_bad_cursor_answers_422(org, agent_client):
    response = agent_client.get(reverse("customers:list"), {"cursor": "garbage"})
    assert response.status_code == 422
    assert "The cursor is not valid." in response.content.decode()


def test_list_query_count_does_not_grow(org, agent_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("customers:list"))
        assert response.status_code == 200
        return len(queries)

    make_customer(organization=org)
    few = count()
    for _ in range(20):
        make_customer(organization=org)
    # session, user, memberships (the switcher's too), presence, customers, contact points
    assert count() == few == 6


def test_list_hides_other_organizations(org, agent_client, other_customer):
    response = agent_client.get(reverse("customers:list"), {"q": "mehmet"})
    assert _rows(response) == []


def test_detail_shows_profile_and_contact_points(org, agent_client, customer):
    response = agent_client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="customer-name">Maryam Ahmadi<' in html
    assert 'data-testid="preferred-language">Persian<' in html
    assert "maryam@example.com" in html and "+989123456789" in html


def test_detail_shows_what_the_apps_above_add_through_the_panel_hook(
    org, agent_client, customer, monkeypatch, settings
):
    seen = []

    def panel(*, request, membership, customer):
        seen.append((membership.organization, customer))
        return CustomerPanel(template="probe.html", context={"note": "from above"}, status=422)

    monkeypatch.setattr(customer_page_panels, "_receivers", [panel])
    probe = '<p data-testid="probe-panel">{{ customer.name }}: {{ panel.context.note }}</p>'
    engine = {**settings.TEMPLATES[0], "APP_DIRS": False}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", {"probe.html": probe}),
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [engine]
    response = agent_client.get(reverse("customers:detail", args=[customer.pk]))
    assert seen == [(org, customer)]
    assert response.status_code == 422
    assert 'data-testid="probe-panel">Maryam Ahmadi: from above<' in response.content.decode()


def test_another_organizations_customer_is_404(org, agent_client, other_customer):
    before = _profile(other_customer)
    for url in (
        reverse("customers:detail", args=[other_customer.pk]),
        reverse("customers:edit", args=[other_customer.pk]),
    ):
        assert agent_client.get(url).status_code == 404
    response = agent_client.post(
        reverse("customers:edit", args=[other_customer.pk]), {"name": "Hijacked"}
    )
    assert response.status_code == 404
    assert _profile(other_customer) == before


def test_create_customer(org, agent_client):
    response = agent_client.post(
        reverse("customers:create"),
        {
            "name": "Aigerim Nurlanovna",
            "company": "Nur LLP",
            "preferred_language": "kk",
            "preferred_channel": "whatsapp",
            "email": "aigerim@example.kz, AIGERIM2@example.kz",
            "phone": "+7 701 234 5678",
            "whatsapp": "+7 701 234 5678",
            "telegram": "@aigerim_n",
            "notes": "Prefers mornings.",
        },
    )
    customer = Customer.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert _profile(customer) == (
        "Aigerim Nurlanovna",
        "Nur LLP",
        "kk",
        "whatsapp",
        "Prefers mornings.",
        [
            ("email", "aigerim2@example.kz"),
            ("email", "aigerim@example.kz"),
            ("phone", "+77012345678"),
            ("telegram", "@aigerim_n"),
            ("whatsapp", "+77012345678"),
        ],
    )


def test_create_with_a_duplicate_contact_point_shows_it_on_the_field(org, agent_client, customer):
    response = agent_client.post(
        reverse("customers:create"), {"name": "Copy Cat", "phone": "09123456789"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-phone"' in html
    assert "+989123456789 already belongs to another customer (Maryam Ahmadi)." in html
    assert Customer.objects.filter(organization=org).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "email": "not-an-email"}, "email"),
        ({"name": "X", "preferred_language": "xx"}, "preferred_language"),
    ],
)
def test_create_with_bad_input_answers_422(org, agent_client, data, field):
    response = agent_client.post(reverse("customers:create"), data)
    assert response.status_code == 422
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Customer.objects.exists()


def test_edit_changes_profile_and_adds_contact_points(org, agent_client, customer):
    url = reverse("customers:edit", args=[customer.pk])
    page = agent_client.get(url)
    assert page.status_code == 200
    assert 'value="Maryam Ahmadi"' in page.content.decode()
    response = agent_client.post(
        url,
        {
            "name": "Maryam Ahmadi-Rad",
            "preferred_language": "fa",
            "preferred_channel": "telegram",
            "telegram": "@maryam_rad",
        },
    )
    assert response.status_code == 302
    assert _profile(customer) == (
        "Maryam Ahmadi-Rad",
        "",
        "fa",
        "telegram",
        "",
        [
            ("email", "maryam@example.com"),
            ("phone", "+989123456789"),
            ("telegram", "@maryam_rad"),
        ],
    )


def test_edit_with_another_customers_email_changes_nothing(org, agent_client, customer):
    other = customer_create(organization=org, name="Other", emails=["other@example.com"])
    before = _profile(customer)
    response = agent_client.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": "Renamed", "email": "other@example.com"},
    )
    assert response.status_code == 422
    assert 'data-testid="error-email"' in response.content.decode()
    assert _profile(customer) == before
    assert ContactPoint.objects.filter(value="other@example.com").get().customer == other


def test_viewer_reads_but_cannot_write(org, viewer_client, customer):
    assert viewer_client.get(reverse("customers:list")).status_code == 200
    assert viewer_client.get(reverse("customers:detail", args=[customer.pk])).status_code == 200
    before = _profile(customer)
    assert viewer_client.get(reverse("customers:create")).status_code == 403
    response = viewer_client.post(reverse("customers:create"), {"name": "New"})
    assert response.status_code == 403
    response = viewer_client.post(reverse("customers:edit", args=[customer.pk]), {"name": "X"})
    assert response.status_code == 403
    assert _profile(customer) == before
    assert Customer.objects.count() == 1


def test_customer_pages_in_persian_are_rtl(org, agent_client, customer):
    agent_client.cookies["aftercare_language"] = "fa"
    for url in (reverse("customers:list"), reverse("customers:detail", args=[customer.pk])):
        html = agent_client.get(url).content.decode()
        assert '<html lang="fa" dir="rtl">' in html

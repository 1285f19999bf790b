"""Opening a request on a customer's behalf in the console."""

import datetime
import re

from django.urls import reverse

from aftercare.accounts.services import team_create
from aftercare.catalog.services import product_model_create
from aftercare.customers.models import Customer
from aftercare.tickets.models import Ticket
from aftercare.tickets.tests.factories import make_customer
from aftercare.tickets.tests.helpers import png_upload


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
            "attachments": [png_upload("receipt.png")],
        },
    )
    ticket = Ticket.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.number])
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

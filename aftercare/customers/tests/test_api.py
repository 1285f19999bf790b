import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.api.tests.client import ApiClient
from aftercare.customers.models import ContactPoint, Customer
from aftercare.customers.services import customer_create


def test_create_normalises_contact_points(org, agent_api):
    answer = agent_api.post(
        "/customers/",
        {
            "name": "  Reza Karimi ",
            "company": "Karimi Co",
            "emails": ["Reza@Example.com"],
            "phones": ["0912 345 ۶۷۸۹"],
            "telegram": ["@RezaK_1"],
            "whatsapp": ["+989121112233"],
            "preferred_language": "fa",
            "preferred_channel": "telegram",
            "notes": "Prefers evenings.",
        },
    )
    assert answer.status == 201, answer.body
    customer = Customer.objects.get(organization=org)
    assert answer.body["id"] == customer.pk
    assert answer.body["name"] == "Reza Karimi"
    assert (answer.body["preferred_language"], answer.body["preferred_channel"]) == (
        "fa",
        "telegram",
    )
    assert answer.body["contact_points"] == [
        {"kind": "email", "value": "reza@example.com", "is_primary": True},
        {"kind": "phone", "value": "+989123456789", "is_primary": True},
        {"kind": "telegram", "value": "@rezak_1", "is_primary": True},
        {"kind": "whatsapp", "value": "+989121112233", "is_primary": True},
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "emails": ["not-an-email"]}, "emails"),
        ({"name": "A", "phones": ["12"]}, "phones"),
        ({"name": "A", "telegram": ["@a"]}, "telegram"),
        ({"name": "A", "preferred_language": "de"}, "preferred_language"),
        ({"name": "A", "preferred_channel": "fax"}, "preferred_channel"),
        ({"name": "A", "emails": "a@example.com"}, "emails"),
        ({"name": "A", "emails": ["a@example.com"] * 21}, "emails"),
    ],
)
def test_create_rejects_bad_input_naming_the_field(org, agent_api, body, field):
    answer = agent_api.post("/customers/", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not Customer.objects.exists()
    assert not ContactPoint.objects.exists()


def test_create_refuses_a_contact_point_another_customer_owns(org, customer, agent_api):
    answer = agent_api.post(
        "/customers/", {"name": "Impostor", "emails": ["new@example.com", "MARYAM@example.com"]}
    )
    assert (answer.status, answer.field) == (422, "emails")
    assert answer.body["errors"][0]["code"] == "duplicate"
    assert list(Customer.objects.values_list("name", flat=True)) == ["Maryam Ahmadi"]
    assert not ContactPoint.objects.filter(value="new@example.com").exists()


def test_the_same_contact_point_in_another_organization_is_fine(org, other_customer, agent_api):
    answer = agent_api.post("/customers/", {"name": "Mehmet", "emails": ["mehmet@example.com"]})
    assert answer.status == 201
    assert Customer.objects.filter(organization=org).count() == 1


def test_get_and_list(org, customer, agent_api):
    answer = agent_api.get(f"/customers/{customer.pk}")
    assert answer.status == 200
    assert answer.body["name"] == "Maryam Ahmadi"
    assert [point["value"] for point in answer.body["contact_points"]] == [
        "maryam@example.com",
        "+989123456789",
    ]
    listed = agent_api.get("/customers/")
    assert [row["id"] for row in listed.body["items"]] == [customer.pk]
    assert listed.body["next_cursor"] is None


def test_list_filters_by_search_email_and_phone(org, customer, agent_api):
    other = customer_create(
        organization=org, name="Ayşe Demir", company="Demir Ltd", phones=["+90 532 123 45 67"]
    )

    def ids(params):
        answer = agent_api.get("/customers/", params)
        assert answer.status == 200, answer.body
        return [row["id"] for row in answer.body["items"]]

    assert ids({"search": "ahmadi"}) == [customer.pk]
    assert ids({"search": "demir ltd"}) == [other.pk]
    assert ids({"search": "AYSE"}) == [other.pk]
    assert ids({"email": "MARYAM@example.com"}) == [customer.pk]
    assert ids({"phone": "0532 123 4567"}) == []
    assert ids({"phone": "+905321234567"}) == [other.pk]
    assert ids({"phone": "۰۹۱۲۳۴۵۶۷۸۹"}) == [customer.pk]
    assert ids({"phone": "nonsense"}) == []


def test_list_pages_with_a_cursor_and_flat_query_count(org, agent_api):
    for index in range(7):
        customer_create(
            organization=org, name=f"Customer {index}", emails=[f"c{index}@example.com"]
        )
    expected = list(
        Customer.objects.filter(organization=org)
        .order_by("-updated_at", "-id")
        .values_list("id", flat=True)
    )
    agent_api.get("/customers/")
    with CaptureQueriesContext(connection) as first_page:
        first = agent_api.get("/customers/", {"limit": 3})
    # Read now: the next request resets Django's query log.
    first_page_queries = len(first_page)
    second = agent_api.get("/customers/", {"limit": 3, "cursor": first.body["next_cursor"]})
    third = agent_api.get("/customers/", {"limit": 3, "cursor": second.body["next_cursor"]})
    seen = [row["id"] for page in (first, second, third) for row in page.body["items"]]
    assert seen == expected
    assert third.body["next_cursor"] is None
    # Token, membership, the customers, their contact points.
    assert first_page_queries == 4
    for index in range(40):
        customer_create(organization=org, name=f"More {index}", phones=[f"+9891200000{index:02d}"])
    with CaptureQueriesContext(connection) as big_page:
        answer = agent_api.get("/customers/", {"limit": 40})
    assert len(big_page) == 4
    assert len(answer.body["items"]) == 40


def test_list_rejects_a_bad_cursor_and_limit(org, agent_api):
    assert agent_api.get("/customers/", {"cursor": "!!"}).field == "cursor"
    assert agent_api.get("/customers/", {"limit": 500}).field == "limit"


def test_patch_changes_fields_sent_and_adds_contact_points(org, customer, agent_api):
    answer = agent_api.patch(
        f"/customers/{customer.pk}",
        {
            "company": "Ahmadi Trading",
            "preferred_channel": "whatsapp",
            "add_emails": ["maryam.work@example.com"],
            "add_whatsapp": ["+989123456789"],
        },
    )
    assert answer.status == 200, answer.body
    customer.refresh_from_db()
    assert (customer.name, customer.company, customer.preferred_language) == (
        "Maryam Ahmadi",
        "Ahmadi Trading",
        "fa",
    )
    assert customer.preferred_channel == "whatsapp"
    assert answer.body["contact_points"] == [
        {"kind": "email", "value": "maryam@example.com", "is_primary": True},
        {"kind": "email", "value": "maryam.work@example.com", "is_primary": False},
        {"kind": "phone", "value": "+989123456789", "is_primary": True},
        {"kind": "whatsapp", "value": "+989123456789", "is_primary": True},
    ]
    cleared = agent_api.patch(f"/customers/{customer.pk}", {"company": None, "notes": None})
    assert cleared.status == 200
    customer.refresh_from_db()
    assert (customer.company, customer.name) == ("", "Maryam Ahmadi")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"add_emails": ["broken"]}, "add_emails"),
        ({"add_phones": ["123"]}, "add_phones"),
        ({"add_telegram": ["@x"]}, "add_telegram"),
    ],
)
def test_patch_rejects_bad_input_and_changes_nothing(org, customer, agent_api, body, field):
    answer = agent_api.patch(f"/customers/{customer.pk}", {"company": "Changed", **body})
    assert (answer.status, answer.field) == (422, field), answer.body
    customer.refresh_from_db()
    assert (customer.name, customer.company) == ("Maryam Ahmadi", "")
    assert customer.contact_points.count() == 2


def test_patch_refuses_a_contact_point_of_another_customer(org, customer, agent_api):
    other = customer_create(organization=org, name="Other", emails=["other@example.com"])
    answer = agent_api.patch(f"/customers/{other.pk}", {"add_emails": ["maryam@example.com"]})
    assert (answer.status, answer.field) == (422, "add_emails")
    assert other.contact_points.count() == 1


def test_another_organization_gets_404(org, customer, outsider_api):
    assert outsider_api.get(f"/customers/{customer.pk}").status == 404
    answer = outsider_api.patch(f"/customers/{customer.pk}", {"name": "Taken"})
    assert answer.status == 404
    assert answer.body == {"detail": "Not found.", "errors": []}
    customer.refresh_from_db()
    assert customer.name == "Maryam Ahmadi"
    assert outsider_api.get("/customers/").body == {"items": [], "next_cursor": None}
    assert outsider_api.get("/customers/", {"email": "maryam@example.com"}).body["items"] == []


def test_viewer_reads_but_cannot_write(org, customer, viewer_api):
    assert viewer_api.get(f"/customers/{customer.pk}").status == 200
    created = viewer_api.post("/customers/", {"name": "New"})
    assert created.status == 403
    changed = viewer_api.patch(f"/customers/{customer.pk}", {"name": "Changed"})
    assert changed.status == 403
    customer.refresh_from_db()
    assert customer.name == "Maryam Ahmadi"
    assert Customer.objects.count() == 1


def test_missing_token_is_401(org, customer):
    answer = ApiClient().get(f"/customers/{customer.pk}")
    assert answer.status == 401
    assert answer.body["errors"] == []

import pytest

from aftercare.customers.models import ContactPoint, Customer
from aftercare.customers.selectors import customer_list
from aftercare.customers.services import (
    customer_create,
    customer_get_or_create_for_email,
    customer_update,
)
from aftercare.customers.tests.factories import make_customer
from aftercare.lib.errors import ApplicationError


def test_contact_points_are_normalised(org):
    customer = customer_create(
        organization=org,
        name="Reza Karimi",
        emails=[" Reza@Example.COM "],
        phones=["0912 111 2233"],
        telegram=["@RezaK_2024"],
        whatsapp=["+989121112233"],
    )
    points = set(customer.contact_points.values_list("kind", "value"))
    assert points == {
        ("email", "reza@example.com"),
        ("phone", "+989121112233"),
        ("telegram", "@rezak_2024"),
        ("whatsapp", "+989121112233"),
    }


def test_duplicate_contact_point_in_org_is_refused_and_nothing_created(org, customer):
    with pytest.raises(ApplicationError) as error:
        customer_create(organization=org, name="Someone", phones=["+989123456789"])
    assert error.value.field == "phone"
    assert error.value.code == "duplicate"
    assert Customer.objects.filter(organization=org).count() == 1


def test_invalid_email_names_field(org):
    with pytest.raises(ApplicationError) as error:
        customer_create(organization=org, name="X", emails=["not-an-email"])
    assert error.value.field == "email"
    assert not Customer.objects.exists()


def test_update_adds_contact_points_and_keeps_others(org, customer):
    customer_update(customer=customer, name="Maryam A.", add_emails=["m.a@example.com"])
    customer.refresh_from_db()
    assert customer.name == "Maryam A."
    emails = sorted(customer.contact_points.filter(kind="email").values_list("value", flat=True))
    assert emails == ["m.a@example.com", "maryam@example.com"]


def test_update_with_bad_language_changes_nothing(org, customer):
    with pytest.raises(ApplicationError) as error:
        customer_update(customer=customer, name="New", preferred_language="xx")
    assert error.value.field == "preferred_language"
    customer.refresh_from_db()
    assert customer.name == "Maryam Ahmadi"


def test_get_or_create_for_email_reuses_existing(org, customer):
    assert (
        customer_get_or_create_for_email(organization=org, email="MARYAM@example.com") == customer
    )
    created = customer_get_or_create_for_email(organization=org, email="new@example.com")
    assert created.pk != customer.pk
    assert ContactPoint.objects.get(customer=created).value == "new@example.com"


def test_search_by_name_and_contact_point_is_scoped(org, other_org, customer, other_customer):
    assert [c.pk for c in customer_list(organization=org, search="ماریام").items] == []
    assert [c.pk for c in customer_list(organization=org, search="maryam").items] == [customer.pk]
    assert [c.pk for c in customer_list(organization=org, phone="09123456789").items] == [
        customer.pk
    ]
    assert [c.pk for c in customer_list(organization=org, email="mehmet@example.com").items] == []
    assert [c.pk for c in customer_list(organization=other_org, search="mehmet").items] == [
        other_customer.pk
    ]


def test_search_folds_persian_letters(org):
    arabic_spelling = customer_create(
        organization=org, name="علي كريمي", emails=["ali@example.com"]
    )
    found = customer_list(organization=org, search="علی کریمی").items
    assert [c.pk for c in found] == [arabic_spelling.pk]


def test_customers_of_two_organizations_may_share_an_email(org, other_org):
    ours = make_customer(organization=org, email="same@example.com")
    theirs = make_customer(organization=other_org, email="same@example.com")

    assert ours.pk != theirs.pk
    found = customer_list(organization=org, email="same@example.com").items
    assert [customer.pk for customer in found] == [ours.pk]
    found = customer_list(organization=other_org, email="same@example.com").items
    assert [customer.pk for customer in found] == [theirs.pk]
    points = ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL, value="same@example.com")
    assert sorted(points.values_list("organization_id", flat=True)) == sorted(
        [org.pk, other_org.pk]
    )

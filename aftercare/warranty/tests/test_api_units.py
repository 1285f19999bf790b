"""API v1: /units/ — list, register, read, correct, transfer, coverage, import."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.catalog.services import fault_code_create, warranty_policy_create
from aftercare.customers.tests.factories import make_customer
from aftercare.warranty.coverage import last_day
from aftercare.warranty.models import Unit, UnitTransfer
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def washer(org):
    policy = warranty_policy_create(organization=org, name="Two years", months=24)
    return make_product_model(organization=org, sku="WM-1", name="Washer", warranty_policy=policy)


def test_register_read_and_list(org, agent_api, customer, washer):
    created = agent_api.post(
        "/units/",
        {
            "product_model_id": washer.pk,
            "serial_number": " ab-۱۲۳ ",
            "customer_id": customer.pk,
            "purchase_date": (TODAY - 10 * DAY).isoformat(),
            "seller": "Shop",
        },
    )
    assert created.status == 201, created.body
    body = created.body
    assert body["serial_number"] == "ab-123"
    assert body["product_model"] == {"id": washer.pk, "name": "Washer", "sku": "WM-1"}
    assert body["customer"] == {"id": customer.pk, "name": customer.name}
    assert (body["source"], body["has_proof_of_purchase"]) == ("api", False)
    assert body["registered_at"] is not None
    got = agent_api.get(f"/units/{body['id']}")
    assert got.body == body
    listed = agent_api.get("/units/", {"search": "AB1"})
    assert [row["id"] for row in listed.body["items"]] == [body["id"]]
    assert agent_api.get("/units/", {"search": "zz"}).body["items"] == []


def test_register_refuses_duplicates_and_foreign_ids(
    org, other_org, agent_api, customer, other_customer, washer
):
    make_unit(organization=org, product_model=washer, serial="SN-1")
    duplicate = agent_api.post("/units/", {"product_model_id": washer.pk, "serial_number": "sn1"})
    assert (duplicate.status, duplicate.field) == (422, "serial_number")
    foreign_model = make_product_model(organization=other_org)
    answer = agent_api.post(
        "/units/", {"product_model_id": foreign_model.pk, "serial_number": "X-1"}
    )
    assert (answer.status, answer.field) == (422, "product_model_id")
    answer = agent_api.post(
        "/units/",
        {"product_model_id": washer.pk, "serial_number": "X-1", "customer_id": other_customer.pk},
    )
    assert (answer.status, answer.field) == (422, "customer_id")
    future = agent_api.post(
        "/units/",
        {
            "product_model_id": washer.pk,
            "serial_number": "X-1",
            "purchase_date": (TODAY + DAY).isoformat(),
        },
    )
    assert (future.status, future.field) == (422, "purchase_date")
    assert Unit.objects.count() == 1


@pytest.mark.parametrize("day", ["2026-01-31T00:00:00", "2026-01-31T00:00:00Z", "0", 0])
def test_register_refuses_a_purchase_date_that_is_no_date(org, agent_api, washer, day):
    # pydantic took a midnight date-time for its date; the schema says `format: date`.
    answer = agent_api.post(
        "/units/", {"product_model_id": washer.pk, "serial_number": "X-1", "purchase_date": day}
    )
    assert (answer.status, answer.field) == (422, "purchase_date"), answer.body
    assert not Unit.objects.exists()


def test_list_filters_and_pages_in_flat_queries(org, agent_api, customer, washer):
    owned = make_unit(organization=org, product_model=washer, customer=customer)
    for _ in range(11):
        make_unit(organization=org)
    agent_api.get("/units/")
    with CaptureQueriesContext(connection) as queries:
        first = agent_api.get("/units/", {"limit": 5})
    # token, membership, the page (with model, owner and organization joined)
    assert len(queries) == 3
    second = agent_api.get("/units/", {"limit": 5, "cursor": first.body["next_cursor"]})
    third = agent_api.get("/units/", {"limit": 5, "cursor": second.body["next_cursor"]})
    ids = [row["id"] for page in (first, second, third) for row in page.body["items"]]
    assert len(set(ids)) == 12 and third.body["next_cursor"] is None
    assert [row["id"] for row in agent_api.get("/units/", {"owner": "owned"}).body["items"]] == [
        owned.pk
    ]
    by_customer = agent_api.get("/units/", {"customer_id": customer.pk})
    assert [row["id"] for row in by_customer.body["items"]] == [owned.pk]
    by_model = agent_api.get("/units/", {"product_model_id": washer.pk})
    assert [row["id"] for row in by_model.body["items"]] == [owned.pk]
    assert agent_api.get("/units/", {"owner": "nobody"}).status == 422
    assert agent_api.get("/units/", {"cursor": "junk"}).status == 422


def test_another_organizations_unit_is_404(org, other_org, outsider_api, agent_api):
    unit = make_unit(organization=org)
    theirs = make_unit(organization=other_org)
    for path in (f"/units/{unit.pk}", f"/units/{unit.pk}/coverage", f"/units/{unit.pk}/transfers"):
        assert outsider_api.get(path).status == 404
    assert outsider_api.patch(f"/units/{unit.pk}", {"seller": "x"}).status == 404
    answer = outsider_api.post(
        f"/units/{unit.pk}/transfer", {"customer_id": 1, "transferred_on": TODAY.isoformat()}
    )
    assert answer.status == 404
    assert agent_api.get(f"/units/{theirs.pk}").status == 404
    assert [row["id"] for row in outsider_api.get("/units/").body["items"]] == [theirs.pk]


def test_viewers_read_only(org, viewer_api, washer):
    unit = make_unit(organization=org, product_model=washer)
    assert viewer_api.get(f"/units/{unit.pk}").status == 200
    assert viewer_api.get("/units/").status == 200
    assert viewer_api.get(f"/units/{unit.pk}/coverage").status == 200
    assert (
        viewer_api.post("/units/", {"product_model_id": washer.pk, "serial_number": "V"}).status
        == 403
    )
    assert viewer_api.patch(f"/units/{unit.pk}", {"seller": "x"}).status == 403
    buyer = make_customer(organization=org)
    answer = viewer_api.post(
        f"/units/{unit.pk}/transfer",
        {"customer_id": buyer.pk, "transferred_on": TODAY.isoformat()},
    )
    assert answer.status == 403
    upload = SimpleUploadedFile("u.csv", b"serial_number,product_sku\nA,WM-1\n")
    assert viewer_api.upload("/units/import", {"file": upload}).status == 403
    unit.refresh_from_db()
    assert unit.seller == "" and not UnitTransfer.objects.exists()
    assert Unit.objects.count() == 1


def test_update_changes_only_what_is_sent(org, agent_api, customer, washer):
    unit = make_unit(organization=org, product_model=washer, customer=customer, seller="A")
    other = make_product_model(organization=org, sku="WM-2")
    answer = agent_api.patch(
        f"/units/{unit.pk}",
        {"product_model_id": other.pk, "delivery_date": TODAY.isoformat(), "is_sold_by_us": False},
    )
    assert answer.status == 200, answer.body
    assert answer.body["product_model"]["sku"] == "WM-2"
    assert answer.body["delivery_date"] == TODAY.isoformat()
    assert (answer.body["seller"], answer.body["is_sold_by_us"]) == ("A", False)
    cleared = agent_api.patch(f"/units/{unit.pk}", {"delivery_date": None})
    assert cleared.body["delivery_date"] is None
    bad = agent_api.patch(
        f"/units/{unit.pk}",
        {"installation_date": (unit.purchase_date - DAY).isoformat()},
    )
    assert (bad.status, bad.field) == (422, "installation_date")
    assert agent_api.patch(f"/units/{unit.pk}", {"seller": None}).status == 422


def test_transfer_and_history(org, agent_api, customer, bob_agent):
    unit = make_unit(organization=org, customer=customer)
    buyer = make_customer(organization=org, name="Buyer")
    answer = agent_api.post(
        f"/units/{unit.pk}/transfer",
        {"customer_id": buyer.pk, "transferred_on": TODAY.isoformat(), "note": "Sold"},
    )
    assert answer.status == 201, answer.body
    assert answer.body["from_customer"] == {"id": customer.pk, "name": customer.name}
    assert answer.body["to_customer"] == {"id": buyer.pk, "name": "Buyer"}
    assert agent_api.get(f"/units/{unit.pk}").body["transferred_on"] == TODAY.isoformat()
    history = agent_api.get(f"/units/{unit.pk}/transfers")
    assert [row["note"] for row in history.body] == ["Sold"]
    again = agent_api.post(
        f"/units/{unit.pk}/transfer",
        {"customer_id": buyer.pk, "transferred_on": TODAY.isoformat()},
    )
    assert (again.status, again.field) == (422, "customer_id")
    assert UnitTransfer.objects.get().actor == bob_agent


def test_coverage_on_a_day_and_for_a_fault(org, agent_api, customer):
    fault = fault_code_create(organization=org, code="DMG", name="Physical damage")
    policy = warranty_policy_create(
        organization=org, name="One year", months=12, excluded_faults=[fault]
    )
    model = make_product_model(organization=org, warranty_policy=policy)
    bought = TODAY - 30 * DAY
    unit = make_unit(organization=org, product_model=model, customer=customer, purchase_date=bought)
    until = last_day(bought, 12)
    today = agent_api.get(f"/units/{unit.pk}/coverage")
    assert today.status == 200
    assert {key: today.body[key] for key in ("covered", "by", "until", "reason")} == {
        "covered": True,
        "by": "standard",
        "until": until.isoformat(),
        "reason": "",
    }
    later = agent_api.get(f"/units/{unit.pk}/coverage", {"on": (until + DAY).isoformat()})
    assert (later.body["covered"], later.body["reason"]) == (False, "expired")
    excluded = agent_api.get(f"/units/{unit.pk}/coverage", {"fault_code_id": fault.pk})
    assert (excluded.body["covered"], excluded.body["reason"]) == (False, "excluded_fault")
    bad = agent_api.get(f"/units/{unit.pk}/coverage", {"on": "2025-02-30"})
    assert bad.status == 422


def test_coverage_with_another_organizations_fault_is_422(org, other_org, agent_api):
    unit = make_unit(organization=org)
    theirs = fault_code_create(organization=other_org, code="X", name="X")
    answer = agent_api.get(f"/units/{unit.pk}/coverage", {"fault_code_id": theirs.pk})
    assert (answer.status, answer.field) == (422, "fault_code_id")


def test_import_dry_run_then_real(org, manager_api, washer):
    content = (
        b"serial_number,product_sku,purchase_date,installation_date\n"
        b"A-1,WM-1,2025-01-02,\n"
        b"A-2,WM-1,2025-01-02,2024-12-01\n"
        b",WM-1,,\n"
        b"A-3,WM-1,,\n"
    )
    dry = manager_api.upload(
        "/units/import",
        {"file": SimpleUploadedFile("units.csv", content), "dry_run": "true"},
    )
    assert dry.status == 200, dry.body
    assert dry.body["errors"] == [
        {
            "line": 3,
            "field": "installation_date",
            "message": "The installation date is before the purchase date.",
        },
        {"line": 4, "field": "serial_number", "message": "Enter the serial number."},
    ]
    assert {key: dry.body[key] for key in ("dry_run", "rows", "new", "imported", "failed")} == {
        "dry_run": True,
        "rows": 4,
        "new": 2,
        "imported": 0,
        "failed": 2,
    }
    assert not Unit.objects.exists()
    real = manager_api.upload("/units/import", {"file": SimpleUploadedFile("units.csv", content)})
    assert (real.body["dry_run"], real.body["imported"], real.body["failed"]) == (False, 2, 2)
    assert sorted(Unit.objects.values_list("serial_key", flat=True)) == ["A1", "A3"]


def test_import_refuses_agents_and_unreadable_files(org, agent_api, manager_api):
    upload = SimpleUploadedFile("u.csv", b"serial_number,product_sku\nA,WM-1\n")
    assert agent_api.upload("/units/import", {"file": upload}).status == 403
    bad = manager_api.upload(
        "/units/import", {"file": SimpleUploadedFile("u.csv", b"serial,sku\nA,B\n")}
    )
    assert (bad.status, bad.field) == (422, "file")
    assert manager_api.upload("/units/import", {}).status == 422

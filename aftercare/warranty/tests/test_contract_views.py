"""Console pages for a unit's contracts and claims: the unit page lists the standard warranty,
the contracts and the claims; agents sell extended warranties; admins and supervisors grant
goodwill, void contracts and decide claims."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.catalog.services import fault_code_create
from aftercare.lib.testing import field_error, text_of
from aftercare.warranty.models import Contract, WarrantyClaim
from aftercare.warranty.services.claims import claim_approve, claim_open, claim_reject
from aftercare.warranty.services.contracts import contract_extend, contract_goodwill, contract_void
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model

D = datetime.date


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_now(monkeypatch, "2026-11-20T09:00:00")


@pytest.fixture
def physical(org):
    return fault_code_create(organization=org, code="PHY", name="Physical damage")


@pytest.fixture
def unit(org, physical, customer):
    """Bought 2026-03-10 under a 12-month warranty (to 2027-03-09) that excludes PHY."""
    model = make_model(organization=org, months=12, excluded_faults=[physical])
    return make_dated_unit(organization=org, product_model=model, customer=customer)


@pytest.fixture
def foreign_unit(other_org):
    return make_dated_unit(organization=other_org, product_model=make_model(organization=other_org))


def _url(name: str, *args) -> str:
    return reverse(f"warranty:{name}", args=args)


def _contracts() -> list[tuple]:
    return list(
        Contract.objects.order_by("pk").values_list(
            "unit", "kind", "starts_on", "ends_on", "price", "reference", "note", "voided_at"
        )
    )


def _claims() -> list[tuple]:
    return list(
        WarrantyClaim.objects.order_by("pk").values_list(
            "status", "covered_by", "rejection_reason", "decided_by"
        )
    )


# --- The unit page ---


def test_unit_page_lists_the_standard_warranty_contracts_and_claims(
    org, agent_client, unit, physical, sam_supervisor, bob_agent
):
    contract_extend(
        unit=unit, months=24, price=Decimal("1500000"), reference="INV-7", note="Sold at the shop"
    )
    goodwill = contract_goodwill(
        unit=unit,
        starts_on=D(2029, 4, 1),
        ends_on=D(2029, 6, 30),
        note="Late delivery",
        actor=sam_supervisor,
        covers_travel=True,
    )
    contract_void(contract=goodwill, actor=sam_supervisor)
    approved = claim_open(unit=unit, ticket_id=None, fault_on=D(2026, 11, 1), actor=bob_agent)
    claim_approve(claim=approved, actor=sam_supervisor)
    rejected = claim_open(unit=unit, ticket_id=None, fault_code=physical, fault_on=D(2026, 11, 2))
    claim_reject(claim=rejected, reason="The drum was dented.", actor=sam_supervisor)
    pending = claim_open(unit=unit, ticket_id=None, fault_on=D(2026, 11, 3))

    response = agent_client.get(_url("detail", unit.pk))
    assert response.status_code == 200
    html = text_of(response)
    kinds = re.findall(r'data-testid="contract-row" data-kind="(\w+)"', html)
    assert kinds == ["standard", "extended", "goodwill"]
    standard = html[html.index('data-kind="standard"') : html.index('data-kind="extended"')]
    assert "Standard warranty" in standard and "2026-03-10" in standard and "2027-03-09" in standard
    extended = html[html.index('data-kind="extended"') : html.index('data-kind="goodwill"')]
    assert "2027-03-10" in extended and "2029-03-09" in extended
    assert 'data-testid="contract-price">1,500,000<' in extended
    assert "INV-7" in extended and "Sold at the shop" in extended
    assert "✓ parts · ✓ labour · ✗ on-site travel" in extended
    void = html[html.index('data-kind="goodwill"') :]
    assert 'data-void="yes"' in void[:200]
    assert 'data-testid="contract-void"' in void
    assert "✓ parts · ✓ labour · ✓ on-site travel" in void
    # The claims, newest first, with their status and the reason the customer reads.
    statuses = re.findall(r'data-testid="claim-row" data-claim="(\d+)" data-status="(\w+)"', html)
    assert statuses == [
        (str(pending.pk), "pending"),
        (str(rejected.pk), "rejected"),
        (str(approved.pk), "approved"),
    ]
    assert 'data-testid="claim-reason">The drum was dented.<' in html
    assert "Sam Supervisor" in html
    # The certificate, and what an agent may do (sell) and may not (grant, void).
    certificate = reverse("repairs:certificate", kwargs={"unit_id": unit.pk})
    assert f'href="{certificate}" data-testid="unit-certificate"' in html
    assert 'data-testid="sell-extension"' in html
    assert 'data-testid="grant-goodwill"' not in html
    assert 'data-testid="void-contract"' not in html


def test_managers_see_goodwill_and_void_viewers_see_no_action(
    unit, supervisor_client, viewer_client
):
    contract = contract_extend(unit=unit, months=12, price=Decimal("100"))
    html = text_of(supervisor_client.get(_url("detail", unit.pk)))
    assert 'data-testid="grant-goodwill"' in html
    assert f'href="{_url("contract_void", unit.pk, contract.pk)}"' in html
    html = text_of(viewer_client.get(_url("detail", unit.pk)))
    for action in ("sell-extension", "grant-goodwill", "void-contract"):
        assert f'data-testid="{action}"' not in html
    assert 'data-testid="unit-certificate"' in html


def test_a_unit_bought_elsewhere_shows_it_has_no_warranty(org, agent_client):
    unit = make_dated_unit(organization=org, is_sold_by_us=False)
    html = text_of(agent_client.get(_url("detail", unit.pk)))
    assert 'data-kind="standard"' not in html
    assert 'data-testid="no-contracts"' in html


def test_unit_page_queries_do_not_grow_with_contracts_and_claims(
    agent_client, unit, sam_supervisor
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(_url("detail", unit.pk)).status_code == 200
        return len(queries)

    contract_extend(unit=unit, months=12, price=Decimal("100"))
    claim = claim_open(unit=unit, ticket_id=1, fault_on=D(2026, 11, 1))
    claim_approve(claim=claim, actor=sam_supervisor)
    few = count()
    for number in range(4):
        contract_extend(unit=unit, months=12, price=Decimal("100"))
        contract_goodwill(
            unit=unit, starts_on=D(2030, 1, 1), ends_on=D(2030, 2, 1), note="x", actor=None
        )
        other = claim_open(unit=unit, ticket_id=number + 2, fault_on=D(2026, 11, 1))
        claim_reject(claim=other, reason="No.", actor=sam_supervisor)
    assert count() == few


# --- Selling an extended warranty ---


def test_an_agent_sells_an_extended_warranty(agent_client, unit, bob_agent):
    page = agent_client.get(_url("contract_extend", unit.pk))
    assert page.status_code == 200
    assert "It starts on 2027-03-10" in text_of(page)
    response = agent_client.post(
        _url("contract_extend", unit.pk),
        {
            "months": "24",
            "price": "1500000.50",
            "reference": "INV-9",
            "note": "Paid in cash",
            "covers_parts": "on",
            "covers_travel": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("detail", unit.pk)
    assert _contracts() == [
        (
            unit.pk,
            "extended",
            D(2027, 3, 10),
            D(2029, 3, 9),
            Decimal("1500000.50"),
            "INV-9",
            "Paid in cash",
            None,
        )
    ]
    contract = Contract.objects.get()
    assert (contract.covers_parts, contract.covers_labour, contract.covers_travel) == (
        True,
        False,
        True,
    )
    assert contract.created_by == bob_agent


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"months": "0", "price": "100"}, "months", "Enter a length from 1 to 120 months."),
        ({"months": "121", "price": "100"}, "months", "Enter a length from 1 to 120 months."),
        ({"months": "", "price": "100"}, "months", "This field is required."),
        ({"months": "12", "price": "0"}, "price", "Enter an amount above zero."),
        ({"months": "12", "price": "lots"}, "price", "Enter a number."),
        ({"months": "12", "price": "10.505"}, "price", "decimal places"),
        ({"months": "12", "price": "100", "reference": "R" * 101}, "reference", "at most 100"),
    ],
)
def test_a_bad_extension_names_the_field_and_sells_nothing(
    agent_client, unit, body, field, message
):
    response = agent_client.post(_url("contract_extend", unit.pk), body)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _contracts() == []


def test_viewers_do_not_sell(viewer_client, unit):
    assert viewer_client.get(_url("contract_extend", unit.pk)).status_code == 403
    response = viewer_client.post(_url("contract_extend", unit.pk), {"months": "12", "price": "1"})
    assert response.status_code == 403
    assert _contracts() == []


# --- Goodwill ---


def test_a_supervisor_grants_goodwill(supervisor_client, unit, sam_supervisor):
    assert supervisor_client.get(_url("contract_goodwill", unit.pk)).status_code == 200
    response = supervisor_client.post(
        _url("contract_goodwill", unit.pk),
        {
            "starts_on": "2027-03-10",
            "ends_on": "2027-09-09",
            "note": "Our delivery was late",
            "covers_parts": "on",
            "covers_labour": "on",
        },
    )
    assert response.status_code == 302
    assert _contracts() == [
        (
            unit.pk,
            "goodwill",
            D(2027, 3, 10),
            D(2027, 9, 9),
            None,
            "",
            "Our delivery was late",
            None,
        )
    ]
    assert Contract.objects.get().created_by == sam_supervisor


def test_goodwill_in_persian_takes_jalali_dates(admin_client, unit):
    admin_client.cookies["aftercare_language"] = "fa"
    response = admin_client.post(
        _url("contract_goodwill", unit.pk),
        {"starts_on": "۱۴۰۵/۱۲/۱۹", "ends_on": "1406/06/18", "note": "تأخیر", "covers_parts": "on"},
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert (contract.starts_on, contract.ends_on) == (D(2027, 3, 10), D(2027, 9, 9))


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"starts_on": "", "ends_on": "2027-01-01", "note": "x"}, "starts_on", "Enter the date."),
        ({"starts_on": "2027-01-01", "ends_on": "", "note": "x"}, "ends_on", "Enter the date."),
        (
            {"starts_on": "1 March", "ends_on": "2027-01-01", "note": "x"},
            "starts_on",
            "Enter the date as YYYY-MM-DD",
        ),
        (
            {"starts_on": "2027-02-01", "ends_on": "2027-01-01", "note": "x"},
            "ends_on",
            "The end is before the start.",
        ),
        (
            {"starts_on": "2027-01-01", "ends_on": "2038-01-01", "note": "x"},
            "ends_on",
            "Goodwill can last ten years at most.",
        ),
        ({"starts_on": "2027-01-01", "ends_on": "2027-02-01", "note": " "}, "note", "required"),
    ],
)
def test_bad_goodwill_names_the_field_and_grants_nothing(
    supervisor_client, unit, body, field, message
):
    response = supervisor_client.post(_url("contract_goodwill", unit.pk), body)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _contracts() == []


def test_agents_do_not_grant_goodwill_or_void(agent_client, unit):
    contract = contract_extend(unit=unit, months=12, price=Decimal("100"))
    before = _contracts()
    body = {"starts_on": "2027-01-01", "ends_on": "2027-02-01", "note": "x"}
    for method, url, data in (
        ("get", _url("contract_goodwill", unit.pk), None),
        ("post", _url("contract_goodwill", unit.pk), body),
        ("get", _url("contract_void", unit.pk, contract.pk), None),
        ("post", _url("contract_void", unit.pk, contract.pk), {}),
    ):
        response = getattr(agent_client, method)(url, data)
        assert response.status_code == 403
    assert "Only admins and supervisors" in text_of(response)
    assert _contracts() == before


# --- Voiding ---


def test_a_supervisor_voids_a_contract_once(supervisor_client, unit):
    contract = contract_extend(unit=unit, months=12, price=Decimal("100"), reference="INV-1")
    page = supervisor_client.get(_url("contract_void", unit.pk, contract.pk))
    assert page.status_code == 200
    assert 'data-testid="confirm-void"' in text_of(page)
    response = supervisor_client.post(_url("contract_void", unit.pk, contract.pk))
    assert response.status_code == 302
    contract.refresh_from_db()
    voided_at = contract.voided_at
    assert voided_at is not None
    again = supervisor_client.post(_url("contract_void", unit.pk, contract.pk))
    assert again.status_code == 422
    assert "This contract is already void." in text_of(again)
    contract.refresh_from_db()
    assert contract.voided_at == voided_at


def test_a_contract_of_another_unit_is_404(org, supervisor_client, unit):
    other = make_dated_unit(organization=org)
    theirs = contract_extend(unit=other, months=12, price=Decimal("100"))
    assert supervisor_client.post(_url("contract_void", unit.pk, theirs.pk)).status_code == 404
    assert Contract.objects.get(pk=theirs.pk).voided_at is None


# --- Deciding a claim ---


def test_a_supervisor_approves_a_claim_on_its_page(
    supervisor_client, agent_client, unit, sam_supervisor
):
    claim = claim_open(unit=unit, ticket_id=None, fault_on=D(2026, 11, 1))
    page = text_of(agent_client.get(_url("claim", unit.pk, claim.pk)))
    assert 'data-testid="claim-status" data-status="pending"' in page
    assert "In warranty until 2027-03-09" in page
    assert 'data-testid="approve-claim"' not in page
    page = text_of(supervisor_client.get(_url("claim", unit.pk, claim.pk)))
    assert 'data-testid="approve-claim"' in page
    response = supervisor_client.post(_url("claim_approve", unit.pk, claim.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("detail", unit.pk)
    assert _claims() == [("approved", "standard", "", sam_supervisor.pk)]


def test_a_claim_nothing_covers_is_not_approved(supervisor_client, unit, physical):
    claim = claim_open(unit=unit, ticket_id=None, fault_code=physical, fault_on=D(2026, 11, 1))
    response = supervisor_client.post(_url("claim_approve", unit.pk, claim.pk))
    assert response.status_code == 422
    assert "Nothing covers this fault on that day" in text_of(response)
    assert _claims() == [("pending", "", "", None)]


def test_a_supervisor_rejects_a_claim_with_a_reason(supervisor_client, unit, sam_supervisor):
    claim = claim_open(unit=unit, ticket_id=None, fault_on=D(2026, 11, 1))
    empty = supervisor_client.post(_url("claim_reject", unit.pk, claim.pk), {"reason": ""})
    assert empty.status_code == 422
    assert "This field is required." in field_error(empty, "reason")
    blank = supervisor_client.post(_url("claim_reject", unit.pk, claim.pk), {"reason": "  "})
    assert blank.status_code == 422
    assert _claims() == [("pending", "standard", "", None)]
    response = supervisor_client.post(
        _url("claim_reject", unit.pk, claim.pk), {"reason": "The drum was dented."}
    )
    assert response.status_code == 302
    assert _claims() == [("rejected", "standard", "The drum was dented.", sam_supervisor.pk)]
    again = supervisor_client.post(_url("claim_approve", unit.pk, claim.pk))
    assert again.status_code == 422
    assert "This claim was already decided." in text_of(again)
    assert _claims() == [("rejected", "standard", "The drum was dented.", sam_supervisor.pk)]


def test_agents_do_not_decide_claims(agent_client, unit):
    claim = claim_open(unit=unit, ticket_id=None, fault_on=D(2026, 11, 1))
    assert agent_client.post(_url("claim_approve", unit.pk, claim.pk)).status_code == 403
    response = agent_client.post(_url("claim_reject", unit.pk, claim.pk), {"reason": "No."})
    assert response.status_code == 403
    assert "Only admins and supervisors decide warranty claims." in text_of(response)
    assert agent_client.get(_url("claim_approve", unit.pk, claim.pk)).status_code == 405
    assert _claims() == [("pending", "standard", "", None)]


# --- Another organization's ids ---


def test_another_organizations_unit_contract_or_claim_is_404(
    org, outsider_client, unit, foreign_unit
):
    contract = contract_extend(unit=unit, months=12, price=Decimal("100"))
    claim = claim_open(unit=unit, ticket_id=None, fault_on=D(2026, 11, 1))
    before = (_contracts(), _claims())
    for name, args, body in (
        ("contract_extend", (unit.pk,), {"months": "12", "price": "100"}),
        ("contract_goodwill", (unit.pk,), {"starts_on": "2027-01-01", "ends_on": "2027-02-01"}),
        ("contract_void", (unit.pk, contract.pk), {}),
        ("claim", (unit.pk, claim.pk), None),
        # Their own unit with our contract or claim.
        ("contract_void", (foreign_unit.pk, contract.pk), {}),
        ("claim", (foreign_unit.pk, claim.pk), None),
    ):
        assert outsider_client.get(_url(name, *args)).status_code == 404
        if body is not None:
            assert outsider_client.post(_url(name, *args), body).status_code == 404
    for name in ("claim_approve", "claim_reject"):
        for unit_id in (unit.pk, foreign_unit.pk):
            response = outsider_client.post(_url(name, unit_id, claim.pk), {"reason": "No."})
            assert response.status_code == 404
    assert (_contracts(), _claims()) == before

import datetime

import pytest

from aftercare.catalog.services import fault_code_create
from aftercare.lib.errors import ApplicationError
from aftercare.warranty.models import WarrantyClaim
from aftercare.warranty.services.claims import claim_approve, claim_open, claim_reject
from aftercare.warranty.services.contracts import contract_goodwill
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model

D = datetime.date


def _claims(unit) -> list[tuple]:
    return list(
        WarrantyClaim.objects.filter(unit=unit)
        .order_by("pk")
        .values_list("status", "covered_by", "contract", "rejection_reason", "decided_by")
    )


@pytest.fixture
def physical(org):
    return fault_code_create(organization=org, code="PHY", name="Physical damage")


@pytest.fixture
def unit(org, physical):
    """Bought 2026-03-10 under a 12-month warranty that excludes physical damage."""
    model = make_model(organization=org, months=12, excluded_faults=[physical])
    return make_dated_unit(organization=org, product_model=model)


@pytest.fixture
def _today(monkeypatch):
    fixed_now(monkeypatch, "2027-06-01T08:00:00")


def test_a_claim_records_what_covers_it(_today, org, unit, bob_agent):
    claim = claim_open(unit=unit, ticket_id=42, fault_on=D(2026, 12, 1), actor=bob_agent)
    claim.refresh_from_db()
    assert (
        claim.organization_id,
        claim.unit,
        claim.ticket_id,
        claim.fault_code,
        claim.fault_on,
        claim.covered_by,
        claim.contract,
        claim.status,
        claim.decided_at,
    ) == (org.pk, unit, 42, None, D(2026, 12, 1), "standard", None, "pending", None)


def test_a_claim_nothing_covers_records_nothing(_today, unit, physical):
    claim = claim_open(unit=unit, ticket_id=7, fault_code=physical, fault_on=D(2026, 12, 1))
    assert (claim.covered_by, claim.contract, claim.status) == ("", None, "pending")


def test_a_claim_under_goodwill_names_the_contract(_today, unit, sam_supervisor):
    goodwill = contract_goodwill(
        unit=unit, starts_on=D(2027, 5, 1), ends_on=D(2027, 12, 31), note="x", actor=sam_supervisor
    )
    claim = claim_open(unit=unit, ticket_id=None, fault_on=D(2027, 5, 20))
    assert (claim.covered_by, claim.contract, claim.ticket_id) == ("goodwill", goodwill, None)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"ticket_id": 0, "fault_on": D(2026, 12, 1)}, "ticket_id"),
        ({"ticket_id": 2**63, "fault_on": D(2026, 12, 1)}, "ticket_id"),
        ({"ticket_id": "12", "fault_on": D(2026, 12, 1)}, "ticket_id"),
        ({"ticket_id": 1, "fault_on": D(2027, 6, 2)}, "fault_on"),
        ({"ticket_id": 1, "fault_on": "2026-12-01"}, "fault_on"),
    ],
)
def test_bad_claims_are_refused_and_change_nothing(_today, unit, arguments, field):
    with pytest.raises(ApplicationError) as refused:
        claim_open(unit=unit, **arguments)
    assert refused.value.field == field
    assert _claims(unit) == []


def test_a_fault_code_of_another_organization_is_refused(_today, unit, other_org):
    foreign = fault_code_create(organization=other_org, code="E1", name="Other")
    with pytest.raises(ApplicationError) as refused:
        claim_open(unit=unit, ticket_id=1, fault_code=foreign, fault_on=D(2026, 12, 1))
    assert refused.value.field == "fault_code_id"
    assert _claims(unit) == []


def test_approve_a_covered_claim(monkeypatch, unit, sam_supervisor):
    moment = fixed_now(monkeypatch, "2027-06-01T08:00:00")
    claim = claim_open(unit=unit, ticket_id=3, fault_on=D(2026, 12, 1))
    approved = claim_approve(claim=claim, actor=sam_supervisor)
    claim.refresh_from_db()
    assert (claim.status, claim.covered_by, claim.decided_at, claim.decided_by) == (
        "approved",
        "standard",
        moment,
        sam_supervisor,
    )
    assert approved.status == "approved"


def test_approval_checks_the_coverage_again(_today, unit, physical, sam_supervisor):
    claim = claim_open(unit=unit, ticket_id=3, fault_code=physical, fault_on=D(2027, 5, 20))
    with pytest.raises(ApplicationError) as refused:
        claim_approve(claim=claim, actor=sam_supervisor)
    assert refused.value.code == "not_covered"
    assert _claims(unit) == [("pending", "", None, "", None)]
    # Goodwill granted since: the claim can be approved, and says so.
    goodwill = contract_goodwill(
        unit=unit, starts_on=D(2027, 5, 1), ends_on=D(2027, 12, 31), note="x", actor=sam_supervisor
    )
    claim_approve(claim=claim, actor=sam_supervisor)
    assert _claims(unit) == [("approved", "goodwill", goodwill.pk, "", sam_supervisor.pk)]


def test_reject_with_a_reason_the_customer_sees(_today, unit, physical, sam_supervisor):
    claim = claim_open(unit=unit, ticket_id=3, fault_code=physical, fault_on=D(2027, 1, 5))
    claim_reject(claim=claim, reason="  The casing was cracked by a fall.  ", actor=sam_supervisor)
    assert _claims(unit) == [
        ("rejected", "", None, "The casing was cracked by a fall.", sam_supervisor.pk)
    ]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_rejection_needs_a_reason(_today, unit, sam_supervisor, reason):
    claim = claim_open(unit=unit, ticket_id=3, fault_on=D(2027, 1, 5))
    with pytest.raises(ApplicationError) as refused:
        claim_reject(claim=claim, reason=reason, actor=sam_supervisor)
    assert refused.value.field == "reason"
    assert _claims(unit) == [("pending", "standard", None, "", None)]


def test_a_decided_claim_stays_decided(_today, unit, sam_supervisor):
    claim = claim_open(unit=unit, ticket_id=3, fault_on=D(2027, 1, 5))
    claim_reject(claim=claim, reason="No fault found.", actor=sam_supervisor)
    for decide in (
        lambda: claim_approve(claim=claim, actor=sam_supervisor),
        lambda: claim_reject(claim=claim, reason="Again.", actor=sam_supervisor),
    ):
        with pytest.raises(ApplicationError) as refused:
            decide()
        assert refused.value.code == "already_decided"
    assert _claims(unit) == [("rejected", "standard", None, "No fault found.", sam_supervisor.pk)]

"""`hooks.claim_decided`: every decision on a claim, through the services or the API, is told
once to the apps above, in the decision's transaction (repairs' side is tested in
aftercare/repairs/tests/test_claims.py)."""

import datetime

import pytest

from aftercare.catalog.services import fault_code_create
from aftercare.lib.errors import ApplicationError
from aftercare.warranty.hooks import claim_decided
from aftercare.warranty.models import WarrantyClaim
from aftercare.warranty.services.claims import claim_approve, claim_open, claim_reject
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model

D = datetime.date


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_now(monkeypatch, "2026-11-20T09:00:00")


@pytest.fixture
def physical(org):
    return fault_code_create(organization=org, code="PHY", name="Physical damage")


@pytest.fixture
def unit(org, physical):
    """Bought 2026-03-10 under a 12-month warranty that excludes physical damage."""
    model = make_model(organization=org, months=12, excluded_faults=[physical])
    return make_dated_unit(organization=org, product_model=model)


@pytest.fixture
def told(monkeypatch) -> list[tuple]:
    """What the hook is told, only (the apps' own receivers set aside for these tests): the
    claim, its status as stored when told, and the actor."""
    calls: list[tuple] = []

    def receiver(*, claim, actor):
        stored = WarrantyClaim.objects.get(pk=claim.pk)
        calls.append((claim.pk, claim.status, stored.status, actor))

    monkeypatch.setattr(claim_decided, "_receivers", [receiver])
    return calls


def _statuses(unit) -> list[str]:
    return list(
        WarrantyClaim.objects.filter(unit=unit).order_by("pk").values_list("status", flat=True)
    )


def test_each_decision_is_told_once_after_it_is_stored(unit, sam_supervisor, told):
    first = claim_open(unit=unit, ticket_id=1, fault_on=D(2026, 11, 1))
    second = claim_open(unit=unit, ticket_id=2, fault_on=D(2026, 11, 1))
    claim_approve(claim=first, actor=sam_supervisor)
    claim_reject(claim=second, reason="Dented.", actor=sam_supervisor)
    assert told == [
        (first.pk, "approved", "approved", sam_supervisor),
        (second.pk, "rejected", "rejected", sam_supervisor),
    ]


def test_a_refused_decision_is_not_told(unit, physical, sam_supervisor, told):
    not_covered = claim_open(unit=unit, ticket_id=1, fault_code=physical, fault_on=D(2026, 11, 1))
    with pytest.raises(ApplicationError):
        claim_approve(claim=not_covered, actor=sam_supervisor)
    with pytest.raises(ApplicationError) as refused:
        claim_reject(claim=not_covered, reason=" ", actor=sam_supervisor)
    assert refused.value.field == "reason"
    claim_reject(claim=not_covered, reason="Dented.", actor=sam_supervisor)
    with pytest.raises(ApplicationError) as again:
        claim_approve(claim=not_covered, actor=sam_supervisor)
    assert again.value.code == "already_decided"
    assert told == [(not_covered.pk, "rejected", "rejected", sam_supervisor)]


def test_a_receiver_that_refuses_undoes_the_decision(monkeypatch, unit, sam_supervisor):
    def refuse(*, claim, actor):
        raise ApplicationError("The repair cannot take it.", field="claim")

    monkeypatch.setattr(claim_decided, "_receivers", [refuse])
    claim = claim_open(unit=unit, ticket_id=1, fault_on=D(2026, 11, 1))
    for decide in (
        lambda: claim_approve(claim=claim, actor=sam_supervisor),
        lambda: claim_reject(claim=claim, reason="Dented.", actor=sam_supervisor),
    ):
        with pytest.raises(ApplicationError):
            decide()
    assert _statuses(unit) == ["pending"]
    stored = WarrantyClaim.objects.get(pk=claim.pk)
    assert (stored.decided_at, stored.decided_by, stored.rejection_reason) == (None, None, "")


def test_decisions_through_the_api_are_told_with_their_author(
    unit, manager_api, sam_supervisor, told
):
    first = claim_open(unit=unit, ticket_id=1, fault_on=D(2026, 11, 1))
    second = claim_open(unit=unit, ticket_id=2, fault_on=D(2026, 11, 1))
    assert manager_api.post(f"/warranty-claims/{first.pk}/approve").status == 200
    assert manager_api.post(f"/warranty-claims/{second.pk}/reject", {"reason": "No."}).status == 200
    assert manager_api.post(f"/warranty-claims/{second.pk}/approve").status == 422
    assert told == [
        (first.pk, "approved", "approved", sam_supervisor),
        (second.pk, "rejected", "rejected", sam_supervisor),
    ]

"""A warranty claim carried by a work order, decided on the work order (its page, its API) or
outside it (the warranty API): either way the work order's billing and its request's timeline
follow, once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import text_of
from aftercare.repairs.describe import work_event_describe
from aftercare.repairs.models import Quote, WorkOrder
from aftercare.repairs.services import (
    labour_add,
    quote_send,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_open,
)
from aftercare.tickets.models import TicketEvent
from aftercare.warranty.models import Unit, WarrantyClaim
from aftercare.warranty.services.claims import claim_open

Stage = WorkOrder.Stage
REASON = "The drum was dented in transport."


@pytest.fixture
def covered(ticket, bob_agent, warehouse, pump_fault, rates) -> WorkOrder:
    """In warranty: billed to the warranty, its claim pending."""
    return work_order_open(
        ticket=ticket,
        kind=WorkOrder.Kind.SERVICE_CENTRE,
        actor=bob_agent,
        stock_location=warehouse,
        reported_fault=pump_fault,
    )


def _events(work_order: WorkOrder) -> list[TicketEvent]:
    return list(
        TicketEvent.objects.filter(ticket_id=work_order.ticket_id, kind=TicketEvent.Kind.WORK)
        .select_related("actor")
        .order_by("id")
    )


def _new(work_order: WorkOrder, before: list[TicketEvent]) -> list[tuple[str, bool, dict]]:
    """The WORK events written since `before`: (action, is public, data)."""
    seen = {event.pk for event in before}
    return [
        (event.data["action"], event.is_public, event.data)
        for event in _events(work_order)
        if event.pk not in seen
    ]


def _state(work_order: WorkOrder) -> tuple:
    work_order = WorkOrder.objects.select_related("claim").get(pk=work_order.pk)
    return (work_order.billing, work_order.stage, work_order.claim.status)


def _page_action(work_order: WorkOrder, action: str) -> str:
    return reverse("repairs:action", args=[work_order.pk, action])


def _claim_data(work_order: WorkOrder, **more) -> dict:
    return {"work_order_id": work_order.pk, "reference": "WO-000001", **more}


# --- Through the warranty API ---


def test_approving_through_the_warranty_api_writes_one_event(covered, manager_api, sam_supervisor):
    before = _events(covered)
    answer = manager_api.post(f"/warranty-claims/{covered.claim_id}/approve")
    assert answer.status == 200, answer.body
    assert answer.body["status"] == "approved"
    assert _state(covered) == ("warranty", Stage.RECEIVED, "approved")
    new = _new(covered, before)
    assert new == [
        (
            "claim_approved",
            True,
            _claim_data(covered, action="claim_approved", claim_id=covered.claim_id),
        )
    ]
    event = _events(covered)[-1]
    assert event.actor == sam_supervisor
    with translation.override("en"):
        assert work_event_describe(event=event, for_customer=False) == (
            "Sam Supervisor approved the warranty claim for WO-000001.",
            [],
        )
        assert work_event_describe(event=event, for_customer=True) == (
            "The warranty covers your repair WO-000001.",
            [],
        )


def test_approving_through_the_warranty_api_bills_the_warranty_again(
    covered, manager_api, sam_supervisor
):
    work_order_billing_set(work_order=covered, billing="goodwill", actor=sam_supervisor)
    before = _events(covered)
    assert manager_api.post(f"/warranty-claims/{covered.claim_id}/approve").status == 200
    assert _state(covered) == ("warranty", Stage.RECEIVED, "approved")
    assert _new(covered, before) == [
        (
            "claim_approved",
            True,
            _claim_data(
                covered,
                action="claim_approved",
                claim_id=covered.claim_id,
                billing_from="goodwill",
                billing_to="warranty",
            ),
        )
    ]
    with translation.override("en"):
        assert work_event_describe(event=_events(covered)[-1], for_customer=False) == (
            "Sam Supervisor approved the warranty claim for WO-000001.",
            ["Billing: Warranty"],
        )


def test_rejecting_through_the_warranty_api_bills_the_customer(
    covered, manager_api, sam_supervisor
):
    before = _events(covered)
    answer = manager_api.post(f"/warranty-claims/{covered.claim_id}/reject", {"reason": REASON})
    assert answer.status == 200, answer.body
    assert _state(covered) == ("customer", Stage.RECEIVED, "rejected")
    assert _new(covered, before) == [
        (
            "claim_rejected",
            True,
            _claim_data(
                covered,
                action="claim_rejected",
                claim_id=covered.claim_id,
                reason=REASON,
                billing_from="warranty",
                billing_to="customer",
            ),
        )
    ]
    event = _events(covered)[-1]
    with translation.override("en"):
        assert work_event_describe(event=event, for_customer=False) == (
            "Sam Supervisor rejected the warranty claim for WO-000001.",
            [f"Reason: {REASON}", "Billing: Paid by the customer"],
        )
        # The customer reads the decision and its reason, not the billing's bookkeeping.
        assert work_event_describe(event=event, for_customer=True) == (
            "The warranty does not cover your repair WO-000001.",
            [f"Reason: {REASON}"],
        )


def test_approving_a_work_order_the_customer_was_to_pay_withdraws_its_quote(
    covered, manager_api, sam_supervisor, bob_agent
):
    # A manager billed the customer while the claim waited, and a quote went out.
    work_order_billing_set(work_order=covered, billing="customer", actor=sam_supervisor)
    WorkOrder.objects.filter(pk=covered.pk).update(stage=Stage.DIAGNOSING)
    labour_add(work_order=covered, minutes=60, description="Pump out", actor=bob_agent)
    quote = quote_send(work_order=covered, actor=bob_agent)
    assert _state(covered) == ("customer", Stage.AWAITING_APPROVAL, "pending")
    before = _events(covered)
    assert manager_api.post(f"/warranty-claims/{covered.claim_id}/approve").status == 200
    assert _state(covered) == ("warranty", Stage.DIAGNOSING, "approved")
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.WITHDRAWN
    new = [
        (action, data.get("billing_to"), data.get("to"))
        for action, _p, data in _new(covered, before)
    ]
    assert new == [
        ("claim_approved", "warranty", None),
        ("quote_withdrawn", None, None),
        ("stage", None, Stage.DIAGNOSING),
    ]


def test_a_refused_decision_leaves_the_work_order_as_it_was(covered, manager_api, unit, today):
    # The unit turns out to be bought three years ago: nothing covers the fault any more.
    Unit.objects.filter(pk=unit.pk).update(purchase_date=today - datetime.timedelta(days=1100))
    before = _events(covered)
    refused = manager_api.post(f"/warranty-claims/{covered.claim_id}/approve")
    assert refused.status == 422
    empty = manager_api.post(f"/warranty-claims/{covered.claim_id}/reject", {"reason": " "})
    assert (empty.status, empty.field) == (422, "reason")
    assert _state(covered) == ("warranty", Stage.RECEIVED, "pending")
    assert _new(covered, before) == []


def test_a_claim_on_no_work_order_is_decided_alone(unit, manager_api, bob_agent, today, covered):
    claim = claim_open(unit=unit, ticket_id=None, fault_on=today, actor=bob_agent)
    before = _events(covered)
    assert manager_api.post(f"/warranty-claims/{claim.pk}/reject", {"reason": "No."}).status == 200
    assert WarrantyClaim.objects.get(pk=claim.pk).status == "rejected"
    assert _state(covered) == ("warranty", Stage.RECEIVED, "pending")
    assert _new(covered, before) == []


def test_another_organizations_claim_is_not_found(covered, outsider_api):
    for path, body in (("approve", None), ("reject", {"reason": "No."})):
        answer = outsider_api.post(f"/warranty-claims/{covered.claim_id}/{path}", body)
        assert answer.status == 404
    assert _state(covered) == ("warranty", Stage.RECEIVED, "pending")


# --- Through the work order (its page, its API, its service) ---


def test_approving_on_the_work_order_page_writes_one_event(covered, supervisor_client):
    before = _events(covered)
    response = supervisor_client.post(_page_action(covered, "claim-approve"))
    assert response.status_code == 302
    assert _state(covered) == ("warranty", Stage.RECEIVED, "approved")
    assert _new(covered, before) == [
        (
            "claim_approved",
            True,
            _claim_data(covered, action="claim_approved", claim_id=covered.claim_id),
        )
    ]


def test_rejecting_on_the_work_order_page_bills_the_customer_once(covered, supervisor_client):
    before = _events(covered)
    response = supervisor_client.post(_page_action(covered, "claim-reject"), {"reason": REASON})
    assert response.status_code == 302
    assert _state(covered) == ("customer", Stage.RECEIVED, "rejected")
    assert [(action, data.get("billing_to")) for action, _p, data in _new(covered, before)] == [
        ("claim_rejected", "customer")
    ]


def test_a_claim_decided_elsewhere_is_refused_on_the_page(covered, supervisor_client, manager_api):
    assert manager_api.post(f"/warranty-claims/{covered.claim_id}/approve").status == 200
    before = _events(covered)
    response = supervisor_client.post(_page_action(covered, "claim-reject"), {"reason": REASON})
    assert response.status_code == 422
    assert "This warranty claim was already decided." in text_of(response)
    assert _state(covered) == ("warranty", Stage.RECEIVED, "approved")
    assert _new(covered, before) == []


def test_deciding_through_the_work_order_api_writes_one_event(covered, manager_api):
    before = _events(covered)
    answer = manager_api.post(f"/work-orders/{covered.pk}/claim/reject", {"reason": REASON})
    assert answer.status == 200, answer.body
    assert (answer.body["billing"], answer.body["claim"]["status"]) == ("customer", "rejected")
    assert [action for action, _p, _d in _new(covered, before)] == ["claim_rejected"]


def test_a_stale_work_order_cannot_decide_its_claim_twice(covered, sam_supervisor):
    stale = WorkOrder.objects.select_related("claim").get(pk=covered.pk)
    work_order_claim_approve(work_order=covered, actor=sam_supervisor)
    before = _events(covered)
    with pytest.raises(ApplicationError) as refused:
        work_order_claim_approve(work_order=stale, actor=sam_supervisor)
    assert refused.value.field == "claim"
    assert _new(covered, before) == []

"""Technicians' visits, and installations that start the warranty."""

import datetime

import pytest
from django.utils import translation

from aftercare.lib.errors import ApplicationError
from aftercare.repairs.describe import work_event_describe
from aftercare.repairs.models import Visit, WorkOrder
from aftercare.repairs.services import (
    visit_schedule,
    visit_status_set,
    work_order_open,
    work_order_stage_set,
)
from aftercare.repairs.tests.helpers import work_events
from aftercare.tickets.models import TicketEvent
from aftercare.warranty.coverage import coverage_check

Stage = WorkOrder.Stage


# --- Visits and installations ---


def test_a_visit_is_planned_with_a_technician_in_a_window(
    old_ticket, bob_agent, tina_technician, today
):
    work_order = work_order_open(ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent)
    start = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
    arguments = {
        "work_order": work_order,
        "technician": tina_technician,
        "window_start": start,
        "window_end": start + datetime.timedelta(hours=3),
        "address": "Tehran, Valiasr St. 12",
        "actor": bob_agent,
    }
    for change, field in (
        ({"technician": bob_agent}, "technician_id"),
        ({"window_end": start}, "window_end"),
        ({"window_end": start - datetime.timedelta(hours=1)}, "window_end"),
        ({"window_start": start.replace(tzinfo=None)}, "window_start"),
        ({"address": ""}, "address"),
    ):
        with pytest.raises(ApplicationError) as refused:
            visit_schedule(**{**arguments, **change})
        assert refused.value.field == field
    assert not Visit.objects.exists()
    visit = visit_schedule(**arguments)
    assert (visit.status, visit.technician, visit.address) == (
        "scheduled",
        tina_technician,
        "Tehran, Valiasr St. 12",
    )
    assert WorkOrder.objects.get(pk=work_order.pk).technician == tina_technician
    assert work_events(old_ticket)[-2:] == [("visit_scheduled", True), ("technician", False)]
    visit_status_set(visit=visit, status="on_the_way", actor=tina_technician)
    visit_status_set(visit=visit, status="done", actor=tina_technician, note="Pump replaced.")
    visit.refresh_from_db()
    assert (visit.status, visit.note) == ("done", "Pump replaced.")
    with pytest.raises(ApplicationError) as refused:
        visit_status_set(visit=visit, status="missed", actor=tina_technician)
    assert refused.value.field == "status"
    event = TicketEvent.objects.filter(data__action="visit_status").latest("id")
    with translation.override("en"):
        assert work_event_describe(event=event, for_customer=True) == (
            "The technician's visit is done.",
            [],
        )


def test_an_installation_delivered_starts_the_warranty(boiler_ticket, new_boiler, bob_agent, today):
    assert not coverage_check(unit=new_boiler, on=today).covered
    work_order = work_order_open(
        ticket=boiler_ticket, kind=WorkOrder.Kind.INSTALLATION, actor=bob_agent
    )
    for stage in (Stage.DIAGNOSING, Stage.IN_REPAIR, Stage.READY, Stage.DELIVERED):
        work_order_stage_set(work_order=work_order, stage=stage, actor=bob_agent)
    new_boiler.refresh_from_db()
    assert new_boiler.installation_date == today
    coverage = coverage_check(unit=new_boiler, on=today)
    assert (coverage.covered, coverage.starts_on) == (True, today)
    work_order_stage_set(work_order=work_order, stage=Stage.CLOSED, actor=bob_agent)
    assert [action for action, _public in work_events(boiler_ticket)].count("installed") == 1


def test_an_installation_visit_done_sets_the_installation_date(
    boiler_ticket, new_boiler, bob_agent, tina_technician, today
):
    work_order = work_order_open(
        ticket=boiler_ticket, kind=WorkOrder.Kind.INSTALLATION, actor=bob_agent
    )
    start = datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC)
    visit = visit_schedule(
        work_order=work_order,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=2),
        address="Shiraz",
        actor=bob_agent,
    )
    visit_status_set(visit=visit, status="done", actor=tina_technician)
    new_boiler.refresh_from_db()
    assert new_boiler.installation_date == today
    event = TicketEvent.objects.get(data__action="installed")
    assert (event.is_public, event.data["date"]) == (False, today.isoformat())

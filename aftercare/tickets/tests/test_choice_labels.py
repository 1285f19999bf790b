from django.utils import translation

from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets.models import Ticket


def test_display_labels_follow_the_active_language():
    ticket = Ticket(status=Status.PENDING_CUSTOMER, priority=Priority.URGENT, kind="repair")
    with translation.override("en"):
        assert ticket.get_status_display() == "Pending customer"
        assert ticket.get_priority_display() == "Urgent"
    with translation.override("tr"):
        assert ticket.get_status_display() == "Müşteri bekleniyor"
        assert ticket.get_priority_display() == "Acil"
    with translation.override("fa"):
        assert ticket.get_kind_display() == "تعمیر"


def test_unknown_value_shows_as_itself():
    assert Ticket(status="archived").get_status_display() == "archived"

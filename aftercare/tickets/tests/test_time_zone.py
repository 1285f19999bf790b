import datetime
import zoneinfo

from django.urls import reverse

from aftercare.accounts.models import Organization
from aftercare.tickets.models import Ticket
from aftercare.tickets.tests.factories import make_ticket


def _created(ticket, moment):
    Ticket.objects.filter(pk=ticket.pk).update(created_at=moment, updated_at=moment)


def test_console_shows_the_organization_time_zone_when_the_user_has_none(org, agent_client):
    Organization.objects.filter(pk=org.pk).update(time_zone="Asia/Tehran")
    ticket = make_ticket(organization=org)
    _created(ticket, datetime.datetime(2026, 6, 1, 20, 45, tzinfo=datetime.UTC))
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    # 20:45 UTC is 00:15 the next day in Tehran (UTC+3:30).
    assert "2026-06-02 00:15" in html
    assert "2026-06-01 20:45" not in html


def test_the_user_time_zone_wins(org, bob_agent, agent_client):
    Organization.objects.filter(pk=org.pk).update(time_zone="Asia/Tehran")
    bob_agent.time_zone = "Asia/Almaty"
    bob_agent.save(update_fields=["time_zone"])
    ticket = make_ticket(organization=org)
    _created(ticket, datetime.datetime(2026, 6, 1, 20, 45, tzinfo=datetime.UTC))
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    expected = datetime.datetime(2026, 6, 1, 20, 45, tzinfo=datetime.UTC).astimezone(
        zoneinfo.ZoneInfo("Asia/Almaty")
    )
    assert expected.strftime("%Y-%m-%d %H:%M") in html

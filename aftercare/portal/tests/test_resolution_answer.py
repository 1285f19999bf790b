"""The "resolved" mail asks "solved?" with two links: each opens a page whose button answers
(a mail scanner's visit changes nothing); "yes" closes the request, "not yet" reopens it with
the customer's words. A forged, foreign or stale link answers nothing."""

import urllib.parse

import pytest
from django.core import mail
from django.test import Client

from aftercare.lib.testing import text_of
from aftercare.lib.vocabulary import Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import TicketMessage
from aftercare.tickets.notices import NOT_SOLVED, SOLVED, resolution_answer_url
from aftercare.tickets.services import ticket_status_change
from aftercare.tickets.tests.factories import make_ticket


@pytest.fixture
def resolved(org, customer, bob_agent, django_capture_on_commit_callbacks):
    ticket = make_ticket(organization=org, customer=customer, language="en")
    ticket_status_change(ticket=ticket, status=Status.OPEN, actor=bob_agent)
    ticket.resolution = "Replaced the drain pump."
    ticket.save(update_fields=["resolution"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    return ticket


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def test_the_resolved_mail_carries_both_answers_and_its_links_work(resolved):
    sent = mail.outbox[-1]
    html = sent.alternatives[0][0]
    links = {}
    for line in sent.body.splitlines():
        for label, choice in (("Yes, it is solved: ", SOLVED), ("No, not yet: ", NOT_SOLVED)):
            if line.startswith(label):
                links[choice] = _path(line.removeprefix(label))
    assert set(links) == {SOLVED, NOT_SOLVED}
    for choice, path in links.items():
        assert path in html
        page = text_of(Client().get(path))
        assert f'data-testid="answer-{choice}"' in page
        assert "Replaced the drain pump." in page


def test_opening_the_link_changes_nothing_and_the_button_closes_the_request(resolved):
    client = Client()
    path = _path(resolution_answer_url(resolved, SOLVED))

    page = client.get(path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert 'data-testid="answer-solved"' in text_of(page)
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED

    sent_before = len(mail.outbox)
    done = client.post(path, {"choice": SOLVED})
    assert 'data-testid="answer-done"' in text_of(done)
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED and resolved.customer_confirmed_at is not None
    assert len(mail.outbox) == sent_before  # nobody is told what they did themselves

    again = client.post(path, {"choice": SOLVED})
    assert 'data-testid="answer-error"' in text_of(again)


def test_not_yet_reopens_the_request_with_the_customers_words(resolved):
    path = _path(resolution_answer_url(resolved, NOT_SOLVED))
    Client().post(path, {"choice": NOT_SOLVED, "details": "Still leaking at night."})

    resolved.refresh_from_db()
    assert resolved.status == Status.OPEN
    message = TicketMessage.objects.get(ticket=resolved, kind=MessageKind.CUSTOMER)
    assert message.body == "Still leaking at night."


def test_a_forged_foreign_or_altered_link_answers_nothing(resolved, other_org):
    client = Client()
    good = _path(resolution_answer_url(resolved, SOLVED))
    forged = good.replace("/answer/", "/answer/x")
    foreign = good.replace(f"/portal/{resolved.organization.slug}/", f"/portal/{other_org.slug}/")
    for path in (forged, foreign):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"choice": SOLVED}).status_code == 404, path
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_an_expired_link_answers_nothing(resolved, settings, monkeypatch):
    path = _path(resolution_answer_url(resolved, SOLVED))
    settings.RESOLUTION_ANSWER_MAX_AGE_DAYS = 0
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)
    assert Client().post(path, {"choice": SOLVED}).status_code == 404
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED

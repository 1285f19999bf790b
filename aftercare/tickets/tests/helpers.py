"""Helpers of the tickets app's page tests."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.api.tests.client import ApiClient
from aftercare.api.tests.files import png_bytes
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage


def png_upload(name="photo.png"):
    """A small valid PNG upload (the bytes of `png_bytes()`)."""
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def ticket_state(ticket):
    """What an action could change on a ticket, to show a refused one changed nothing."""
    ticket = Ticket.objects.get(pk=ticket.pk)
    return (
        ticket.status,
        ticket.priority,
        ticket.kind,
        ticket.assignee_id,
        ticket.team_id,
        ticket.purchase_date,
        ticket.updated_at,
        TicketEvent.objects.filter(ticket=ticket).count(),
        TicketMessage.objects.filter(ticket=ticket).count(),
        Attachment.objects.filter(ticket=ticket).count(),
    )


def api_query_count(api: ApiClient, path: str) -> tuple[int, dict]:
    """The queries one GET of `path` makes once the token is warm, and the answer's body."""
    api.get(path)  # the first request of a token records its use; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(path)
    assert answer.status == 200
    return len(queries), answer.body

"""Bodies Django will not parse (finding 9 of the outside review: a malformed multipart body
answered an HTML 400 with a logged traceback): the API answers in its own error shape, the
pages keep Django's 400 page, and the log has one line without a traceback."""

import logging
import sys

import pytest
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftercare.lib.logfilters import ClientErrorsWithoutTraceback
from aftercare.tickets.models import Ticket
from aftercare.tickets.tests.factories import make_ticket
from aftercare.tickets.tests.test_api_messages import png_bytes


def test_a_malformed_multipart_body_is_a_json_422(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    response = agent_api.client.generic(
        "POST",
        f"/api/v1/tickets/{ticket.pk}/attachments",
        data=b"--nothing-like-a-boundary\r\n\r\n",
        content_type="multipart/form-data",  # no boundary
        **agent_api._headers(),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The request body is not valid multipart form data.",
        "errors": [
            {
                "field": None,
                "message": "The request body is not valid multipart form data.",
                "code": "multipart",
            }
        ],
    }
    assert not ticket.attachments.exists()


def test_too_many_files_is_a_json_422_naming_the_limit(org, customer, agent_api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    ticket = make_ticket(organization=org, customer=customer)
    files = [
        SimpleUploadedFile(f"p{i}.png", png_bytes(), content_type="image/png") for i in range(3)
    ]
    answer = agent_api.upload(f"/tickets/{ticket.pk}/attachments", {"attachments": files})
    assert answer.status == 422
    assert answer.body["detail"] == "Too many files: send at most 2."
    assert answer.body["errors"][0]["code"] == "too_many_files"
    assert not ticket.attachments.exists()


def test_a_page_keeps_djangos_400(org):
    response = Client().generic(
        "POST", "/portal/demo/login/", data=b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def _record(status_code: int) -> logging.LogRecord:
    try:
        raise TooManyFilesSent(
            "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
        )
    except TooManyFilesSent:
        info = sys.exc_info()
    record = logging.LogRecord(
        "django.security.TooManyFilesSent", logging.ERROR, "", 0, "x", (), info
    )
    record.status_code = status_code
    return record


def test_a_clients_mistake_is_logged_in_one_line():
    record = _record(400)
    assert ClientErrorsWithoutTraceback().filter(record)
    assert record.exc_info is None and record.levelname == "WARNING"
    assert "Traceback" not in logging.Formatter().format(record)
    # A server's error keeps its traceback.
    server = _record(500)
    ClientErrorsWithoutTraceback().filter(server)
    assert "Traceback" in logging.Formatter().format(server)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda pk: {"customer_id": True}, "customer_id"),
        (lambda pk: {"customer_id": str(pk)}, "customer_id"),
        (lambda pk: {"customer_id": float(pk)}, "customer_id"),
        (lambda pk: {"priority": False}, "priority"),
        (lambda pk: {"purchase_date": 0}, "purchase_date"),
        (lambda pk: {"purchase_date": 1719792000}, "purchase_date"),
        (lambda pk: {"subject": 5}, "subject"),
    ],
    ids=["true-as-id", "text-as-id", "float-as-id", "false-as-int", "0-as-date", "stamp", "number"],
)
def test_json_bodies_are_read_strictly(org, customer, agent_api, change, field):
    """Finding 9 of the outside review: the API took `false` for an integer and `0` for a
    date. A JSON body's values must be of their field's JSON type; each mistake names it."""
    right = {"customer_id": customer.pk, "subject": "Drum", "description": "Stays still."}
    answer = agent_api.post("/tickets/", {**right, **change(customer.pk)})
    assert answer.status == 422, answer.body
    assert answer.body["errors"][0]["field"] == field
    assert not Ticket.objects.exists()
    # With the right types the same request is taken.
    typed = {**right, "purchase_date": "2026-01-31", "priority": 3}
    assert agent_api.post("/tickets/", typed).status == 201

"""Bodies and files are capped before they are read or written (finding 3 of the outside
review: a new portal customer made the server write 1.5 GB to the temporary directory before a
422). aftercare/lib/bodylimit.py; the same through the real server in
aftercare/e2e/tests/test_runtime.py."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from aftercare.portal.tests.test_requests import PNG, form_data
from aftercare.tickets.models import Attachment, Ticket

MB = 1024 * 1024


class RecordingTemporaryHandler(TemporaryFileUploadHandler):
    """Django's handler that writes uploads to temporary files, counting what it writes."""

    written: list[int] = []

    def receive_data_chunk(self, raw_data, start):
        RecordingTemporaryHandler.written.append(len(raw_data))
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture
def recorded(settings):
    RecordingTemporaryHandler.written = []
    settings.FILE_UPLOAD_HANDLERS = [
        "aftercare.lib.bodylimit.CappedUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        f"{__name__}.RecordingTemporaryHandler",
    ]
    settings.ATTACHMENT_MAX_BYTES = settings.UPLOAD_MAX_FILE_BYTES = 1 * MB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
    return RecordingTemporaryHandler.written


def test_a_declared_body_over_the_cap_is_refused_unread(org, customer_client, settings):
    settings.REQUEST_MAX_BYTES = 5 * MB
    response = customer_client.post(
        "/portal/demo/requests/new/",
        form_data(),
        CONTENT_LENGTH=str(2 * 1024 * MB),
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "The request is larger than 5 MB." in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_api_answers_413_in_its_error_shape(org, agent_token, settings):
    settings.REQUEST_MAX_BYTES = 5 * MB
    from django.test import Client

    response = Client().post(
        "/api/v1/tickets/",
        data=json.dumps({"subject": "x"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {agent_token}",
        CONTENT_LENGTH=str(6 * MB),
    )
    assert response.status_code == 413
    body = response.json()
    assert body["detail"] == "The request is larger than 5 MB."
    assert body["errors"] == [
        {"field": None, "message": "The request is larger than 5 MB.", "code": "too_large"}
    ]


def test_a_file_larger_than_any_form_takes_never_reaches_the_disk(org, customer_client, recorded):
    """No Content-Length cap applies (the body is under it, as a chunked body would be): the
    file is passed on to the handler that writes it only up to the largest file a form takes."""
    big = SimpleUploadedFile("photo.png", PNG + b"\x00" * (3 * MB), content_type="image/png")
    response = customer_client.post("/portal/demo/requests/new/", form_data(attachments=[big]))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="error-attachments"' in page
    assert "photo.png is larger than 1 MB." in page
    assert sum(recorded) <= 1 * MB
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_files_under_the_cap_are_kept_whole(org, customer_client, recorded):
    content = PNG + b"\x00" * (700 * 1024)
    ok = SimpleUploadedFile("photo.png", content, content_type="image/png")
    response = customer_client.post("/portal/demo/requests/new/", form_data(attachments=[ok]))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert sum(recorded) == len(content)


def test_more_files_than_a_message_takes_are_refused(org, customer_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png") for i in range(4)]
    response = customer_client.post("/portal/demo/requests/new/", form_data(attachments=files))
    assert response.status_code == 400
    assert not Ticket.objects.exists()

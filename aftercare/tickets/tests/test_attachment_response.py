from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftercare.api.tests.files import png_bytes
from aftercare.tickets.models import Attachment
from aftercare.tickets.services import ticket_message_add
from aftercare.tickets.tests.factories import make_ticket

PNG = png_bytes()


def _attach(org, actor, name, content):
    ticket = make_ticket(organization=org)
    ticket_message_add(
        ticket=ticket,
        kind="note",
        body="file",
        actor=actor,
        attachments=[SimpleUploadedFile(name, content)],
    )
    return Attachment.objects.get(ticket=ticket)


def test_images_open_inline_in_a_sandbox(org, bob_agent, agent_client):
    attachment = _attach(org, bob_agent, "photo.png", PNG)
    response = agent_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_other_files_download_as_bytes(org, bob_agent, agent_client):
    attachment = _attach(org, bob_agent, "notes.txt", b"<script>alert(1)</script>")
    response = agent_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")

"""Issue 2, done-when 3, over HTTP in-process: an integrator's whole flow, then another org."""

from django.core.files.uploadedfile import SimpleUploadedFile

from aftercare.api.tests.client import ApiClient
from aftercare.api.tests.files import png_bytes
from aftercare.catalog.services import product_model_create
from aftercare.customers.models import Customer
from aftercare.lib.testing import PASSWORD
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage

TICKETS = 8
LIMIT = 3


def _token(email: str) -> str:
    answer = ApiClient().post("/auth/token", {"email": email, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return answer.body["token"]


def test_integrator_flow_and_another_organization_sees_none_of_it(
    org, bob_agent, charlie_other_org
):
    product = product_model_create(organization=org, name="WM-800", sku="WM800")
    api = ApiClient(_token("bob@demo.example"))

    customer = api.post(
        "/customers/",
        {"name": "Reza Karimi", "emails": ["reza@example.com"], "phones": ["0912 345 6789"]},
    )
    assert customer.status == 201, customer.body
    customer_id = customer.body["id"]

    created = []
    for index in range(TICKETS):
        answer = api.post(
            "/tickets/",
            {
                "customer_id": customer_id,
                "subject": f"Request {index}",
                "description": "The drum makes a noise.",
                "product_model_id": product.pk,
            },
        )
        assert answer.status == 201, answer.body
        created.append(answer.body["id"])
    assert api.get(f"/tickets/{created[-1]}").body["reference"] == f"AS-{TICKETS:06d}"

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": LIMIT, "customer_id": customer_id}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/tickets/", params)
        assert page.status == 200, page.body
        assert len(page.body["items"]) <= LIMIT
        seen += [row["id"] for row in page.body["items"]]
        pages += 1
        cursor = page.body["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == list(reversed(created))  # newest change first, every ticket exactly once

    ticket_id = created[0]
    message = api.post(
        f"/tickets/{ticket_id}/messages", {"kind": "reply", "body": "Please send the serial."}
    )
    assert message.status == 201, message.body
    status = api.post(f"/tickets/{ticket_id}/status", {"status": "resolved", "reason": "Fixed"})
    assert status.status == 200, status.body
    assert status.body["status"] == "resolved"
    upload = api.upload(
        f"/tickets/{ticket_id}/attachments",
        {"attachments": [SimpleUploadedFile("photo.png", png_bytes())]},
    )
    assert upload.status == 201, upload.body
    attachment_id = upload.body[0]["id"]
    first = api.get("/tickets/", {"limit": 1}).body["items"][0]
    assert first["id"] == ticket_id  # the latest change moves it to the top

    ticket_before = Ticket.objects.values().get(pk=ticket_id)
    customer_before = Customer.objects.values().get(pk=customer_id)
    counts_before = (
        TicketEvent.objects.count(),
        TicketMessage.objects.count(),
        Attachment.objects.count(),
    )

    outsider = ApiClient(_token("charlie@other.example"))
    png = SimpleUploadedFile("x.png", png_bytes())
    foreign = [
        ("GET", f"/tickets/{ticket_id}", None),
        ("PATCH", f"/tickets/{ticket_id}", {"subject": "Taken over"}),
        ("POST", f"/tickets/{ticket_id}/status", {"status": "closed"}),
        ("POST", f"/tickets/{ticket_id}/assign", {"assignee_id": charlie_other_org.pk}),
        ("GET", f"/tickets/{ticket_id}/messages", None),
        ("POST", f"/tickets/{ticket_id}/messages", {"kind": "reply", "body": "Not yours"}),
        ("GET", f"/tickets/{ticket_id}/attachments", None),
        ("UPLOAD", f"/tickets/{ticket_id}/attachments", {"attachments": [png]}),
        ("GET", f"/attachments/{attachment_id}/download", None),
        ("GET", f"/customers/{customer_id}", None),
        ("PATCH", f"/customers/{customer_id}", {"name": "Taken over"}),
        ("GET", f"/product-models/{product.pk}", None),
    ]
    for method, path, body in foreign:
        if method == "GET":
            answer = outsider.get(path)
        elif method == "UPLOAD":
            answer = outsider.upload(path, body)
        else:
            answer = outsider.send(method, path, body)
        assert answer.status == 404, (method, path, answer.status, answer.body)
        assert answer.body == {"detail": "Not found.", "errors": []}

    assert outsider.get("/tickets/", {"customer_id": customer_id}).body["items"] == []
    assert outsider.get("/customers/", {"search": "reza"}).body["items"] == []
    assert Ticket.objects.values().get(pk=ticket_id) == ticket_before
    assert Customer.objects.values().get(pk=customer_id) == customer_before
    assert (
        TicketEvent.objects.count(),
        TicketMessage.objects.count(),
        Attachment.objects.count(),
    ) == counts_before

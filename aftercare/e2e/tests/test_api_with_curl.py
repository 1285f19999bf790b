"""Issue 2, done-when 3: `curl` alone drives the API v1 of a real server.

Token, customer, ticket, cursor pagination, a message and a status change; then another
organization's token gets 404 for every one of those ids and changes nothing.
"""

import json
import subprocess
from dataclasses import dataclass

import pytest

API = "/api/v1"
REPLY = "لطفاً شماره سریال را بفرستید. Please send the serial."


@dataclass
class Response:
    """What curl got back."""

    status: int
    body: object
    text: str


class Curl:
    """The curl binary against one server; every request is one curl process."""

    def __init__(self, binary: str, base_url: str):
        """Remember the binary and the server."""
        self.binary = binary
        self.base_url = base_url

    def __call__(
        self, method: str, path: str, *, token: str | None = None, json_body=None
    ) -> Response:
        """Send one request and return its status and decoded JSON body."""
        args = [
            self.binary,
            "--silent",
            "--show-error",
            "--max-time",
            "20",
            "--noproxy",
            "*",
            "--request",
            method,
            "--header",
            "Accept: application/json",
            "--write-out",
            "\n%{http_code}",
        ]
        if token is not None:
            args += ["--header", f"Authorization: Bearer {token}"]
        if json_body is not None:
            args += [
                "--header",
                "Content-Type: application/json",
                "--data-binary",
                json.dumps(json_body, ensure_ascii=False),
            ]
        args.append(self.base_url + API + path)
        result = subprocess.run(args, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"curl failed ({result.returncode}): {result.stderr}"
        text, _, status = result.stdout.rpartition("\n")
        try:
            body = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            body = None
        return Response(status=int(status), body=body, text=text)


def _expect(response: Response, status: int, what: str):
    """The JSON body of a response that must have this status."""
    assert response.status == status, f"{what}: HTTP {response.status}: {response.text[:2000]}"
    return response.body


def _items(body) -> list[dict]:
    """The rows of a paginated list."""
    assert isinstance(body, dict) and isinstance(body.get("items"), list), body
    return body["items"]


@pytest.fixture(scope="module")
def curl_api(e2e_server, curl) -> Curl:
    """curl aimed at the session's server."""
    return Curl(curl, e2e_server.base_url)


def _token(curl_api: Curl, *, email: str, password: str) -> str:
    """A bearer token for a staff account, obtained through the API."""
    body = _expect(
        curl_api("POST", "/auth/token", json_body={"email": email, "password": password}),
        200,
        "token",
    )
    assert isinstance(body.get("token"), str) and body["token"], body
    return body["token"]


def test_curl_drives_the_api_and_another_org_gets_404(e2e_server, curl_api):
    """Every step of the integrator's flow works with curl, and is invisible to another org."""
    demo = e2e_server.data["demo"]
    wrong = curl_api(
        "POST", "/auth/token", json_body={"email": demo["agent_email"], "password": "wrong"}
    )
    assert wrong.status == 401, wrong.text
    assert curl_api("GET", "/tickets/").status == 401

    token = _token(curl_api, email=demo["agent_email"], password=e2e_server.password)

    customer = _expect(
        curl_api(
            "POST",
            "/customers/",
            token=token,
            json_body={
                "name": "Reza Karimi",
                "emails": ["reza.karimi@example.com"],
                "phones": ["0912 345 6789"],
                "preferred_language": "fa",
            },
        ),
        201,
        "create customer",
    )
    assert customer["name"] == "Reza Karimi"
    assert sorted((point["kind"], point["value"]) for point in customer["contact_points"]) == [
        ("email", "reza.karimi@example.com"),
        ("phone", "+989123456789"),
    ]
    customer_id = customer["id"]
    fetched = _expect(curl_api("GET", f"/customers/{customer_id}", token=token), 200, "get")
    assert (fetched["id"], fetched["name"]) == (customer_id, "Reza Karimi")

    tickets = []
    for subject in ("ماشین لباسشویی آب می‌دهد", "Drum makes noise"):
        ticket = _expect(
            curl_api(
                "POST",
                "/tickets/",
                token=token,
                json_body={
                    "customer_id": customer_id,
                    "subject": subject,
                    "description": f"{subject} — since last week.",
                },
            ),
            201,
            "create ticket",
        )
        assert (ticket["subject"], ticket["status"]) == (subject, "new")
        assert ticket["customer"]["id"] == customer_id
        assert ticket["reference"] == f"AS-{ticket['number']:06d}"
        tickets.append(ticket)
    ticket_ids = [ticket["id"] for ticket in tickets]

    first = _expect(
        curl_api("GET", f"/tickets/?customer_id={customer_id}&limit=1", token=token), 200, "list"
    )
    assert len(_items(first)) == 1
    assert first["next_cursor"], first
    second = _expect(
        curl_api(
            "GET",
            f"/tickets/?customer_id={customer_id}&limit=1&cursor={first['next_cursor']}",
            token=token,
        ),
        200,
        "list, second page",
    )
    assert len(_items(second)) == 1
    paged = [_items(first)[0]["id"], _items(second)[0]["id"]]
    assert sorted(paged) == sorted(ticket_ids)
    if second.get("next_cursor"):
        third = _expect(
            curl_api(
                "GET",
                f"/tickets/?customer_id={customer_id}&limit=1&cursor={second['next_cursor']}",
                token=token,
            ),
            200,
            "list, third page",
        )
        assert _items(third) == []

    ticket_id = ticket_ids[0]
    message = _expect(
        curl_api(
            "POST",
            f"/tickets/{ticket_id}/messages",
            token=token,
            json_body={"kind": "reply", "body": REPLY},
        ),
        201,
        "add message",
    )
    assert (message["kind"], message["body"], message["is_public"]) == ("reply", REPLY, True)
    messages = _items(
        _expect(curl_api("GET", f"/tickets/{ticket_id}/messages", token=token), 200, "messages")
    )
    assert [row["body"] for row in messages if row["kind"] == "reply"] == [REPLY]

    resolved = _expect(
        curl_api(
            "POST", f"/tickets/{ticket_id}/status", token=token, json_body={"status": "resolved"}
        ),
        200,
        "status",
    )
    assert resolved["status"] == "resolved"
    before = _expect(curl_api("GET", f"/tickets/{ticket_id}", token=token), 200, "get ticket")
    assert before["status"] == "resolved"

    outsider = _token(
        curl_api, email=e2e_server.data["other"]["admin_email"], password=e2e_server.password
    )
    foreign = {
        "GET ticket": ("GET", f"/tickets/{ticket_id}", None),
        "PATCH ticket": ("PATCH", f"/tickets/{ticket_id}", {"subject": "taken over"}),
        "GET messages": ("GET", f"/tickets/{ticket_id}/messages", None),
        "POST message": (
            "POST",
            f"/tickets/{ticket_id}/messages",
            {"kind": "reply", "body": "not yours"},
        ),
        "POST status": ("POST", f"/tickets/{ticket_id}/status", {"status": "closed"}),
        "GET customer": ("GET", f"/customers/{customer_id}", None),
        "GET other ticket": ("GET", f"/tickets/{ticket_ids[1]}", None),
    }
    for what, (method, path, body) in foreign.items():
        response = curl_api(method, path, token=outsider, json_body=body)
        assert response.status == 404, f"{what} with another org's token: {response.status}"
    listed = _items(_expect(curl_api("GET", "/tickets/?limit=200", token=outsider), 200, "list"))
    assert not {row["id"] for row in listed} & set(ticket_ids)

    after = _expect(curl_api("GET", f"/tickets/{ticket_id}", token=token), 200, "get ticket")
    assert (after["subject"], after["status"]) == (before["subject"], "resolved")
    messages_after = _items(
        _expect(curl_api("GET", f"/tickets/{ticket_id}/messages", token=token), 200, "messages")
    )
    assert [row["body"] for row in messages_after] == [row["body"] for row in messages]

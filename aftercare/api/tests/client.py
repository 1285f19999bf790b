"""A JSON client for API tests: real HTTP requests through Django's test client."""

import json
from dataclasses import dataclass

from django.test import Client

BASE = "/api/v1"


@dataclass
class Answer:
    """The status and decoded JSON body of one API response."""

    status: int
    body: object
    response: object

    @property
    def field(self) -> str | None:
        """The field named by the first error of an error body."""
        return self.body["errors"][0]["field"]


class ApiClient:
    """Sends JSON to API v1 with a bearer token (or none)."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def _answer(self, response) -> Answer:
        content_type = response.get("Content-Type", "")
        body = json.loads(response.content) if "json" in content_type and response.content else None
        return Answer(status=response.status_code, body=body, response=response)

    def get(self, path: str, params: dict | None = None) -> Answer:
        """GET a path under /api/v1 with query parameters."""
        return self._answer(self.client.get(BASE + path, params or {}, **self._headers()))

    def send(self, method: str, path: str, body=None, *, headers: dict | None = None) -> Answer:
        """POST, PATCH or DELETE a JSON body, with more headers if given."""
        call = getattr(self.client, method.lower())
        data = json.dumps(body) if body is not None else ""
        response = call(
            BASE + path,
            data=data,
            content_type="application/json",
            headers=headers,
            **self._headers(),
        )
        return self._answer(response)

    def post(self, path: str, body=None, *, headers: dict | None = None) -> Answer:
        """POST a JSON body."""
        return self.send("POST", path, body, headers=headers)

    def patch(self, path: str, body=None) -> Answer:
        """PATCH a JSON body."""
        return self.send("PATCH", path, body)

    def upload(self, path: str, data: dict, *, headers: dict | None = None) -> Answer:
        """POST a multipart form with files."""
        return self._answer(self.client.post(BASE + path, data, headers=headers, **self._headers()))

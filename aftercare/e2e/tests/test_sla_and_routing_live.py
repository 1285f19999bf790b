"""Issue 3 against the real server `make run` starts: its own task worker and scheduler.

- A breach is detected and escalated within 60 seconds of its due time, with no one touching the
  request: the scheduler enqueues the sweep, the worker records the breach, the escalation moves
  the request to another team and emails the supervisors.
- Many requests arriving at once, through three more web processes on the same database, are
  routed by language and load with no agent over capacity.
"""

import datetime
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from aftercare.e2e.tests.conftest import LiveListener, console_session_cookie

API = "/api/v1"
BREACH_GRACE_SECONDS = 60


def _call(base_url: str, method: str, path: str, *, token: str | None = None, body=None):
    """(status, decoded JSON) of one API request."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        base_url + API + path, data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def _token(server, email: str) -> str:
    status, body = _call(
        server.base_url, "POST", "/auth/token", body={"email": email, "password": server.password}
    )
    assert status == 200, body
    return body["token"]


def _when(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_breach_is_escalated_within_a_minute_by_the_running_server(e2e_server):
    demo = e2e_server.data["demo"]
    supervisor = _token(e2e_server, demo["supervisor_email"])
    agent = _token(e2e_server, demo["agent_email"])
    base = e2e_server.base_url

    status, team = _call(base, "POST", "/teams/", token=supervisor, body={"name": "Escalations"})
    assert status == 201, team
    status, policy = _call(
        base,
        "POST",
        "/sla-policies/",
        token=supervisor,
        body={
            "name": "Urgent complaints",
            "position": 0,
            "kinds": ["complaint"],
            "priorities": [4],
            "first_response_minutes": 1,
        },
    )
    assert status == 201, policy
    status, rule = _call(
        base,
        "POST",
        "/escalation-rules/",
        token=supervisor,
        body={
            "name": "Complaint breach: escalations team",
            "threshold": "breach",
            "metric": "first_response",
            "policy_ids": [policy["id"]],
            "reassign_team_id": team["id"],
            "notify_supervisors": True,
        },
    )
    assert status == 201, rule
    # The supervisor's console pages listen on the live channel; another organization's do too.
    supervisor_live = LiveListener(
        e2e_server, console_session_cookie(e2e_server, demo["supervisor_email"])
    )
    outsider_live = LiveListener(
        e2e_server, console_session_cookie(e2e_server, e2e_server.data["other"]["admin_email"])
    )
    assert supervisor_live.wait_for(lambda event: event["type"] == "hello", seconds=10)
    assert outsider_live.wait_for(lambda event: event["type"] == "hello", seconds=10)
    mail_before = e2e_server.mail_files()
    customer_id = demo["customers"]["en"]["id"]
    status, ticket = _call(
        base,
        "POST",
        "/tickets/",
        token=agent,
        body={
            "customer_id": customer_id,
            "subject": "Nobody has called me back",
            "description": "Third time I am writing about the broken washer.",
            "kind": "complaint",
            "priority": 4,
            "channel": "email",
        },
    )
    assert status == 201, ticket
    assert ticket["sla"]["policy"]["name"] == "Urgent complaints"
    due = _when(ticket["sla"]["first_response_due_at"])
    assert ticket["team"] is None

    deadline = due + datetime.timedelta(seconds=BREACH_GRACE_SECONDS)
    seen = None
    while datetime.datetime.now(datetime.UTC) < deadline:
        status, current = _call(base, "GET", f"/tickets/{ticket['id']}", token=agent)
        assert status == 200
        if current["team"] is not None and current["sla"]["state"] == "breached":
            seen = datetime.datetime.now(datetime.UTC)
            break
        time.sleep(1)
    assert seen is not None, (
        f"not escalated within {BREACH_GRACE_SECONDS}s of {due.isoformat()}:\n"
        f"{json.dumps(current, indent=1)}\n{e2e_server.log_tail()}"
    )
    assert current["team"] == {"id": team["id"], "name": "Escalations"}
    assert current["assignee"] is None
    assert (seen - due).total_seconds() <= BREACH_GRACE_SECONDS
    notice = e2e_server.wait_for_mail(to=demo["supervisor_email"], since=mail_before)
    assert ticket["reference"] in notice["Subject"]

    def breach_of_this_ticket(event: dict) -> bool:
        return event["type"] == "sla" and any(
            row["id"] == ticket["id"] and row["crossing"] == "breach" for row in event["tickets"]
        )

    live = supervisor_live.wait_for(breach_of_this_ticket, seconds=10)
    assert live is not None, supervisor_live.events
    row = next(row for row in live["tickets"] if row["id"] == ticket["id"])
    assert (row["reference"], row["state"]) == (ticket["reference"], "breached")
    assert not [event for event in outsider_live.events if event["type"] != "hello"]
    supervisor_live.close()
    outsider_live.close()
    # The breach is not recorded again by the sweeps that keep running.
    time.sleep(16)
    status, summary = _call(base, "GET", "/sla/summary?days=1", token=supervisor)
    assert status == 200
    assert summary["breaches_in_period"] == 1
    team_row = next(row for row in summary["teams"] if row["team_id"] == team["id"])
    assert (team_row["breached"], team_row["breaches_in_period"]) == (1, 0)


def test_requests_arriving_at_once_are_routed_by_language_and_load_within_capacity(
    e2e_server, web_pool
):
    demo = e2e_server.data["demo"]
    desk = demo["desk"]
    agent = _token(e2e_server, demo["agent_email"])
    customers = demo["customers"]
    languages = ["fa"] * 7 + ["tr"] * 5 + ["kk"] * 4

    def create(language: str):
        return _call(
            web_pool,
            "POST",
            "/tickets/",
            token=agent,
            body={
                "customer_id": customers["fa" if language == "fa" else "en"]["id"],
                "subject": f"Chat in {language}",
                "description": "Opened from the live chat widget.",
                "channel": "chat",
                "language": language,
            },
        )

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(languages)) as pool:
        answers = list(pool.map(create, languages))
    elapsed = time.monotonic() - started
    assert all(status == 201 for status, _body in answers), answers
    tickets = [body for _status, body in answers]
    agents = {row["id"]: language for language, row in desk["agents"].items()}
    loads = Counter(t["assignee"]["id"] for t in tickets if t["assignee"])
    for user_id, count in loads.items():
        language = agents[user_id]
        assert count <= desk["agents"][language]["capacity"], (language, count)
    for ticket in tickets:
        assert ticket["team"]["id"] == desk["team_id"]
        if ticket["assignee"]:
            assert agents[ticket["assignee"]["id"]] == ticket["language"]
    # Every agent is filled to capacity; the rest wait in the team queue.
    assert {agents[user_id]: count for user_id, count in loads.items()} == {
        language: row["capacity"] for language, row in desk["agents"].items()
    }
    waiting = Counter(t["language"] for t in tickets if t["assignee"] is None)
    assert waiting == {"fa": 3, "tr": 2, "kk": 2}
    status, rows = _call(web_pool, "GET", "/agents/", token=agent)
    assert status == 200
    open_counts = {
        row["user"]["id"]: row["open_count"] for row in rows if row["user"]["id"] in agents
    }
    assert open_counts == dict(loads)
    assert elapsed < 60

"""The demo's agent shortcuts: canned answers in English and Persian (for the organization, for
the call centre, and one of the agent's own), a shared macro and a shared saved view."""

from typing import TYPE_CHECKING

from aftercare.accounts.models import Membership
from aftercare.lib.vocabulary import Priority
from aftercare.tickets.productivity.services import (
    canned_answer_create,
    macro_create,
    saved_view_create,
)

if TYPE_CHECKING:
    from aftercare.demo.history import SeededOrg

# (name, language, scope, text): scope "team" is the call centre's, "personal" the agent's own.
CANNED_ANSWERS = (
    (
        "Photo of the label",
        "en",
        "organization",
        "Hello {{ customer_name }}, thank you for contacting {{ organization }}. To look into "
        "request {{ request_number }}, could you send us a photo of the device's rating label "
        "(on the back or inside the door)?\n\n{{ agent_name }}",
    ),
    (
        "عکس برچسب دستگاه",
        "fa",
        "organization",
        "سلام {{ customer_name }} عزیز، از تماس شما با {{ organization }} سپاسگزاریم. برای "
        "بررسی درخواست {{ request_number }} لطفاً یک عکس از برچسب مشخصات دستگاه (پشت یا داخل "
        "در) برای ما بفرستید.\n\n{{ agent_name }}",
    ),
    (
        "زمان پاسخ",
        "fa",
        "team",
        "سلام {{ customer_name }} عزیز، درخواست {{ request_number }} ({{ subject }}) در دست "
        "بررسی است و تا {{ due_date }} پاسخ آن را دریافت می‌کنید.",
    ),
    (
        "Technician on the way",
        "en",
        "personal",
        "Hello {{ customer_name }}, our technician will visit you about {{ subject }} by "
        "{{ due_date }}. Reply to this message if the time does not suit you.",
    ),
)


def _membership(org: "SeededOrg", role: str) -> Membership:
    user = org.staff.get(role) or org.staff["admin"]
    return Membership.objects.select_related("organization", "user").get(
        organization=org.organization, user=user
    )


def seed_productivity(*, org: "SeededOrg") -> None:
    """Create the canned answers, the macro and the saved view."""
    supervisor = _membership(org, "supervisor")
    agent = _membership(org, "agent")
    call_centre = org.teams.get("Call centre")
    for name, language, scope, body in CANNED_ANSWERS:
        if scope == "personal":
            canned_answer_create(membership=agent, name=name, body=body, language=language)
        else:
            canned_answer_create(
                membership=supervisor,
                name=name,
                body=body,
                language=language,
                scope=scope,
                team=call_centre if scope == "team" else None,
            )
    macro_create(
        membership=supervisor,
        name="Send to the workshop",
        scope="organization",
        priority=Priority.HIGH,
        set_team=org.teams.get("Workshop"),
        tags_add=["workshop"],
        message_kind="note",
        body="{{ agent_name }} sent {{ request_number }} to the workshop.",
    )
    saved_view_create(
        membership=supervisor,
        name="SLA at risk",
        filters={"queue": "open", "sla": "at_risk", "sort": "sla_due"},
        is_shared=True,
    )

"""The bell (issue 13): every notice to a member of staff is kept in their bell, by email or not;
they read their own, in the organization they work in, and nobody else's: another member's or
another organization's notice answers 404, customers are refused. Open pages hear of a new
notice once its change commits."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.services import user_create
from aftercare.customers.services import customer_link_user
from aftercare.lib import realtime
from aftercare.lib.testing import client_for, text_of
from aftercare.notifications.models import ConsoleNotice, Notice, StaffPreference
from aftercare.notifications.selectors import (
    UNREAD_COUNTED_MAX,
    console_notice_page,
    console_notices_recent,
    console_notices_unread_count,
)
from aftercare.notifications.services import (
    console_notice_record,
    console_notices_read,
    notice_queue,
    notices_queue_for_staff,
    notices_withheld,
)


@pytest.fixture
def published(monkeypatch):
    """What was published, as (group, event), in order."""
    sent = []
    monkeypatch.setattr(realtime, "publish", lambda group, event: sent.append((group, event)))
    return sent


def _staff(org, user, *, key="k1", event=Notice.Event.ASSIGNED, subject="Fridge", **extra):
    return notice_queue(
        organization=org,
        event=event,
        recipient=user.email,
        language="en",
        key=key,
        context={
            "reference": "AS-000007",
            "subject": subject,
            "name": "Maryam",
            "agent": "Sam",
            "url": "https://aftercare.example/requests/7/",
            "body": "Not kept in the bell.",
        },
        user=user,
        ticket_id=70,
        **extra,
    )


def _bell(org, user, count, *, start=0):
    return [
        console_notice_record(
            organization=org,
            user=user,
            event=Notice.Event.CUSTOMER_REPLIED,
            key=f"n{start + index}",
            context={"reference": f"AS-{start + index:06d}", "subject": "Leak", "name": "Maryam"},
            ticket_id=start + index,
        )
        for index in range(count)
    ]


# --- Storage ---


def test_a_staff_notice_lands_in_the_bell_with_its_sentence_and_link(org, bob_agent):
    notice = _staff(org, bob_agent)
    [bell] = ConsoleNotice.objects.all()
    assert notice is not None and notice.user == bob_agent
    assert (bell.organization, bell.user, bell.event, bell.ticket_id, bell.key) == (
        org,
        bob_agent,
        "assigned",
        70,
        "k1",
    )
    assert bell.context == {
        "reference": "AS-000007",
        "subject": "Fridge",
        "name": "Maryam",
        "agent": "Sam",
    }
    assert bell.path == "/requests/7/"
    assert bell.read_at is None and bell.is_unread
    assert bell.sentence == "AS-000007 was given to you: Fridge"


def test_a_member_who_turned_the_email_off_still_finds_the_notice_in_the_bell(org, bob_agent):
    StaffPreference.objects.create(
        organization=org, user=bob_agent, event=Notice.Event.ASSIGNED, email=False
    )
    assert _staff(org, bob_agent) is None
    assert not Notice.objects.exists()
    assert ConsoleNotice.objects.get().user == bob_agent


def test_customer_notices_and_withheld_ones_do_not_reach_any_bell(org, customer, bob_agent):
    notice_queue(
        organization=org,
        event=Notice.Event.RECEIVED,
        recipient="maryam@example.com",
        language="en",
        key="c1",
        context={"reference": "AS-000001", "subject": "Hi"},
        customer=customer,
        ticket_id=1,
    )
    with notices_withheld():
        _staff(org, bob_agent, key="w1")
    assert not ConsoleNotice.objects.exists()
    assert list(Notice.objects.values_list("key", flat=True)) == ["c1"]


def test_once_keeps_one_bell_notice_per_key(org, bob_agent):
    StaffPreference.objects.create(
        organization=org, user=bob_agent, event=Notice.Event.STOCK_LOW, email=False
    )
    for _ in range(2):
        _staff(org, bob_agent, key="stock:1", event=Notice.Event.STOCK_LOW, once=True)
    assert ConsoleNotice.objects.count() == 1


def test_many_staff_notices_at_once_reach_every_bell_emails_or_not(org, bob_agent, sam_supervisor):
    StaffPreference.objects.create(
        organization=org, user=sam_supervisor, event=Notice.Event.SLA_BREACHED, email=False
    )

    def batch():
        return [
            Notice(
                organization_id=org.pk,
                user=user,
                ticket_id=9,
                event=Notice.Event.SLA_BREACHED,
                recipient=user.email,
                language="en",
                key=f"sla:9:first:{user.pk}",
                context={"reference": "AS-000009", "subject": "Pump", "url": "/requests/9/"},
            )
            for user in (bob_agent, sam_supervisor)
        ]

    assert notices_queue_for_staff(batch()) == 1
    assert notices_queue_for_staff(batch()) == 0
    assert sorted(ConsoleNotice.objects.values_list("user_id", "event", "path")) == sorted(
        [
            (bob_agent.pk, "sla_breached", "/requests/9/"),
            (sam_supervisor.pk, "sla_breached", "/requests/9/"),
        ]
    )
    assert list(Notice.objects.values_list("user_id", flat=True)) == [bob_agent.pk]


def test_a_link_leads_only_within_the_site(org, bob_agent):
    # Only the path of the address is kept: whatever host it named, the link stays here.
    for index, url in enumerate(["//evil.example/x", "javascript:alert(1)", "", "/ok/?a=1"]):
        console_notice_record(
            organization=org,
            user=bob_agent,
            event=Notice.Event.MENTIONED,
            key=f"l{index}",
            context={"url": url, "reference": "AS-1"},
        )
    assert list(ConsoleNotice.objects.order_by("pk").values_list("path", flat=True)) == [
        "/x",
        "",
        "",
        "/ok/?a=1",
    ]


# --- Live ---


def test_open_pages_hear_of_new_notices_once_after_the_commit_and_never_after_a_rollback(
    org, bob_agent, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _staff(org, bob_agent, key="a")
        _staff(org, bob_agent, key="b", event=Notice.Event.MENTIONED, subject="Pump")
        assert published == []
    [(group, event)] = published
    assert group == realtime.user_group(org.pk, bob_agent.pk)
    first, second = ConsoleNotice.objects.order_by("pk")
    assert event == {
        "type": "notices",
        "items": [
            {
                "id": first.pk,
                "event": "assigned",
                "url": "/requests/7/",
                "reference": "AS-000007",
                "subject": "Fridge",
                "name": "Maryam",
                "agent": "Sam",
            },
            {
                "id": second.pk,
                "event": "mentioned",
                "url": "/requests/7/",
                "reference": "AS-000007",
                "subject": "Pump",
                "name": "Maryam",
                "agent": "Sam",
            },
        ],
    }

    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _staff(org, bob_agent, key="c")
            raise RuntimeError("rolled back")
        with transaction.atomic():
            _staff(org, bob_agent, key="d", subject="Oven")
    assert [[item["subject"] for item in event["items"]] for _group, event in published] == [
        ["Oven"]
    ]


# --- Selectors ---


def test_each_member_reads_their_own_notices_in_the_organization_they_work_in(
    org, other_org, bob_agent, sam_supervisor, charlie_other_org
):
    mine = _bell(org, bob_agent, 12)
    _bell(org, sam_supervisor, 2, start=100)
    # The same person in another organization: not these notices.
    from aftercare.accounts.services import membership_create

    membership_create(organization=other_org, user=bob_agent, role="agent")
    _bell(other_org, bob_agent, 1, start=200)

    recent = console_notices_recent(organization=org, user=bob_agent)
    assert [notice.pk for notice in recent] == [notice.pk for notice in reversed(mine)][:10]
    first = console_notice_page(organization=org, user=bob_agent, limit=5)
    second = console_notice_page(
        organization=org, user=bob_agent, cursor=first.next_cursor, limit=5
    )
    third = console_notice_page(
        organization=org, user=bob_agent, cursor=second.next_cursor, limit=5
    )
    pages = [notice.pk for page in (first, second, third) for notice in page.items]
    assert pages == [notice.pk for notice in reversed(mine)]
    assert third.next_cursor is None
    assert console_notices_unread_count(organization_id=org.pk, user_id=bob_agent.pk) == 12


def test_the_unread_count_stops_counting_past_what_the_bell_shows(org, bob_agent):
    ConsoleNotice.objects.bulk_create(
        ConsoleNotice(organization=org, user=bob_agent, event="assigned", key=f"k{index}")
        for index in range(UNREAD_COUNTED_MAX + 20)
    )
    with CaptureQueriesContext(connection) as queries:
        count = console_notices_unread_count(organization_id=org.pk, user_id=bob_agent.pk)
    assert count == UNREAD_COUNTED_MAX + 1
    assert len(queries) == 1


def test_marking_all_read_leaves_a_notice_that_came_since_unread(org, bob_agent, sam_supervisor):
    seen = _bell(org, bob_agent, 3)
    _bell(org, sam_supervisor, 1, start=50)
    later = _bell(org, bob_agent, 1, start=10)
    assert console_notices_read(organization=org, user=bob_agent, through_id=seen[-1].pk) == 3
    assert list(
        ConsoleNotice.objects.filter(read_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    ) == sorted([later[0].pk, ConsoleNotice.objects.get(user=sam_supervisor).pk])
    assert console_notices_read(organization=org, user=bob_agent) == 1
    assert console_notices_unread_count(organization_id=org.pk, user_id=bob_agent.pk) == 0


# --- Pages ---


def test_the_notices_page_lists_the_members_own_newest_first_with_links(
    org, agent_client, bob_agent, sam_supervisor
):
    _bell(org, bob_agent, 2)
    _bell(org, sam_supervisor, 1, start=9)
    page = text_of(agent_client.get(reverse("notices:list")))
    items = re.findall(r'data-testid="notice-item" data-notice-id="(\d+)"', page)
    assert items == [
        str(pk)
        for pk in ConsoleNotice.objects.filter(user=bob_agent)
        .order_by("-pk")
        .values_list("pk", flat=True)
    ]
    assert "Maryam replied on AS-000001: Leak" in page
    assert "AS-000009" not in page
    assert 'data-testid="notices-read-all"' in page


def test_the_notices_page_costs_the_same_at_any_length(org, agent_client, bob_agent):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("notices:list"))
        assert response.status_code == 200
        return len(queries)

    _bell(org, bob_agent, 2)
    few = count()
    _bell(org, bob_agent, 60, start=2)
    assert count() == few


def test_a_bad_cursor_is_refused_on_the_page(agent_client):
    response = agent_client.get(reverse("notices:list"), {"cursor": "not-a-cursor"})
    assert response.status_code == 422


def test_the_bell_menu_shows_the_last_ten_and_the_unread_count(org, agent_client, bob_agent):
    notices = _bell(org, bob_agent, 12)
    console_notices_read(organization=org, user=bob_agent, through_id=notices[0].pk)
    menu = text_of(agent_client.get(reverse("notices:bell")))
    assert 'data-unread="11"' in menu
    assert menu.count('data-testid="bell-notice"') == 10
    assert f'data-notice-id="{notices[-1].pk}"' in menu
    assert f'name="through" value="{notices[-1].pk}"' in menu


def test_a_member_marks_one_of_their_notices_read_and_all_of_them(org, agent_client, bob_agent):
    first, second = _bell(org, bob_agent, 2)
    response = agent_client.post(
        reverse("notices:read_one", args=[first.pk]), HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 204
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None

    response = agent_client.post(
        reverse("notices:read"), {"through": str(second.pk), "next": "/?queue=mine"}
    )
    assert (response.status_code, response["Location"]) == (302, "/?queue=mine")
    second.refresh_from_db()
    assert second.read_at is not None
    response = agent_client.post(reverse("notices:read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notices:list")


def test_another_members_or_organizations_notice_answers_404_and_changes_nothing(
    org, other_org, agent_client, sam_supervisor, charlie_other_org
):
    [colleagues] = _bell(org, sam_supervisor, 1)
    [foreign] = _bell(other_org, charlie_other_org, 1)
    for notice in (colleagues, foreign):
        response = agent_client.post(reverse("notices:read_one", args=[notice.pk]))
        assert response.status_code == 404
    # Marking all read touches only one's own.
    agent_client.post(reverse("notices:read"), {"through": str(foreign.pk)})
    assert ConsoleNotice.objects.filter(read_at__isnull=True).count() == 2
    assert "AS-000000" not in text_of(agent_client.get(reverse("notices:list")))


def test_customers_and_anonymous_visitors_reach_no_notices(org, customer, bob_agent, client):
    [notice] = _bell(org, bob_agent, 1)
    # The customer's own account, as the portal signs them in with.
    account = user_create(email="maryam@example.com")
    customer_link_user(customer=customer, user=account)
    portal = client_for(account)
    for url, method in [
        (reverse("notices:list"), "get"),
        (reverse("notices:bell"), "get"),
        (reverse("notices:read"), "post"),
        (reverse("notices:read_one", args=[notice.pk]), "post"),
    ]:
        assert getattr(portal, method)(url).status_code == 403
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    notice.refresh_from_db()
    assert notice.read_at is None


def test_every_member_of_staff_has_the_bell_on_the_top_bar(org, viewer_client, vic_viewer):
    page = text_of(viewer_client.get(reverse("notices:list")))
    assert 'data-testid="notice-bell"' in page
    assert reverse("notices:bell") in page
    # Live notices come in the flow of the page, not fixed over its rows.
    region = page.split('id="live-notices"')[1].split(">")[0]
    assert "position-fixed" not in region and "live-notices" in region


def test_marking_all_read_from_the_bell_answers_its_menu_again(org, agent_client, bob_agent):
    notices = _bell(org, bob_agent, 2)
    response = agent_client.post(
        reverse("notices:read"), {"through": str(notices[-1].pk)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    menu = text_of(response)
    assert 'data-unread="0"' in menu and 'data-testid="notices-read-all"' not in menu
    assert menu.count('data-testid="bell-notice"') == 2


def test_the_bell_sits_on_the_bar_not_folded_into_the_phones_menu(agent_client):
    page = text_of(agent_client.get(reverse("notices:list")))
    bell, toggler = page.index('data-testid="notice-bell"'), page.index('class="navbar-toggler"')
    assert bell < toggler < page.index('id="console-nav"')

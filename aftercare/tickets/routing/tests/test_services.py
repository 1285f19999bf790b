"""Routing through the real services: teams by rule, agents by skill, load and capacity."""

from collections import Counter

import pytest

from aftercare.accounts.models import Membership, Team
from aftercare.accounts.services import membership_create, team_create, team_update, user_create
from aftercare.catalog.services import product_model_create
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD
from aftercare.lib.vocabulary import Kind, Status
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.models import Ticket, TicketEvent
from aftercare.tickets.routing.dispatch import routing_dispatch
from aftercare.tickets.routing.services import routing_rule_create, routing_rule_update
from aftercare.tickets.services import ticket_assign, ticket_status_change
from aftercare.tickets.tests.factories import make_customer, make_ticket


def _agent(org, name, *, languages=(), capacity=None, presence="available"):
    user = user_create(email=f"{name}@demo.example", password=PASSWORD, full_name=name.title())
    membership_create(organization=org, user=user, role=Membership.Role.AGENT)
    agent_profile_update(
        organization=org,
        user=user,
        languages=list(languages),
        capacity=capacity,
        presence=presence,
    )
    return user


@pytest.fixture
def desk(org):
    """A call centre that gives each request to the available agent with the fewest open."""
    agents = {
        "parisa": _agent(org, "parisa", languages=["fa"], capacity=5),
        "reza": _agent(org, "reza", languages=["fa", "en"], capacity=5),
        "ayse": _agent(org, "ayse", languages=["tr"], capacity=4),
        "aigerim": _agent(org, "aigerim", languages=["kk"], capacity=3),
    }
    team = team_create(
        organization=org,
        name="Call centre",
        members=list(agents.values()),
        assignment=Team.Assignment.LEAST_OPEN,
    )
    routing_rule_create(organization=org, name="Everything", team=team)
    return team, agents


def test_many_requests_at_once_go_by_language_and_load_and_never_over_capacity(org, desk):
    team, agents = desk
    customer = make_customer(organization=org)
    # Arriving mixed, as they would: fa tr kk en fa tr kk en ... then the rest in Persian.
    queues = {"fa": 14, "tr": 6, "kk": 5, "en": 3}
    languages = []
    while any(queues.values()):
        for language in queues:
            if queues[language]:
                queues[language] -= 1
                languages.append(language)
    tickets = [
        make_ticket(organization=org, customer=customer, language=language)
        for language in languages
    ]
    capacity = {"parisa": 5, "reza": 5, "ayse": 4, "aigerim": 3}
    by_user = {user.pk: name for name, user in agents.items()}
    loads = Counter(by_user[t.assignee_id] for t in tickets if t.assignee_id)
    assert loads == {"parisa": 5, "reza": 5, "ayse": 4, "aigerim": 3}
    assert all(loads[name] <= capacity[name] for name in loads)
    speaks = {"parisa": {"fa"}, "reza": {"fa", "en"}, "ayse": {"tr"}, "aigerim": {"kk"}}
    for ticket in tickets:
        assert ticket.team == team
        if ticket.assignee_id:
            assert ticket.language in speaks[by_user[ticket.assignee_id]]
    # English can only go to Reza; Persian is shared by load, so both end full.
    english = [t for t in tickets if t.language == "en"]
    assert [by_user.get(t.assignee_id) for t in english] == ["reza", "reza", "reza"]
    persian = Counter(by_user.get(t.assignee_id) for t in tickets if t.language == "fa")
    assert persian == {"parisa": 5, "reza": 2, None: 7}
    waiting = [t for t in tickets if t.assignee_id is None]
    assert Counter(t.language for t in waiting) == {"fa": 7, "tr": 2, "kk": 2}
    assert all(t.team == team and t.is_open for t in waiting)
    routed = TicketEvent.objects.filter(ticket=tickets[0], kind=TicketEvent.Kind.ROUTED).get()
    assert routed.data == {
        "rule": "Everything",
        "team": "Call centre",
        "assignee": "Parisa",
        "method": "least_open",
    }


def test_least_open_balances_persian_between_two_agents(org, desk):
    _team, agents = desk
    customer = make_customer(organization=org)
    assignees = [
        make_ticket(organization=org, customer=customer, language="fa").assignee for _ in range(6)
    ]
    names = [user.full_name for user in assignees]
    assert Counter(names) == {"Parisa": 3, "Reza": 3}
    assert names[:2] == ["Parisa", "Reza"]


def test_round_robin_takes_turns_and_skips_away_agents(org, desk):
    team, agents = desk
    team_update(
        team=team,
        name=team.name,
        members=list(agents.values()),
        is_active=True,
        assignment=Team.Assignment.ROUND_ROBIN,
    )
    agent_profile_update(organization=org, user=agents["parisa"], presence="away")
    customer = make_customer(organization=org)
    names = [
        make_ticket(organization=org, customer=customer, language="").assignee.full_name
        for _ in range(4)
    ]
    assert names == ["Reza", "Ayse", "Aigerim", "Reza"]


def test_freed_capacity_and_coming_back_dispatch_waiting_requests(
    org, desk, bob_agent, django_capture_on_commit_callbacks
):
    team, agents = desk
    customer = make_customer(organization=org)
    kazakh = [make_ticket(organization=org, customer=customer, language="kk") for _ in range(4)]
    assert kazakh[3].assignee is None
    # Resolving one of Aigerim's requests frees a slot: the waiting one is given to her.
    with django_capture_on_commit_callbacks(execute=True):
        ticket_status_change(ticket=kazakh[0], status=Status.RESOLVED, actor=bob_agent)
    kazakh[3].refresh_from_db()
    assert kazakh[3].assignee == agents["aigerim"]
    # Turkish requests wait while Ayşe is away and are dispatched when she is back.
    agent_profile_update(organization=org, user=agents["ayse"], presence="away")
    turkish = [make_ticket(organization=org, customer=customer, language="tr") for _ in range(2)]
    assert [t.assignee for t in turkish] == [None, None]
    with django_capture_on_commit_callbacks(execute=True):
        agent_profile_update(organization=org, user=agents["ayse"], presence="available")
    assert {t.assignee for t in Ticket.objects.filter(pk__in=[t.pk for t in turkish])} == {
        agents["ayse"]
    }


def test_manual_assignment_overrides_capacity_and_routing(org, desk, alice_admin):
    _team, agents = desk
    customer = make_customer(organization=org)
    for _ in range(3):
        make_ticket(organization=org, customer=customer, language="kk")
    extra = make_ticket(organization=org, customer=customer, language="kk")
    assert extra.assignee is None
    extra = ticket_assign(ticket=extra, assignee=agents["aigerim"], actor=alice_admin)
    assert extra.assignee == agents["aigerim"]
    given = make_ticket(organization=org, customer=customer, language="fa", assignee=alice_admin)
    assert given.assignee == alice_admin
    assert routing_dispatch(organization_id=org.pk) == 0


def test_rules_route_by_kind_product_and_channel_first_match_wins(org, alice_admin):
    workshop = team_create(organization=org, name="Workshop")
    phones = team_create(organization=org, name="Phone desk")
    washer = product_model_create(organization=org, name="WM-800", sku="WM-800")
    routing_rule_create(
        organization=org,
        name="Washer repairs",
        kinds=[Kind.REPAIR],
        product_models=[washer],
        team=workshop,
    )
    phone_rule = routing_rule_create(
        organization=org, name="Phone", channels=["phone"], team=phones
    )
    assert make_ticket(organization=org, product_model=washer).team == workshop
    assert make_ticket(organization=org, channel="phone").team == phones
    assert make_ticket(organization=org, kind=Kind.QUESTION).team is None
    # A team given by hand is kept; a rule moved first wins.
    assert make_ticket(organization=org, channel="phone", team=workshop).team == workshop
    routing_rule_update(rule=phone_rule, position=0)
    assert make_ticket(organization=org, channel="phone", product_model=washer).team == phones


def test_inactive_team_rules_do_not_route(org):
    team = team_create(organization=org, name="Gone")
    routing_rule_create(organization=org, name="Old", team=team)
    team_update(team=team, name="Gone", members=[], is_active=False)
    assert make_ticket(organization=org).team is None


def test_routing_rule_validation_names_the_field(org, other_org):
    theirs = team_create(organization=other_org, name="Theirs")
    ours = team_create(organization=org, name="Ours")
    cases = [
        ({"team": theirs}, "team_id"),
        ({"team": ours, "kinds": ["teleport"]}, "kinds"),
        ({"team": ours, "languages": ["de"]}, "languages"),
        ({"team": ours, "name": " "}, "name"),
    ]
    for changes, field in cases:
        with pytest.raises(ApplicationError) as error:
            routing_rule_create(organization=org, **({"name": "Rule"} | changes))
        assert error.value.field == field
    assert not org.routing_rules.exists()


def test_agent_profile_validation_changes_nothing(org, bob_agent, charlie_other_org):
    profile = agent_profile_update(organization=org, user=bob_agent, capacity=3)
    for changes, field in [
        ({"presence": "asleep"}, "presence"),
        ({"capacity": -1}, "capacity"),
        ({"languages": ["xx"]}, "languages"),
    ]:
        with pytest.raises(ApplicationError) as error:
            agent_profile_update(organization=org, user=bob_agent, **changes)
        assert error.value.field == field
    with pytest.raises(ApplicationError) as error:
        agent_profile_update(organization=org, user=charlie_other_org, capacity=1)
    assert error.value.field == "user_id"
    profile.refresh_from_db()
    assert (profile.capacity, profile.presence, profile.languages) == (3, "available", [])
    assert AgentProfile.objects.filter(user=charlie_other_org).count() == 0

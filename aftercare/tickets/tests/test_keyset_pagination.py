import pytest

from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import decode_cursor, keyset_paginate
from aftercare.tickets.models import Ticket
from aftercare.tickets.tests.factories import make_customer, make_ticket


def test_keyset_walks_every_row_once_in_order(org):
    customer = make_customer(organization=org)
    tickets = [make_ticket(organization=org, customer=customer) for _ in range(7)]
    # Equal sort values must still page cleanly: the id breaks ties.
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[:4]]).update(
        updated_at=tickets[0].updated_at
    )
    seen, cursor = [], None
    while True:
        page = keyset_paginate(
            Ticket.objects.filter(organization=org),
            ordering=["-updated_at", "-id"],
            cursor=cursor,
            limit=3,
        )
        seen += [t.pk for t in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = list(
        Ticket.objects.filter(organization=org)
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected
    assert len(seen) == 7


def test_bad_cursor_is_a_field_error():
    with pytest.raises(ApplicationError) as error:
        decode_cursor("not-a-cursor!!", size=2)
    assert error.value.field == "cursor"

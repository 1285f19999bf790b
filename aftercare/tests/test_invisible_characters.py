"""Invisible and direction-overriding characters (finding 10 of the outside review: a subject
or a name could carry U+202E RIGHT-TO-LEFT OVERRIDE and show "gpj.exe" as "exe.jpg" in a queue
row). They are taken out of every subject, name and text a service cleans; ZWNJ, which Persian
words need, and the direction marks stay."""

import pytest

from aftercare.customers.models import Customer
from aftercare.lib.text import strip_invisible
from aftercare.tickets.models import Ticket

RLO, PDF, LRI, PDI, ZWSP, BOM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\ufeff"
ZWNJ, ZWJ, RLM = "\u200c", "\u200d", "\u200f"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"invoice{RLO}gpj.exe{PDF}", "invoicegpj.exe"),
        (f"{LRI}Ali{PDI} {ZWSP}Rezaei{BOM}", "Ali Rezaei"),
        ("Tag\U000e0041\U000e0042s", "Tags"),
        ("Soft\u00adhyphen and\x07bell\x1b", "Softhyphen andbell"),
        (f"می{ZWNJ}شود", f"می{ZWNJ}شود"),
        (f"emoji 👩{ZWJ}🔧 {RLM}(۱۲)", f"emoji 👩{ZWJ}🔧 {RLM}(۱۲)"),
        ("line one\nline two\ttab", "line one\nline two\ttab"),
    ],
)
def test_what_is_taken_out_and_what_stays(typed, kept):
    assert strip_invisible(typed) == kept


def test_a_requests_subject_and_description_come_without_them(org, customer, agent_api):
    answer = agent_api.post(
        "/tickets/",
        {
            "customer_id": customer.pk,
            "subject": f"Photo {RLO}gpj.exe{PDF} attached",
            "description": f"See {ZWSP}the file.",
        },
    )
    assert answer.status == 201, answer.body
    ticket = Ticket.objects.get()
    assert ticket.subject == "Photo gpj.exe attached"
    assert answer.body["subject"] == "Photo gpj.exe attached"


def test_a_customers_name_and_company_come_without_them(org, agent_api):
    answer = agent_api.post(
        "/customers/",
        {"name": f"{RLO}Reza{PDF} Karimi{BOM}", "company": f"می{ZWNJ}شود {LRI}Co{PDI}"},
    )
    assert answer.status == 201, answer.body
    customer = Customer.objects.get()
    assert (customer.name, customer.company) == ("Reza Karimi", f"می{ZWNJ}شود Co")
    # A name of nothing but invisible characters is no name.
    empty = agent_api.post("/customers/", {"name": f"{RLO}{ZWSP}{PDF}"})
    assert empty.status == 422
    assert empty.body["errors"][0]["field"] == "name"

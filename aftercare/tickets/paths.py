"""A request's console address by its human number: `/requests/301/` and `/requests/AS-000301/`
open the same request, AS-000301 of the organization signed in to; its internal id never shows."""

from django.http import Http404

from aftercare.accounts.models import Organization


class RequestNumber(int):
    """The number of a request as written in an address, with the prefix it was written with."""

    prefix: str = ""


class RequestNumberConverter:
    """`301`, `000301` or `AS-000301` (any letters and digits before the dash), as its number."""

    regex = r"(?:[A-Za-z][A-Za-z0-9]{0,19}-)?[0-9]{1,18}"

    def to_python(self, value: str) -> RequestNumber:
        prefix, _dash, digits = value.rpartition("-")
        number = RequestNumber(int(digits))
        number.prefix = prefix
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def request_number(*, organization: Organization, number: int) -> int:
    """The number to look up, or 404 when the address names another prefix than the
    organization's (AS-000301 is not XY-000301)."""
    prefix = getattr(number, "prefix", "")
    if prefix and prefix.upper() != organization.ticket_prefix.upper():
        raise Http404
    return int(number)

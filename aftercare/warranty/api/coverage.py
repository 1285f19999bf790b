"""API v1: the coverage check by serial number."""

import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from aftercare.api.schemas import READ, Id, IsoDate, RefOut, Text, responses
from aftercare.catalog.selectors import fault_code_for_input
from aftercare.warranty.contract_selectors import unit_for_coverage
from aftercare.warranty.coverage import coverage_check

coverage_router = Router(tags=["warranty"])


class CoverageOut(Schema):
    """Whether a unit is covered on a day: by what and until when, or why not. When not
    covered, `starts_on` and `until` are those of the cover that came closest (the expired
    warranty, say)."""

    unit_id: int
    serial_number: str
    model: RefOut
    on: datetime.date
    covered: bool
    by: str = Field(description='"standard", "extended", "goodwill", or "" when not covered.')
    contract_id: int | None
    starts_on: datetime.date | None
    until: datetime.date | None
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    reason: str = Field(
        description='"" when covered; else no_policy, not_sold_by_us, no_start_date, '
        "not_started, expired, registered_too_late, transferred or excluded_fault."
    )
    reason_text: str


class CoverageQuery(Schema):
    """Which unit, on which day, for which fault."""

    serial: Text(100, min_length=1) = Field(
        description="The serial number, typed any way (Persian digits, dashes, spaces, case)."
    )
    on: IsoDate | None = Field(None, description="The day asked about; empty: today.")
    fault_code_id: Id | None = Field(None, description="A fault code of this organization.")


@coverage_router.get(
    "/check", response=responses({200: CoverageOut}, READ), summary="Check a unit's coverage"
)
def warranty_check_api(request: HttpRequest, query: Query[CoverageQuery]):
    """The coverage of the organization's unit with this serial on a day (today unless
    given), for a fault if given; an unknown serial answers 404."""
    organization = request.organization
    fault = None
    if query.fault_code_id is not None:
        fault = fault_code_for_input(organization=organization, fault_code_id=query.fault_code_id)
    unit = unit_for_coverage(organization=organization, serial=query.serial)
    if unit is None:
        raise Http404
    on = query.on or organization.today()
    coverage = coverage_check(unit=unit, on=on, fault_code=fault)
    product = unit.product_model
    return {
        "unit_id": unit.pk,
        "serial_number": unit.serial_number,
        "model": {"id": product.pk, "name": str(product)},
        "on": on,
        **coverage.as_dict(),
    }

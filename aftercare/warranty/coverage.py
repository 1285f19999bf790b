"""Whether a unit's warranty covers a fault on a day: by which cover, until when, or why not.

The standard warranty is not a row: it runs from the date the model's policy starts it from
(purchase, delivery or installation) for the policy's number of calendar months, so its last
day is the start plus that many months, less one day (bought 2026-01-31 with 12 months: covered
to 2027-01-30). It needs the unit sold by us or our dealers, registered within the policy's
days when the policy asks, and, when the policy does not pass to a new owner, ends the day the
unit changes hands. Faults the policy excludes are not covered by it, nor by extended contracts
sold on top of it; goodwill covers whatever it says. When several covers apply, the standard
warranty comes first, then an extended contract, then goodwill.

Made for hot paths (the public warranty check): with the unit loaded with its model and
policy (`select_related("product_model__warranty_policy", "organization")`) it costs one query
for the contracts (none if they were prefetched) and, given a fault, one for the policy's
exclusions (none if prefetched).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from aftercare.catalog.models import FaultCode, WarrantyPolicy
from aftercare.warranty.models import Contract, Unit

STANDARD = "standard"
EXTENDED = Contract.Kind.EXTENDED.value
GOODWILL = Contract.Kind.GOODWILL.value

# Why nothing covers: the reason codes, in the order the standard warranty is checked.
NOT_SOLD_BY_US = "not_sold_by_us"
NO_POLICY = "no_policy"
NO_START_DATE = "no_start_date"
NOT_STARTED = "not_started"
EXPIRED = "expired"
REGISTERED_TOO_LATE = "registered_too_late"
TRANSFERRED = "transferred"
EXCLUDED_FAULT = "excluded_fault"
REASONS = (
    NOT_SOLD_BY_US,
    NO_POLICY,
    NO_START_DATE,
    NOT_STARTED,
    EXPIRED,
    REGISTERED_TOO_LATE,
    TRANSFERRED,
    EXCLUDED_FAULT,
)


def _reason_texts() -> dict[str, str]:
    return {
        NO_POLICY: _("This model has no warranty."),
        NOT_SOLD_BY_US: _(
            "This unit was not bought from us or our dealers, so it has no standard warranty."
        ),
        NO_START_DATE: _("The warranty has not started: the date it starts from is not known."),
        NOT_STARTED: _("The warranty has not started yet."),
        EXPIRED: _("The warranty has expired."),
        REGISTERED_TOO_LATE: _("The unit was registered too late for the warranty."),
        TRANSFERRED: _("The warranty does not pass to a new owner."),
        EXCLUDED_FAULT: _("The warranty does not cover this fault."),
    }


def _covered_texts() -> dict[str, str]:
    return {
        STANDARD: _("Covered by the standard warranty."),
        EXTENDED: _("Covered by an extended warranty."),
        GOODWILL: _("Covered as goodwill."),
    }


@dataclass(frozen=True)
class Coverage:
    """The answer of a coverage check. When not covered, `starts_on`/`until` are the dates of
    the cover that came closest (the expired warranty, say), and `reason` says why."""

    covered: bool
    by: str  # "standard", "extended", "goodwill", or "" when not covered
    contract: Contract | None
    starts_on: datetime.date | None
    until: datetime.date | None
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    reason: str  # "" when covered, else one of REASONS

    @property
    def reason_text(self) -> str:
        """What the answer means, in a sentence in the active language."""
        if self.covered:
            return _covered_texts()[self.by]
        return _reason_texts()[self.reason]

    def as_dict(self) -> dict[str, Any]:
        """The answer as JSON-safe values (dates as ISO strings), for snapshots and the API."""
        return {
            "covered": self.covered,
            "by": self.by,
            "contract_id": self.contract.pk if self.contract is not None else None,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "until": self.until.isoformat() if self.until else None,
            "covers_parts": self.covers_parts,
            "covers_labour": self.covers_labour,
            "covers_travel": self.covers_travel,
            "reason": self.reason,
            "reason_text": self.reason_text,
        }


def _not_covered(
    reason: str, starts_on: datetime.date | None = None, until: datetime.date | None = None
) -> Coverage:
    return Coverage(
        covered=False,
        by="",
        contract=None,
        starts_on=starts_on,
        until=until,
        covers_parts=False,
        covers_labour=False,
        covers_travel=False,
        reason=reason,
    )


def _start_date(unit: Unit, policy: WarrantyPolicy) -> datetime.date | None:
    if policy.starts_from == WarrantyPolicy.Start.DELIVERY:
        return unit.delivery_date
    if policy.starts_from == WarrantyPolicy.Start.INSTALLATION:
        return unit.installation_date
    return unit.purchase_date


def last_day(start: datetime.date, months: int) -> datetime.date:
    """The last day of a cover of `months` calendar months from `start`."""
    return start + relativedelta(months=months) - datetime.timedelta(days=1)


def standard_warranty(*, unit: Unit) -> tuple[datetime.date, datetime.date] | None:
    """The standard warranty's first and last day, from the model's policy and the unit's
    dates; None if the unit has none (bought elsewhere, no policy, or no start date yet).
    Registration and transfer rules do not change these dates: they decide whether the
    warranty applies."""
    policy = unit.product_model.warranty_policy
    if policy is None or not unit.is_sold_by_us:
        return None
    start = _start_date(unit, policy)
    if start is None:
        return None
    return start, last_day(start, policy.months)


def _registered_on(unit: Unit) -> datetime.date | None:
    """The day the unit was registered, in its organization's time zone."""
    if unit.registered_at is None:
        return None
    return unit.registered_at.astimezone(unit.organization.zone).date()


def _is_excluded(policy: WarrantyPolicy | None, fault_code: FaultCode | None) -> bool:
    """Whether the policy excludes the fault (one query unless the exclusions were loaded)."""
    if policy is None or fault_code is None:
        return False
    cache = getattr(policy, "_prefetched_objects_cache", {})
    if "excluded_faults" in cache:
        return any(fault.pk == fault_code.pk for fault in cache["excluded_faults"])
    return policy.excluded_faults.filter(pk=fault_code.pk).exists()


def _standard(
    unit: Unit, policy: WarrantyPolicy | None, on: datetime.date, excluded: bool
) -> Coverage:
    """What the standard warranty says on `on`."""
    if not unit.is_sold_by_us:
        return _not_covered(NOT_SOLD_BY_US)
    if policy is None:
        return _not_covered(NO_POLICY)
    start = _start_date(unit, policy)
    if start is None:
        return _not_covered(NO_START_DATE)
    until = last_day(start, policy.months)
    if on < start:
        return _not_covered(NOT_STARTED, start, until)
    if on > until:
        return _not_covered(EXPIRED, start, until)
    if policy.registration_days is not None:
        deadline = start + datetime.timedelta(days=policy.registration_days)
        registered_on = _registered_on(unit)
        # Not registered yet: covered while there is still time to register.
        late = on > deadline if registered_on is None else registered_on > deadline
        if late:
            return _not_covered(REGISTERED_TOO_LATE, start, until)
    if not policy.is_transferable and unit.transferred_on is not None and on >= unit.transferred_on:
        return _not_covered(TRANSFERRED, start, until)
    if excluded:
        return _not_covered(EXCLUDED_FAULT, start, until)
    return Coverage(
        covered=True,
        by=STANDARD,
        contract=None,
        starts_on=start,
        until=until,
        covers_parts=policy.covers_parts,
        covers_labour=policy.covers_labour,
        covers_travel=policy.covers_travel,
        reason="",
    )


def _by_contract(contract: Contract) -> Coverage:
    return Coverage(
        covered=True,
        by=contract.kind,
        contract=contract,
        starts_on=contract.starts_on,
        until=contract.ends_on,
        covers_parts=contract.covers_parts,
        covers_labour=contract.covers_labour,
        covers_travel=contract.covers_travel,
        reason="",
    )


def _contracts(unit: Unit) -> list[Contract]:
    """The unit's contracts that are not void, by start (prefetched ones if loaded)."""
    cache = getattr(unit, "_prefetched_objects_cache", {})
    if "contracts" in cache:
        contracts = [contract for contract in cache["contracts"] if contract.voided_at is None]
    else:
        contracts = list(unit.contracts.filter(voided_at__isnull=True))
    return sorted(contracts, key=lambda contract: (contract.starts_on, contract.pk or 0))


def coverage_check(
    *, unit: Unit, on: datetime.date, fault_code: FaultCode | None = None
) -> Coverage:
    """Whether anything covers `unit` on day `on` (for `fault_code`, if given): the standard
    warranty first, then an extended contract, then goodwill."""
    policy = unit.product_model.warranty_policy
    excluded = _is_excluded(policy, fault_code)
    standard = _standard(unit, policy, on, excluded)
    if standard.covered:
        return standard
    contracts = _contracts(unit)
    current = [contract for contract in contracts if contract.starts_on <= on <= contract.ends_on]
    extended = [contract for contract in current if contract.kind == EXTENDED]
    if extended and not excluded:
        return _by_contract(extended[0])
    goodwill = [contract for contract in current if contract.kind == GOODWILL]
    if goodwill:
        return _by_contract(goodwill[0])
    if extended:
        # An extended contract runs today but inherits the policy's exclusions.
        return _not_covered(EXCLUDED_FAULT, extended[0].starts_on, extended[0].ends_on)
    ended = [
        contract for contract in contracts if contract.kind == EXTENDED and contract.ends_on < on
    ]
    if ended and standard.reason != EXCLUDED_FAULT:
        last = max(ended, key=lambda contract: (contract.ends_on, contract.pk or 0))
        return _not_covered(EXPIRED, last.starts_on, last.ends_on)
    return standard

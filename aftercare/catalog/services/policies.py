"""Every write to warranty policies."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import FaultCode, WarrantyPolicy
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import clean_text, save_unless_taken

# Fifty years: anything longer is a typing mistake, not a warranty.
MONTHS_MAX = 600
# Ten years to register a unit is already no requirement at all.
REGISTRATION_DAYS_MAX = 3650


def _name_taken() -> ApplicationError:
    return ApplicationError(_("A warranty policy with this name already exists."), field="name")


def _whole_number(value, *, low: int, high: int, field: str, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ApplicationError(message, field=field)
    return value


def _clean_months(months) -> int:
    message = _("Enter a length from 1 to %(max)s months.") % {"max": MONTHS_MAX}
    return _whole_number(months, low=1, high=MONTHS_MAX, field="months", message=message)


def _clean_registration_days(days) -> int | None:
    if days is None:
        return None
    message = _("Enter a number of days from 0 to %(max)s, or leave it empty.") % {
        "max": REGISTRATION_DAYS_MAX
    }
    return _whole_number(
        days, low=0, high=REGISTRATION_DAYS_MAX, field="registration_days", message=message
    )


def _clean_start(starts_from) -> str:
    if starts_from not in WarrantyPolicy.Start.values:
        raise ApplicationError(_("Unknown start of the warranty."), field="starts_from")
    return starts_from


def _check_faults(faults: Iterable[FaultCode], organization_id: int) -> list[FaultCode]:
    faults = list(faults or [])
    if any(fault.organization_id != organization_id for fault in faults):
        raise ApplicationError(_("No such fault code."), field="excluded_fault_ids")
    return faults


@transaction.atomic
def warranty_policy_create(
    *,
    organization: Organization,
    name: str,
    months: int,
    starts_from: str = WarrantyPolicy.Start.PURCHASE,
    covers_parts: bool = True,
    covers_labour: bool = True,
    covers_travel: bool = False,
    excluded_faults: Iterable[FaultCode] = (),
    registration_days: int | None = None,
    is_transferable: bool = True,
) -> WarrantyPolicy:
    """A warranty policy; names are unique inside an organization."""
    policy = WarrantyPolicy(
        organization=organization,
        name=clean_text(name, field="name", required=True, max_length=200),
        months=_clean_months(months),
        starts_from=_clean_start(starts_from),
        covers_parts=bool(covers_parts),
        covers_labour=bool(covers_labour),
        covers_travel=bool(covers_travel),
        registration_days=_clean_registration_days(registration_days),
        is_transferable=bool(is_transferable),
    )
    faults = _check_faults(excluded_faults, organization.pk)
    taken = WarrantyPolicy.objects.filter(organization=organization, name=policy.name)
    save_unless_taken(policy, taken=taken, error=_name_taken)
    policy.excluded_faults.set(faults)
    return policy


@transaction.atomic
def warranty_policy_update(
    *,
    policy: WarrantyPolicy,
    name: str | Unset = UNSET,
    months: int | Unset = UNSET,
    starts_from: str | Unset = UNSET,
    covers_parts: bool | Unset = UNSET,
    covers_labour: bool | Unset = UNSET,
    covers_travel: bool | Unset = UNSET,
    excluded_faults: Iterable[FaultCode] | Unset = UNSET,
    registration_days: int | None | Unset = UNSET,
    is_transferable: bool | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> WarrantyPolicy:
    """Change what is given. The models that name the policy, and so their units' coverage,
    follow at once; an inactive policy is no longer offered for models but keeps covering the
    units of the models that still name it (a warranty given is not taken back)."""
    fields: dict = {}
    if name is not UNSET:
        fields["name"] = clean_text(name, field="name", required=True, max_length=200)
    if months is not UNSET:
        fields["months"] = _clean_months(months)
    if starts_from is not UNSET:
        fields["starts_from"] = _clean_start(starts_from)
    if registration_days is not UNSET:
        fields["registration_days"] = _clean_registration_days(registration_days)
    flags = {
        "covers_parts": covers_parts,
        "covers_labour": covers_labour,
        "covers_travel": covers_travel,
        "is_transferable": is_transferable,
        "is_active": is_active,
    }
    fields.update({key: bool(value) for key, value in flags.items() if value is not UNSET})
    faults = None
    if excluded_faults is not UNSET:
        faults = _check_faults(excluded_faults, policy.organization_id)
    policy = WarrantyPolicy.objects.select_for_update().get(pk=policy.pk)
    if "name" in fields:
        taken = (
            WarrantyPolicy.objects.filter(
                organization_id=policy.organization_id, name=fields["name"]
            )
            .exclude(pk=policy.pk)
            .exists()
        )
        if taken:
            raise _name_taken()
    for field, value in fields.items():
        setattr(policy, field, value)
    if fields:
        try:
            with transaction.atomic():
                policy.save(update_fields=list(fields))
        except IntegrityError:
            # Another request took the name between the check and the write.
            raise _name_taken() from None
    if faults is not None:
        policy.excluded_faults.set(faults)
    return policy

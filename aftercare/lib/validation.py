"""Checks that several services share for values typed or sent by people."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from aftercare.lib.errors import ApplicationError
from aftercare.lib.text import strip_invisible

POSITION_MAX = 10**6


def clean_text(value: str, *, field: str, required: bool, max_length: int) -> str:
    """Text without NULs, invisible or direction-overriding characters (`strip_invisible`) or
    outer spaces, required or not, of bounded length."""
    value = strip_invisible(value or "").strip()
    if required and not value:
        raise ApplicationError(_("This field is required."), field=field)
    if len(value) > max_length:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": max_length}, field=field
        )
    return value


def clean_choices(values: Iterable, *, allowed: Iterable, field: str) -> list:
    """Distinct allowed values in the order given; anything else is an error on `field`."""
    allowed = set(allowed)
    cleaned = []
    for value in values or []:
        if value not in allowed:
            raise ApplicationError(_("Unknown value: %(value)s.") % {"value": value}, field=field)
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def clean_position(position) -> int:
    """A place in an ordered list of rules: a whole number from 0 to a million."""
    valid = isinstance(position, int) and not isinstance(position, bool)
    if not valid or not 0 <= position <= POSITION_MAX:
        raise ApplicationError(_("Enter an order from 0 to 1000000."), field="position")
    return position


def next_position(queryset: QuerySet) -> int:
    """The place after the last of an ordered list of rules, leaving room to insert between."""
    last = queryset.aggregate(last=Max("position"))["last"]
    return (last or 0) + 10


def save_unless_taken(instance, *, taken: QuerySet, error) -> None:
    """Insert a row whose name must be unique: `error()` when the name is taken, also when
    another request takes it between the check and the insert."""
    if taken.exists():
        raise error()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise error() from None


def objects_for_input(queryset: QuerySet, ids: Iterable[int], *, field: str, message: str) -> list:
    """The objects of an (already scoped) queryset named by ids in input, in one query; an id
    that is not among them is an error on `field`."""
    wanted = set(ids)
    found = list(queryset.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ApplicationError(message, field=field)
    return found

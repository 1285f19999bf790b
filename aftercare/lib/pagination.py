"""Keyset pagination: stable, index-friendly pages over any ordering that ends in the id."""

import base64
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from aftercare.lib.errors import ApplicationError


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next page, if any."""

    items: list
    next_cursor: str | None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        parsed = parse_datetime(value["dt"])
        if parsed is None:
            raise ValueError("bad datetime")
        return parsed
    return value


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor for the given sort values."""
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _check_scalar(value: Any) -> None:
    # A cursor is client input: only values a sort key can hold, and integers the database can.
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("integer out of range")
    if not isinstance(value, (int, float, str, datetime.datetime)):
        raise TypeError("not a sort value")


def decode_cursor(cursor: str, *, size: int) -> list[Any]:
    """The sort values inside a cursor; a malformed cursor is the caller's error."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("wrong size")
        decoded = [_decode_value(v) for v in values]
        for value in decoded:
            _check_scalar(value)
        return decoded
    except (ValueError, UnicodeDecodeError, TypeError):
        raise ApplicationError(_("The cursor is not valid."), field="cursor") from None


def keyset_paginate(
    queryset: QuerySet, *, ordering: list[str], cursor: str | None, limit: int
) -> Page:
    """Rows after `cursor` in `ordering` (whose last key must be a unique one, e.g. -id)."""
    fields = [key.lstrip("-") for key in ordering]
    if cursor:
        values = decode_cursor(cursor, size=len(fields))
        condition = Q()
        for index, key in enumerate(ordering):
            field = fields[index]
            lookup = "lt" if key.startswith("-") else "gt"
            step = Q(**{f"{field}__{lookup}": values[index]})
            for prior in range(index):
                step &= Q(**{fields[prior]: values[prior]})
            condition |= step
        try:
            queryset = queryset.filter(condition)
        except (ValueError, TypeError, ValidationError):
            # Values of the wrong type for their sort key: a forged or foreign cursor.
            raise ApplicationError(_("The cursor is not valid."), field="cursor") from None
    rows = list(queryset.order_by(*ordering)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([_attr(last, field) for field in fields])
    return Page(items=rows, next_cursor=next_cursor)


def _attr(row: Any, field: str) -> Any:
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
        if hasattr(value, "pk") and part != field.split("__")[-1]:
            continue
    return value

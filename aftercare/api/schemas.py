"""Shapes shared by every router: the error body, id and text types, and response maps."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict, StringConstraints

from aftercare.lib.languages import language_codes
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status

# Ids the database can hold; anything larger is a validation error, not a database overflow.
ID_MAX = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def _without_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; it never carries meaning in these fields.
    return value.replace("\x00", "")


def Text(max_length: int, *, min_length: int = 0) -> Any:
    """A string of bounded length, NUL characters removed."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_without_nul),
    ]


LANGUAGE_CODES = language_codes()
Language = Literal[("", *LANGUAGE_CODES)]
LanguageCode = Literal[LANGUAGE_CODES]
ChannelName = Literal[tuple(Channel.values)]
KindName = Literal[tuple(Kind.values)]
StatusName = Literal[tuple(Status.values)]
PriorityValue = Annotated[int, Field(ge=min(Priority.values), le=max(Priority.values))]
# Where a rule or policy sits in its list: lower is matched first.
Position = Annotated[int, Field(ge=0, le=10**6)]
PreferredChannel = Literal[("", *Channel.values)]


def _email_or_blank(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(gettext("Enter a valid email address.")) from None
    return value


EmailOrBlank = Annotated[
    str,
    StringConstraints(max_length=254),
    AfterValidator(_without_nul),
    AfterValidator(_email_or_blank),
]


def _is_number(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _not_a_timestamp(value: Any) -> Any:
    # pydantic reads numbers as Unix timestamps; a client sending 0 for a date has made a mistake.
    if _is_number(value):
        raise ValueError(gettext("Enter the date as YYYY-MM-DD, e.g. 2024-08-10."))
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_only(value: Any) -> Any:
    # pydantic takes a midnight date-time ("2024-08-10T00:00:00Z") for its date; the schema
    # says `format: date`, and a client sending a time has mixed up its fields.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError(gettext("Enter the date as YYYY-MM-DD, e.g. 2024-08-10."))
    return value


# JSON has no date, time or decimal type: these read a string (and, for amounts, a number) even
# in a strict body.
IsoDate = Annotated[
    datetime.date, Strict(False), BeforeValidator(_date_only), BeforeValidator(_not_a_timestamp)
]
IsoDateTime = Annotated[datetime.datetime, Strict(False), BeforeValidator(_not_a_timestamp)]
IsoTime = Annotated[datetime.time, Strict(False), BeforeValidator(_not_a_timestamp)]
Amount = Annotated[Decimal, Strict(False)]


class BodySchema(Schema):
    """A JSON request body, read strictly: a number is no string, `true` or `"5"` or `5.0` is
    no whole number, and `0` is no date (finding 9 of the outside review: lax coercion let
    `false` through as an integer). Every `...In` schema of the API is one."""

    model_config = ConfigDict(strict=True)


class ErrorItemOut(Schema):
    """One problem with a request: the field at fault (if any), a message and a code."""

    field: str | None
    message: str
    code: str


class ErrorOut(Schema):
    """Every error answer: a summary and the list of problems."""

    detail: str
    errors: list[ErrorItemOut]


class PageQuery(Schema):
    """Keyset pagination: the `next_cursor` of the previous page, and a page size."""

    cursor: Text(500) | None = Field(
        None, description="The `next_cursor` of the previous page; omit for the first page."
    )
    limit: int = Field(
        settings.API_PAGE_SIZE_DEFAULT,
        ge=1,
        le=settings.API_PAGE_SIZE_MAX,
        description="Rows per page.",
    )


class RefOut(Schema):
    """Another object named by id and name."""

    id: int
    name: str


class UserRefOut(Schema):
    """A member of staff."""

    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


# Error answers, so every operation declares each one it can give.
AUTH = {401: ErrorOut}
LIST = {401: ErrorOut, 422: ErrorOut}
READ = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CREATE = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def responses(ok: dict, errors: dict) -> dict:
    """The full response map of an operation: its success answers plus its error answers."""
    return {**ok, **errors}

"""Service errors named in the API's own words."""

from collections.abc import Iterator
from contextlib import contextmanager

from aftercare.lib.errors import ApplicationError


@contextmanager
def api_field_names(mapping: dict[str, str]) -> Iterator[None]:
    """Rename the field of a service error to the body field the client sent."""
    try:
        yield
    except ApplicationError as error:
        error.field = mapping.get(error.field or "", error.field)
        raise

"""Small helpers for reads on hot paths."""

from django.db.models import QuerySet


def unique_or_none(queryset: QuerySet):
    """The row a filter on a unique key finds, or None.

    Unlike `.first()` it adds no ORDER BY: on the pages read most, compiling that sort costs
    more than the query itself takes to run.
    """
    for row in queryset[:1]:
        return row
    return None

"""Small helpers for reads on hot paths."""

from collections.abc import Sequence

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet


def unique_or_none(queryset: QuerySet):
    """The row a filter on a unique key finds, or None.

    Unlike `.first()` it adds no ORDER BY: on the pages read most, compiling that sort costs
    more than the query itself takes to run.
    """
    for row in queryset[:1]:
        return row
    return None


class Columns:
    """The concrete columns of one model in a hand-written query, and the instance its values
    make.

    On the hottest reads (a public look-up answered on every request), compiling an ORM query
    that joins three models costs about ten times what running it does. Such a read can write
    its SQL once, list each model's columns with `select()`, and turn each row back into model
    instances with `instance()`: the values pass through the same converters the ORM applies
    (dates and times on SQLite, decimals), so the instances equal what the ORM would load.
    """

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = tuple(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.width = len(self.fields)
        self._pk_index = self.attnames.index(model._meta.pk.attname)
        self._converters: dict[str, list] = {}

    def select(self, connection: BaseDatabaseWrapper) -> str:
        """`alias.column, …` for a SELECT list, in the model's field order."""
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.alias)}.{quote(field.column)}" for field in self.fields)

    def _converters_for(self, connection: BaseDatabaseWrapper) -> list:
        converters = self._converters.get(connection.alias)
        if converters is None:
            converters = []
            for field in self.fields:
                column = field.get_col(self.alias)
                pairs = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                converters.append((column, pairs))
            self._converters[connection.alias] = converters
        return converters

    def instance(self, connection: BaseDatabaseWrapper, row: Sequence, start: int) -> Model | None:
        """The instance made of `row[start:start + width]`, or None when its key is NULL (a
        LEFT JOIN that found nothing)."""
        values = list(row[start : start + self.width])
        if values[self._pk_index] is None:
            return None
        for index, (column, converters) in enumerate(self._converters_for(connection)):
            value = values[index]
            for converter in converters:
                value = converter(value, column, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)

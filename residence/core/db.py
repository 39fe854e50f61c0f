"""Database helpers the ORM has no fast form of."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models, router


def _concrete(field: object) -> models.Field:
    """A field with a column of its own: a reverse relation or a missing key has none to write."""
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{field!r} is not a column of the table")
    return field


def _column(field: models.Field) -> str:
    return _concrete(field).column or ""


def rows_update(model: type[models.Model], objs: Iterable[models.Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of each object to its row, each row its own values.

    What ``QuerySet.bulk_update`` does, without building a CASE expression per field and row
    (for a batch of results that compilation cost more CPU than the database's work). On
    PostgreSQL one ``UPDATE ... FROM (VALUES ...)`` writes every row; elsewhere one prepared
    UPDATE runs once per row. Values are prepared by each field (JSON, UUIDs, time zones), as
    ``save()`` prepares them.
    """
    objs = list(objs)
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [_concrete(meta.get_field(name)) for name in fields]
    primary_key = _concrete(meta.pk)
    rows = [
        [obj.pk] + [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        for obj in objs
    ]
    table, pk = quote(meta.db_table), quote(_column(primary_key))
    # Only quoted names and types from the model are formatted into the SQL; values are parameters.
    if connection.vendor == "postgresql":
        # VALUES has no column types of its own: cast each value to its column's type.
        row = "({})".format(
            ", ".join(f"%s::{field.db_type(connection)}" for field in [primary_key, *columns])
        )
        names = ", ".join(quote(f"v_{_column(field)}") for field in [primary_key, *columns])
        sql = "UPDATE {t} SET {sets} FROM (VALUES {rows}) AS v ({names}) WHERE {t}.{pk} = v.{vpk}".format(  # noqa: S608
            t=table,
            sets=", ".join(
                f"{quote(_column(field))} = v.{quote('v_' + _column(field))}" for field in columns
            ),
            rows=", ".join([row] * len(rows)),
            names=names,
            pk=pk,
            vpk=quote(f"v_{_column(primary_key)}"),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for values in rows for value in values])
        return len(objs)
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        table, ", ".join(f"{quote(_column(field))} = %s" for field in columns), pk
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [values[1:] + values[:1] for values in rows])
    return len(objs)

"""Database helpers the ORM has no fast form of."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models, router


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
    columns = [meta.get_field(name) for name in fields]
    rows = [
        [obj.pk] + [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        for obj in objs
    ]
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    # Only quoted names and types from the model are formatted into the SQL; values are parameters.
    if connection.vendor == "postgresql":
        # VALUES has no column types of its own: cast each value to its column's type.
        row = "({})".format(", ".join(f"%s::{field.db_type(connection)}" for field in [meta.pk, *columns]))
        names = ", ".join(quote(f"v_{field.column}") for field in [meta.pk, *columns])
        sql = "UPDATE {t} SET {sets} FROM (VALUES {rows}) AS v ({names}) WHERE {t}.{pk} = v.{vpk}".format(  # noqa: S608
            t=table,
            sets=", ".join(f"{quote(field.column)} = v.{quote('v_' + field.column)}" for field in columns),
            rows=", ".join([row] * len(rows)),
            names=names,
            pk=pk,
            vpk=quote(f"v_{meta.pk.column}"),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for values in rows for value in values])
        return len(objs)
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        table, ", ".join(f"{quote(field.column)} = %s" for field in columns), pk
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [values[1:] + values[:1] for values in rows])
    return len(objs)

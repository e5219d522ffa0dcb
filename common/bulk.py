"""Batched inserts for synthetic volume (``seed_bulk``), shared by ``registry`` and ``licensing``.

Rows are inserted with explicit ids, bypassing model ``save`` and signals: callers pass every value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection, models

__all__ = ["insert_rows", "next_ids"]


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve ``count`` primary keys of ``model`` for rows inserted with explicit ids.

    On PostgreSQL they come from the table's own sequence, so ordinary inserts never collide with
    them. Elsewhere (SQLite) writers are serialised by the database lock held by the caller's
    transaction, so continuing from the largest id is safe.
    """
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk_column)}), 0) FROM {quote(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (values in the order of ``fields``, attribute names) into ``model``'s table.

    One statement per call: ``COPY`` on PostgreSQL (several times faster than INSERT for large
    batches), one ``executemany`` elsewhere. No model ``save``, no signals, no auto_now: callers
    pass every value, including timestamps.
    """
    if not rows:
        return
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model_fields)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            json_positions = [i for i, field in enumerate(model_fields) if isinstance(field, models.JSONField)]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if json_positions:
                        row = list(row)
                        for i in json_positions:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(row)
            return
        prepared = [
            tuple(field.get_db_prep_save(value, connection) for field, value in zip(model_fields, row, strict=True))
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(model_fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608

"""Kernel maintenance services."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

from fawang.core import pii


def encrypted_columns() -> list[tuple[type, list[str]]]:
    """Every model with encrypted fields, with those fields' column names."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.column for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if columns:
            found.append((model, columns))
    return found


def pii_rotate_all(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column with the primary key (first of ``PII_KEYS``).

    Works on raw tokens (no decrypt/encrypt round-trip through the models, no signals), in
    batches, each batch in its own transaction; safe to re-run after an interruption.
    Returns rows rewritten per model.
    """
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    for model, columns in encrypted_columns():
        table = quote(model._meta.db_table)
        pk = quote(model._meta.pk.column)
        cols = ", ".join(quote(c) for c in columns)
        last = None
        rewritten = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {cols} FROM {table} {where}ORDER BY {pk} LIMIT %s",
                    ([last] if last is not None else []) + [batch_size],
                )
                rows = cursor.fetchall()
                for row in rows:
                    values = [pii.rotate(v) if v else v for v in row[1:]]
                    if values != list(row[1:]):
                        sets = ", ".join(f"{quote(c)} = %s" for c in columns)
                        cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*values, row[0]])
                        rewritten += 1
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
        counts[model._meta.label] = rewritten
    return counts


def sqlite_wal_checkpoint() -> tuple[int, int, int] | None:
    """Copy the SQLite write-ahead log back into the database file, off the request path.

    SQLite checkpoints inside whichever commit crosses ``wal_autocheckpoint`` pages; with the
    default of 1,000 that was half the commit time of a case intake. Settings raise the
    threshold (``FAWANG_SQLITE_WAL_AUTOCHECKPOINT``, a safety net when no worker runs) and the
    huey worker calls this every minute. PASSIVE: it never waits for readers or writers.
    Returns SQLite's (busy, log pages, checkpointed pages), or ``None`` on other databases.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, log_pages, checkpointed = cursor.fetchone()
    return busy, log_pages, checkpointed

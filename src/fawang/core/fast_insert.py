"""Insert a new model row with an INSERT statement built once per model and database.

``Model.save()`` rebuilds its INSERT on every call (query object, compiler, quoting, field by
field). On the intake path — a party, a case, its event, its clock and its SMS, every request —
that rebuilding cost more than the database work itself. ``insert_new`` keeps the statement per
(model, database) and only prepares the values, with the same field hooks ``save()`` uses
(``pre_save`` for ``auto_now``/``auto_now_add``, ``get_db_prep_save`` for encryption, JSON and
datetimes), so the stored row is the row ``save()`` would store.

It falls back to ``save(force_insert=True)`` whenever that equivalence is not obvious: models
with ``pre_save``/``post_save`` receivers or multi-table parents, an explicit primary key,
``db_default`` or generated fields, expressions as values, or a database that cannot return the
new id from the INSERT.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections, router, transaction
from django.db.models import NOT_PROVIDED, Model
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)

_statements: dict[tuple[type[Model], str], tuple[str, list[Any]] | None] = {}


def _statement(model: type[Model], alias: str) -> tuple[str, list[Any]] | None:
    key = (model, alias)
    if key not in _statements:
        meta = model._meta
        connection = connections[alias]
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        usable = (
            meta.auto_field is not None
            and not meta.parents
            and connection.features.can_return_columns_from_insert
            and not any(getattr(f, "generated", False) or f.db_default is not NOT_PROVIDED for f in fields)
        )
        if not usable:
            _statements[key] = None
        else:
            qn = connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in fields)
            placeholders = ", ".join(["%s"] * len(fields))
            _statements[key] = (
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders}) "
                f"RETURNING {qn(meta.auto_field.column)}",
                fields,
            )
    return _statements[key]


def insert_new(obj: M, *, using: str | None = None) -> M:
    """INSERT ``obj`` (a new instance) and set its primary key; returns ``obj``."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)
    plan = _statement(model, alias)
    if plan is None or obj.pk is not None or pre_save.has_listeners(model) or post_save.has_listeners(model):
        obj.save(force_insert=True, using=alias)
        return obj
    obj._prepare_related_fields_for_save(operation_name="save")  # as save(): no unsaved related rows
    sql, fields = plan
    connection = connections[alias]
    params = []
    for field in fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            obj.save(force_insert=True, using=alias)
            return obj
        params.append(field.get_db_prep_save(value, connection=connection))
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = alias
    return obj

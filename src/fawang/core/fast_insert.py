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

from typing import TypeVar

from django.db import connections, router, transaction
from django.db.models import (
    NOT_PROVIDED,
    BigIntegerField,
    BooleanField,
    CharField,
    Field,
    IntegerField,
    Model,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallIntegerField,
    TextField,
)
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)

# Field classes whose ``get_db_prep_save`` returns a value of the listed exact Python types
# unchanged (``to_python`` of a str is the str, of an int the int); anything else — other
# types, field subclasses such as the encrypted fields — goes through the field's own hook.
_PLAIN_TYPES: dict[type[Field], tuple[type, ...]] = {
    CharField: (str,), TextField: (str,), BooleanField: (bool,),
    IntegerField: (int,), BigIntegerField: (int,), SmallIntegerField: (int,),
    PositiveIntegerField: (int,), PositiveSmallIntegerField: (int,), PositiveBigIntegerField: (int,),
}


def _plain_types(field: Field) -> tuple[type, ...]:
    if field.is_relation and field.many_to_one:  # the attname holds the target's key
        field = field.target_field
    if isinstance(field, AutoFieldMixin):
        return (int,)
    return _PLAIN_TYPES.get(type(field), ())


class _Plan:
    __slots__ = ("sql", "fields", "attnames", "plain", "hooked", "relations")
    plain: list[tuple[type, ...]]

    def __init__(self, sql: str, fields: list[Field]) -> None:
        self.sql = sql
        self.fields = fields
        self.attnames = [f.attname for f in fields]
        self.plain = [_plain_types(f) for f in fields]
        # Fields whose pre_save does more than read the attribute (auto_now/auto_now_add).
        self.hooked = [type(f).pre_save is not Field.pre_save for f in fields]
        self.relations = [f for f in fields if f.is_relation]


_plans: dict[tuple[type[Model], str], _Plan | None] = {}


def _statement(model: type[Model], alias: str) -> _Plan | None:
    key = (model, alias)
    if key not in _plans:
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
            _plans[key] = None
        else:
            qn = connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in fields)
            placeholders = ", ".join(["%s"] * len(fields))
            _plans[key] = _Plan(
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders}) "
                f"RETURNING {qn(meta.auto_field.column)}",
                fields,
            )
    return _plans[key]


def insert_new(obj: M, *, using: str | None = None) -> M:
    """INSERT ``obj`` (a new instance) and set its primary key; returns ``obj``."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)
    plan = _statement(model, alias)
    if plan is None or obj.pk is not None or pre_save.has_listeners(model) or post_save.has_listeners(model):
        obj.save(force_insert=True, using=alias)
        return obj
    values = obj.__dict__
    for field in plan.relations:  # as save(): refuse an unsaved related row, take a late-saved one's key
        related = field.get_cached_value(obj, default=None)
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(f"save() prohibited to prevent data loss due to unsaved related object '{field.name}'.")
        if values.get(field.attname) in field.empty_values:
            setattr(obj, field.name, related)
    connection = connections[alias]
    params = []
    for field, attname, plain, hooked in zip(plan.fields, plan.attnames, plan.plain, plan.hooked, strict=True):
        value = field.pre_save(obj, True) if hooked else values[attname]
        if value is None or type(value) in plain:
            params.append(value)
            continue
        if hasattr(value, "resolve_expression"):
            obj.save(force_insert=True, using=alias)
            return obj
        params.append(field.get_db_prep_save(value, connection=connection))
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = alias
    return obj

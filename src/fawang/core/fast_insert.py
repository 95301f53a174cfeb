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

``batched_inserts()`` goes one step further on PostgreSQL, where each statement is a round trip
to another process: inside the block, ``insert_new`` only queues the row, with a primary key
taken from a per-process block of ids reserved from the table's sequence (so foreign keys,
idempotency keys built from a new row's id and the caller's answer need no round trip), and the
queued rows go to the server as one statement when the block ends. Any other statement that
names a queued table, and every savepoint operation, sends the queue first, so what the block
reads or rolls back to is what immediate inserts would have given. Elsewhere (SQLite: an
in-process library, no round trips) the block changes nothing.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
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
    __slots__ = ("sql", "batch_head", "table", "fields", "attnames", "plain", "hooked", "relations")
    plain: list[tuple[type, ...]]

    def __init__(self, sql: str, batch_head: str, table: str, fields: list[Field]) -> None:
        self.sql = sql
        # For batched rows, whose key was reserved beforehand: "INSERT INTO t (pk, …) VALUES ",
        # completed with native placeholders where the row's place in the batch is known.
        self.batch_head = batch_head
        self.table = table
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
            table, pk = qn(meta.db_table), qn(meta.auto_field.column)
            # SQLite hands back the new rowid (the primary key) without a result row to read.
            returning = "" if connection.vendor == "sqlite" else f" RETURNING {pk}"
            _plans[key] = _Plan(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){returning}",
                f"INSERT INTO {table} ({pk}, {columns}) VALUES ",
                meta.db_table,
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
    batch = _active_batch(alias)
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
    if batch is not None:
        batch.queue(obj, plan, params)
        return obj
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        obj.pk = cursor.lastrowid if connection.vendor == "sqlite" else cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = alias
    return obj


# --------------------------------------------------------------------------- batched inserts

# How many ids one reservation takes from a table's sequence. Unused ids of a block are lost when
# the process ends (gaps are harmless: nothing reads meaning into ids, orderings are by time).
ID_BLOCK = 50

# Statements that create, release or roll back to a savepoint: the queue must reach the database
# before them, or a rollback to a savepoint could not undo rows queued after it.
_SAVEPOINT_PREFIXES = frozenset({"SAVEPOINT", "ROLLBACK ", "RELEASE S"})

_local = threading.local()  # per thread: ``batches`` {alias: _Batch}, ``id_pools`` {(table, alias): [ids]}


def _next_id(table: str, pk_column: str, alias: str) -> int:
    pools = getattr(_local, "id_pools", None)
    if pools is None:
        pools = _local.id_pools = {}
    pool = pools.get((table, alias))
    if not pool:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connections[alias].ops.quote_name(table), pk_column, ID_BLOCK],
            )
            pool = pools[(table, alias)] = [row[0] for row in cursor.fetchall()][::-1]
    return pool.pop()


class _Batch:
    """The rows a ``batched_inserts`` block has queued, in order, and the tables they go to."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.rows: list[tuple[Model, _Plan, list[Any]]] = []
        self.tables: set[str] = set()
        self.flushing = False

    def queue(self, obj: Model, plan: _Plan, params: list[Any]) -> None:
        obj.pk = _next_id(plan.table, obj._meta.pk.column, self.alias)
        obj._state.adding = False
        obj._state.db = self.alias
        self.rows.append((obj, plan, [obj.pk, *params]))
        self.tables.add(plan.table)

    def flush(self) -> None:
        """Send the queued rows as one statement (writable CTEs, one per row)."""
        if not self.rows:
            return
        rows = self.rows
        sql = _batch_statement(tuple(plan for _obj, plan, _params in rows))
        params = [value for _obj, _plan, row_params in rows for value in row_params]
        connection = connections[self.alias]
        self.flushing = True
        try:
            with transaction.mark_for_rollback_on_error(self.alias), _prepared_cursor(connection) as cursor:
                cursor.execute(sql, params)
        except BaseException:
            self.discard()
            raise
        finally:
            self.flushing = False
        self.rows, self.tables = [], set()

    def discard(self) -> None:
        """The block failed: its queued rows were never written, so they are new again."""
        for obj, _plan, _params in self.rows:
            obj.pk = None
            obj._state.adding = True
        self.rows, self.tables = [], set()

    def before_statement(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        """Execute wrapper: send the queue before anything that could see it or roll it back."""
        if self.rows and not self.flushing and (
            sql.lstrip()[:9].upper() in _SAVEPOINT_PREFIXES or any(t in sql for t in self.tables)
        ):
            self.flush()
        return execute(sql, params, many, context)


@functools.lru_cache(maxsize=256)
def _batch_statement(plans: tuple[_Plan, ...]) -> str:
    """The statement for a batch of this shape, with PostgreSQL's native ``$n`` placeholders."""
    statements, n = [], 0
    for plan in plans:
        width = len(plan.fields) + 1
        statements.append(plan.batch_head + "(" + ", ".join(f"${i}" for i in range(n + 1, n + width + 1)) + ")")
        n += width
    if len(statements) == 1:
        return statements[0]
    ctes = ", ".join(f"r{i} AS ({stmt})" for i, stmt in enumerate(statements[:-1]))
    return f"WITH {ctes} {statements[-1]}"


def _prepared_cursor(connection: Any) -> Any:
    """A cursor for batch statements: values sent apart, statement prepared on the server.

    Django's default psycopg cursor inlines every value into the SQL text (escaped on the
    client), and psycopg re-parses a long statement's placeholders on every call; for a batch
    of several rows (~70 values) that cost more than the rows' own preparation. A batch of the
    same shape is the same text every time, so it is prepared once per connection and then
    only executed. Django's wrapper stays around it (error translation, execute wrappers,
    query logging). Behind a pooler, this needs one that supports prepared statements
    (PgBouncer ≥ 1.21 with ``max_prepared_statements``).
    """
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparation off (None), which also refuses an explicit
        # ``prepare=True``. A threshold no query reaches keeps automatic preparation off (Django's
        # own cursors inline their values and never prepare) and lets these batches be prepared.
        raw.prepare_threshold = _EXPLICIT_PREPARE_ONLY
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_PreparedRawCursor(raw))


_EXPLICIT_PREPARE_ONLY = 2**62


class _PreparedRawCursor(psycopg.RawCursor):
    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                binary: bool | None = None) -> Any:
        return super().execute(query, params, prepare=True, binary=binary)


def _active_batch(alias: str) -> _Batch | None:
    batches = getattr(_local, "batches", None)
    return batches.get(alias) if batches else None


@contextmanager
def batched_inserts(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Send the block's ``insert_new`` rows in one statement at its end (PostgreSQL, in a transaction).

    Use it inside ``transaction.atomic()`` around a unit of work that inserts several rows: the
    rows get their primary keys at once and reach the database before the block is left, so the
    transaction commits them like any other write (a constraint violation raises at the end of
    the block). Outside a transaction, on other databases, or nested in another batch it is a
    plain block.
    """
    connection = connections[using]
    if (connection.vendor != "postgresql" or not connection.in_atomic_block
            or _active_batch(using) is not None):
        yield
        return
    batch = _Batch(using)
    batches = getattr(_local, "batches", None)
    if batches is None:
        batches = _local.batches = {}
    batches[using] = batch
    try:
        with connection.execute_wrapper(batch.before_statement):
            try:
                yield
            except BaseException:
                batch.discard()
                raise
            if connection.needs_rollback:
                batch.discard()  # the transaction is doomed anyway; writing would only fail
            else:
                batch.flush()
    finally:
        del batches[using]

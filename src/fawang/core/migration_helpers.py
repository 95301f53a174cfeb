"""Operations shared by several migrations (kept stable: old migrations import them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any


def drop_single_column_indexes(
    indexes: Mapping[str, Sequence[str]], like_indexes: Mapping[str, Sequence[str]] | None = None,
) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function dropping the plain one-column indexes of ``{table: [column]}``.

    Used with ``SeparateDatabaseAndState`` when ``db_index`` is switched off: Django's own
    ``AlterField`` makes SQLite rebuild the table, which drops triggers that other tables hang on
    it. The indexes are found by introspection, so their generated names need not be known.
    ``like_indexes``: on PostgreSQL, also the ``…_like`` (``varchar_pattern_ops``) copies of
    those columns, for columns never searched with LIKE.
    """
    like_indexes = like_indexes or {}

    def run(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for table in {*indexes, *like_indexes}:
                constraints = connection.introspection.get_constraints(cursor, table)
                for name, info in constraints.items():
                    if not info["index"] or info["unique"] or info["primary_key"] or len(info["columns"]) != 1:
                        continue
                    column = info["columns"][0]
                    plain = column in indexes.get(table, ())
                    like = (connection.vendor == "postgresql" and name.endswith("_like")
                            and column in like_indexes.get(table, ()))
                    if plain or like:
                        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    return run

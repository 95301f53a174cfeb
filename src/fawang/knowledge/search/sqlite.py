"""SQLite FTS5 backend: `knowledge_article_fts(body, heading)`, rowid = article id."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from .base import SearchBackend, SearchFilters, documents, filter_sql

TABLE = "knowledge_article_fts"
# bm25() column weights: the article text counts more than the law title / chapter line.
BM25 = f"bm25({TABLE}, 1.0, 0.4)"


def fts_query(terms: Sequence[str], *, any_term: bool) -> str:
    """Terms as FTS5 strings ("…", quotes doubled), joined by AND or OR."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    return (" OR " if any_term else " AND ").join(quoted)


class SQLiteFTS5Backend(SearchBackend):
    vendor = "sqlite"

    def index_articles(self, ids: Sequence[int]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        self.remove(ids)
        count = 0
        with connection.cursor() as cursor:
            batch: list[tuple[int, str, str]] = []
            for row in documents(ids):
                batch.append(row)
                if len(batch) >= 2000:
                    cursor.executemany(f"INSERT INTO {TABLE}(rowid, body, heading) VALUES (%s, %s, %s)", batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {TABLE}(rowid, body, heading) VALUES (%s, %s, %s)", batch)
                count += len(batch)
        return count

    def remove(self, ids: Sequence[int]) -> None:
        ids = list(ids)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def _match(self, terms: Sequence[str], *, any_term: bool, filters: SearchFilters, limit: int,
               offset: int, count: bool = True) -> tuple[list[tuple[int, float]], int]:
        where, params = filter_sql(filters)
        match = fts_query(terms, any_term=any_term)
        joins = ("JOIN knowledge_article a ON a.id = f.rowid JOIN knowledge_law l ON l.id = a.law_id "
                 if where else "")
        base = f"FROM {TABLE} f {joins}WHERE {TABLE} MATCH %s{where}"
        with connection.cursor() as cursor:
            # Laws in force first: citizens ask about the law in force (expired versions share
            # titles and most of their text with the current one).
            order = "l.in_force DESC, rank_" if where else "rank_"
            cursor.execute(f"SELECT f.rowid, {BM25} AS rank_ {base} ORDER BY {order} LIMIT %s OFFSET %s",
                           [match, *params, limit, offset])
            rows = [(int(aid), -float(score)) for aid, score in cursor.fetchall()]
            total = len(rows) + offset
            if count and (len(rows) == limit or offset):
                cursor.execute(f"SELECT count(*) {base}", [match, *params])
                total = cursor.fetchone()[0]
        return rows, total

"""PostgreSQL backend: `knowledge_article_search(article_id, document tsvector)` with GIN.

We write tsvector and tsquery *literals* built from our own segmentation instead of calling
to_tsvector('simple', …): PostgreSQL's text-search parser would split again and, depending on
the database's locale, may not treat CJK characters as letters. Literals make the index exactly
the words the segmenter produced, on any locale. The body is weight A, the heading weight B.
Ranking is ts_rank_cd (cover density) for all-word searches and ts_rank for any-word matches
(candidates, the fallback), where ts_rank_cd costs ~4x more per row. Neither weighs words by
rarity (no IDF), unlike FTS5's bm25(). RUM is not packaged by Debian, so GIN it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import connection

from .base import SearchBackend, SearchFilters, documents, filter_sql

TABLE = "knowledge_article_search"
MAX_POSITION = 16383  # tsvector positions are 1..16383
MAX_POSITIONS_PER_WORD = 64


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(body: str, heading: str) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for weight, text in (("A", body), ("B", heading)):
        for word in text.split():
            pos = min(pos + 1, MAX_POSITION)
            if len(positions[word]) < MAX_POSITIONS_PER_WORD:
                positions[word].append(f"{pos}{weight}")
    return " ".join(f"{_quote(w)}:{','.join(p)}" for w, p in positions.items())


def tsquery_literal(terms: Sequence[str], *, any_term: bool) -> str:
    return (" | " if any_term else " & ").join(_quote(t) for t in terms)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def index_articles(self, ids: Sequence[int]) -> int:
        ids = list(ids)
        count = 0
        with connection.cursor() as cursor:
            batch: list[tuple[int, str]] = []

            def flush() -> None:
                values = ",".join(["(%s, %s::tsvector)"] * len(batch))
                cursor.execute(
                    f"INSERT INTO {TABLE} (article_id, document) VALUES {values} "
                    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document",
                    [x for row in batch for x in row])

            for aid, body, heading in documents(ids):
                batch.append((aid, tsvector_literal(body, heading)))
                if len(batch) >= 500:
                    flush()
                    count += len(batch)
                    batch = []
            if batch:
                flush()
                count += len(batch)
        return count

    def remove(self, ids: Sequence[int]) -> None:
        ids = list(ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def _match(self, terms: Sequence[str], *, any_term: bool, filters: SearchFilters, limit: int,
               offset: int, count: bool = True) -> tuple[list[tuple[int, float]], int]:
        where, params = filter_sql(filters)
        query = tsquery_literal(terms, any_term=any_term)
        joins = ("JOIN knowledge_article a ON a.id = s.article_id JOIN knowledge_law l ON l.id = a.law_id "
                 if where else "")
        base = f"FROM {TABLE} s {joins}WHERE s.document @@ %s::tsquery{where}"
        with connection.cursor() as cursor:
            # Cover density (ts_rank_cd) rewards the words standing close together, which is
            # what an all-words search wants; for any-word matches (tens of thousands of rows
            # for a long question) plain ts_rank is ~4x cheaper and proximity means little.
            rank = "ts_rank" if any_term else "ts_rank_cd"
            cursor.execute(
                f"SELECT s.article_id, {rank}(s.document, %s::tsquery) AS rank_ {base} "
                f"ORDER BY {'l.in_force DESC, ' if where else ''}rank_ DESC, s.article_id LIMIT %s OFFSET %s",
                [query, query, *params, limit, offset])
            rows = [(int(aid), float(score)) for aid, score in cursor.fetchall()]
            total = len(rows) + offset
            if count and (len(rows) == limit or offset):
                cursor.execute(f"SELECT count(*) {base}", [query, *params])
                total = cursor.fetchone()[0]
        return rows, total

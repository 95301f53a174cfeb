"""The one search interface both backends implement, and what it returns."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from ..segment import query_terms, segment_for_index

INDEX_BATCH = 2000
SNIPPET_CHARS = 120


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on a search. `is_case=False` (the default) keeps case write-ups out of
    statute results; None means "both"."""

    level: str | None = None
    category: str | None = None
    in_force: bool | None = None
    law_id: int | None = None
    is_case: bool | None = False


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    law_id: int
    law_title: str
    label: str
    position: int  # the article's anchor on the law page: /laws/<law_id>/#a<position>
    score: float
    snippet: SafeString


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    terms: list[str]


def index_heading(article: Article) -> str:
    """Law title and article structure, indexed with a lower weight than the article text."""
    law = article.law
    return " ".join(p for p in (law.title, law.short_title, article.part, article.chapter,
                                article.section) if p)


def documents(ids: Sequence[int]) -> Iterable[tuple[int, str, str]]:
    """(article id, segmented body, segmented heading) for the given ids, in batches."""
    ids = list(ids)
    for start in range(0, len(ids), INDEX_BATCH):
        chunk = ids[start:start + INDEX_BATCH]
        qs = (Article.objects.filter(id__in=chunk).select_related("law")
              .only("id", "text", "part", "chapter", "section", "law__title", "law__short_title"))
        for article in qs:
            yield article.id, segment_for_index(article.text), segment_for_index(index_heading(article))


def highlight(text: str, terms: Sequence[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """An HTML-escaped window of `text` around the first term found, terms wrapped in <mark>.

    Done in Python on the original text (not by the engine on segmented text) so that both
    backends give the same snippet and Chinese is shown without the index's spaces.
    """
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - width // 4) if first else 0
    window = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    if not pattern:
        return mark_safe(prefix + html.escape(window) + suffix)  # escaped above
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(window):
        out.append(html.escape(window[pos:match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        pos = match.end()
    out.append(html.escape(window[pos:]))
    return mark_safe(prefix + "".join(out) + suffix)  # every piece escaped


class SearchBackend:
    """Full-text search over articles. Subclasses implement the storage-specific parts."""

    vendor = ""

    def index_articles(self, ids: Sequence[int]) -> int:
        """(Re)index these articles; returns how many were indexed."""
        raise NotImplementedError

    def remove(self, ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def _match(self, terms: Sequence[str], *, any_term: bool, filters: SearchFilters, limit: int,
               offset: int, count: bool = True) -> tuple[list[tuple[int, float]], int]:
        """(article id, score higher-is-better) for one page, and the total match count."""
        raise NotImplementedError

    def candidates(self, query_terms: list[str], limit: int = 1000) -> list[tuple[int, float]]:
        """Statute articles (no cases) containing any of the terms, best first: (id, score).

        For the citizens' question ranker (knowledge.retrieval), which rescores them itself.
        """
        terms = [t.lower() for t in query_terms if t and t.strip()]
        if not terms:
            return []
        # Without filters the backends skip the join to the article/law tables (~40% of the
        # time); the few case write-up articles are dropped here instead.
        case_ids = set(Article.objects.filter(law__is_case=True).values_list("id", flat=True))
        rows, _ = self._match(terms, any_term=True, filters=SearchFilters(is_case=None),
                              limit=limit + len(case_ids), offset=0, count=False)
        rows = [row for row in rows if row[0] not in case_ids][:limit]
        # Index rows whose article is gone (a flush of the model tables leaves them) are dropped.
        existing = set(Article.objects.filter(id__in=[r[0] for r in rows]).values_list("id", flat=True))
        return [row for row in rows if row[0] in existing]

    def search(self, query: str, *, filters: SearchFilters | None = None, limit: int = 20,
               offset: int = 0) -> SearchResult:
        """Articles containing all the query's words (any of them if none has all), ranked,
        each with a highlighted snippet."""
        filters = filters or SearchFilters()
        terms = query_terms(query)
        if not terms:
            return SearchResult(hits=[], total=0, terms=[])
        rows, total = self._match(terms, any_term=False, filters=filters, limit=limit, offset=offset)
        if total == 0 and len(terms) > 1:
            rows, total = self._match(terms, any_term=True, filters=filters, limit=limit,
                                      offset=offset)
        articles = Article.objects.select_related("law").in_bulk([r[0] for r in rows])
        highlight_terms = terms + [w for t in terms for w in segment_for_index(t).split() if len(w) > 1]
        hits = [
            SearchHit(article_id=aid, law_id=articles[aid].law_id, law_title=articles[aid].law.title,
                      label=articles[aid].label, position=articles[aid].position, score=score,
                      snippet=highlight(articles[aid].text, highlight_terms))
            for aid, score in rows if aid in articles
        ]
        return SearchResult(hits=hits, total=total, terms=terms)


def filter_sql(filters: SearchFilters) -> tuple[str, list]:
    """WHERE fragments on knowledge_law (alias l) and knowledge_article (alias a)."""
    clauses: list[str] = []
    params: list = []
    if filters.level:
        clauses.append("l.level = %s")
        params.append(filters.level)
    if filters.category:
        clauses.append("l.category = %s")
        params.append(filters.category)
    if filters.in_force is not None:
        clauses.append("l.in_force = %s")
        params.append(filters.in_force)
    if filters.law_id is not None:
        clauses.append("a.law_id = %s")
        params.append(filters.law_id)
    if filters.is_case is not None:
        clauses.append("l.is_case = %s")
        params.append(filters.is_case)
    return "".join(f" AND {c}" for c in clauses), params


def purge_orphans(connection) -> int:
    """Delete index rows without an article; returns how many (0 where there is no index)."""
    statements = {
        "sqlite": "DELETE FROM knowledge_article_fts WHERE rowid NOT IN (SELECT id FROM knowledge_article)",
        "postgresql": "DELETE FROM knowledge_article_search s WHERE NOT EXISTS "
                      "(SELECT 1 FROM knowledge_article a WHERE a.id = s.article_id)",
    }
    sql = statements.get(connection.vendor)
    if sql is None or "knowledge_article" not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return max(cursor.rowcount, 0)

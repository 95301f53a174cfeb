"""Reads for the public law pages. Laws are public: no viewer scoping, hence no `user` here."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, QuerySet

from fawang.core.errors import NotFoundOrForbidden

from .models import Article, Law, LawLevel
from .parsing import chinese_numeral
from .search import SearchFilters, SearchResult, get_backend
from .segment import query_terms

LAWS_PER_PAGE = 30
HITS_PER_PAGE = 20
RELATED_SAME_CHAPTER = 4
RELATED_SIMILAR = 5
QUESTION_MATCHES = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LawQuery:
    """The law list's filters, already validated (unknown values are dropped, never errors)."""

    q: str = ""
    level: str = ""
    category: str = ""
    in_force: bool | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params) -> LawQuery:
        level = params.get("level", "")
        in_force = {"1": True, "0": False}.get(params.get("in_force", ""))
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        return cls(q=params.get("q", "").strip()[:100],
                   level=level if level in LawLevel.values else "",
                   category=params.get("category", "").strip()[:50], in_force=in_force, page=page)

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(level=self.level or None, category=self.category or None,
                             in_force=self.in_force,
                             is_case=None if self.level == LawLevel.CASE else False)


def law_list(*, query: LawQuery) -> Page:
    """Laws matching the filters (and the keyword in the title), in force first, newest first."""
    laws: QuerySet[Law] = Law.objects.annotate(article_count=Count("articles"))
    if query.level:
        laws = laws.filter(level=query.level)
    else:
        laws = laws.filter(is_case=False)
    if query.category:
        laws = laws.filter(category=query.category)
    if query.in_force is not None:
        laws = laws.filter(in_force=query.in_force)
    if query.q:
        laws = laws.filter(title__icontains=query.q)
    laws = laws.order_by("-in_force", "title", "-publish_date")
    return Paginator(laws, LAWS_PER_PAGE).get_page(query.page)


def article_search(*, query: LawQuery) -> SearchResult:
    """Articles matching the keywords under the same filters, with highlighted snippets."""
    if not query.q:
        return SearchResult(hits=[], total=0, terms=[])
    return get_backend().search(query.q, filters=query.filters, limit=HITS_PER_PAGE,
                                offset=(query.page - 1) * HITS_PER_PAGE)


def articles_first(*, query: LawQuery) -> tuple[list[Article], list[Article]]:
    """What the first page of a search shows above the keyword hits: (the article a typed
    citation names, the engine's best articles for the query read as a question). A citation is
    answered by the article itself, so the engine is not asked then."""
    if not query.q or query.page != 1:
        return [], []
    cited = article_lookup(q=query.q)
    return cited, [] if cited else question_matches(query=query)


def question_matches(*, query: LawQuery, limit: int = QUESTION_MATCHES) -> list[Article]:
    """The articles the statute-retrieval engine ranks best for the query read as a question.

    Keyword hits are ordered by the words typed, which serves "加班费" but not a citizen's
    "老板不给工资怎么办": the trained ranker that consultations use finds the statutes such a
    question needs far more often (docs/benchmarks.md, "Statute retrieval": R@10 0.73 against
    0.45 for BM25). So the first page shows its best articles above the keyword hits, under the
    same filters. Articles in force unless the visitor asked for repealed ones: the law a citizen
    is shown first must be the law that applies. Empty for case searches (the engine indexes
    statutes only), when no engine is loaded, and when the engine fails (the keyword hits still
    answer). Which page asks is ``articles_first``'s business.
    """
    if query.level == LawLevel.CASE:
        return []
    from fawang.knowledge.retrieval.engine import search_articles

    filters: dict = {"in_force": True} if query.in_force is not False else {}
    if query.level:
        filters["levels"] = [query.level]
    # Category and "repealed only" are not engine filters, and the engine groups the lower
    # levels (部门规章, 地方性法规 …) as one: ask for more and filter exactly here.
    wanted = limit * 10 if query.category or query.level or query.in_force is False else limit
    try:
        ids = [hit.article_id for hit in search_articles(query.q, limit=wanted, filters=filters)]
    except Exception:  # the page must not fail with the engine; log it for the operators
        logger.exception("statute retrieval failed on the law search page")
        return []
    articles = Article.objects.select_related("law").filter(id__in=ids)
    if query.level:
        articles = articles.filter(law__level=query.level)
    if query.category:
        articles = articles.filter(law__category=query.category)
    if query.in_force is False:
        articles = articles.filter(law__in_force=False)
    found = {article.id: article for article in articles}
    return [found[i] for i in ids if i in found][:limit]


_CITATION = re.compile(r"^\s*《?(?P<law>[^《》\s]{2,60}?)》?\s*第(?P<num>[零〇一二两三四五六七八九十百千\d]+)条"
                       r"(?:之(?P<sub>[一二三四五六七八九十]+))?")
CITATION_LIMIT = 5


def article_lookup(*, q: str) -> list[Article]:
    """Direct hits for a citation typed as a query: "劳动合同法第三十九条", "《民法典》第1079条".

    The law part matches the title or short title (in force first, then newest), so the
    visitor lands on the article itself instead of a list of every article mentioning it.
    """
    match = _CITATION.match(q)
    if not match:
        return []
    try:
        number = chinese_numeral(match.group("num"))
        sub = chinese_numeral(match.group("sub")) if match.group("sub") else 0
    except ValueError:
        return []
    name = match.group("law").removeprefix("中华人民共和国")
    return list(
        Article.objects.select_related("law")
        .filter(number=number, sub_number=sub, law__is_case=False)
        .filter(models.Q(law__title__contains=name) | models.Q(law__short_title__contains=name))
        .order_by("-law__in_force", "law__title", "-law__publish_date")[:CITATION_LIMIT]
    )


def law_categories() -> list[str]:
    return list(Law.objects.exclude(category="").values_list("category", flat=True)
                .distinct().order_by("category"))


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1 part (编), 2 chapter (章), 3 section (节)
    title: str
    position: int  # anchor of the first article under it


def law_get(*, law_id: int) -> Law:
    try:
        return Law.objects.get(id=law_id)
    except Law.DoesNotExist as exc:
        raise NotFoundOrForbidden() from exc


def law_versions(*, law: Law) -> list[Law]:
    """Other versions of the same law (same title and short title, e.g. before an amendment)."""
    return list(Law.objects.filter(title=law.title, short_title=law.short_title, is_case=law.is_case)
                .exclude(id=law.id).order_by("-publish_date")[:10])


def law_toc(articles: list[Article]) -> list[TocEntry]:
    """Table of contents from the part/chapter/section strings carried by every article."""
    toc: list[TocEntry] = []
    last = ("", "", "")
    for article in articles:
        current = (article.part, article.chapter, article.section)
        for level, (old, new) in enumerate(zip(last, current, strict=True), start=1):
            if new != old:
                # A change at one level restarts the levels below it.
                for deeper in range(level, 4):
                    title = current[deeper - 1]
                    if title:
                        toc.append(TocEntry(level=deeper, title=title, position=article.position))
                break
        last = current
    return toc


def article_get(*, article_id: int) -> Article:
    try:
        return Article.objects.select_related("law").get(id=article_id)
    except Article.DoesNotExist as exc:
        raise NotFoundOrForbidden() from exc


def related_articles(*, article: Article) -> tuple[list[Article], list[Article]]:
    """(neighbours in the same chapter, similar articles of other laws in force by search).

    Similarity is the full-text backend's OR-query over the article's own words, so it needs
    no extra index; a law's own articles are left out (its neighbours are listed already).
    """
    same_chapter: list[Article] = []
    if article.chapter or article.section:
        siblings = (Article.objects.filter(law_id=article.law_id, part=article.part,
                                           chapter=article.chapter, section=article.section)
                    .exclude(id=article.id).only("id", "label", "position", "text", "law_id"))
        same_chapter = sorted(siblings, key=lambda a: abs(a.position - article.position))[
            :RELATED_SAME_CHAPTER]
        same_chapter.sort(key=lambda a: a.position)
    terms = [t for t in query_terms(article.text) if len(t) > 1][:24]
    similar: list[Article] = []
    if terms:
        ids = [aid for aid, _ in get_backend().candidates(terms, limit=40) if aid != article.id]
        found = Article.objects.select_related("law").in_bulk(ids)
        for aid in ids:
            candidate = found.get(aid)
            if candidate and candidate.law_id != article.law_id and candidate.law.in_force:
                similar.append(candidate)
            if len(similar) >= RELATED_SIMILAR:
                break
    return same_chapter, similar

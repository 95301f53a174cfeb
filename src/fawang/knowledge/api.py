"""Public law API: the same reads as the law pages (search, a law with its articles, an article)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from fawang.knowledge import selectors
from fawang.knowledge.models import Article, Law

router = Router(tags=["法律法规"])


class HitOut(Schema):
    article_id: int
    law_id: int
    law_title: str
    label: str
    score: float
    snippet_html: str
    url: str


class ArticleOut(Schema):
    id: int
    law_id: int
    law_title: str
    label: str
    number: int
    sub_number: int
    part: str
    chapter: str
    section: str
    text: str
    url: str


class SearchOut(Schema):
    total: int
    terms: list[str]
    page: int
    hits: list[HitOut]
    cited: list[ArticleOut]
    question_matches: list[ArticleOut]


class LawOut(Schema):
    id: int
    title: str
    short_title: str
    level: str
    level_label: str
    category: str
    publish_date: dt.date | None
    valid_from: dt.date | None
    in_force: bool
    region_code: str
    is_case: bool
    history: str
    articles: list[ArticleOut]


def _article(article: Article, law: Law) -> dict[str, Any]:
    return {"id": article.id, "law_id": law.id, "law_title": law.title, "label": article.label,
            "number": article.number, "sub_number": article.sub_number, "part": article.part,
            "chapter": article.chapter, "section": article.section, "text": article.text,
            "url": f"/laws/article/{article.id}/"}


@router.get("/search", response=SearchOut, summary="条文全文检索",
            description="参数：q 关键词；level 效力级别；category 分类；in_force 1/0；page 页码（每页 20 条）。"
                        "第 1 页另有 cited（q 为“某法第X条”时直达该条）和 question_matches（把 q 当作问题，"
                        "智能检索排出的最相关 5 条，与网页相同）")
def search(request: HttpRequest) -> dict[str, Any]:
    query = selectors.LawQuery.from_params(request.GET)
    result = selectors.article_search(query=query)
    cited, matches = selectors.articles_first(query=query)
    return {"total": result.total, "terms": result.terms, "page": query.page, "hits": [
        {"article_id": h.article_id, "law_id": h.law_id, "law_title": h.law_title, "label": h.label,
         "score": h.score, "snippet_html": str(h.snippet), "url": f"/laws/{h.law_id}/#a{h.position}"}
        for h in result.hits],
        "cited": [_article(a, a.law) for a in cited], "question_matches": [_article(a, a.law) for a in matches]}


@router.get("/laws/{law_id}", response=LawOut, summary="法律法规全文")
def law(request: HttpRequest, law_id: int) -> dict[str, Any]:
    item = selectors.law_get(law_id=law_id)
    return {"id": item.id, "title": item.title, "short_title": item.short_title, "level": item.level,
            "level_label": str(item.get_level_display()), "category": item.category,
            "publish_date": item.publish_date, "valid_from": item.valid_from, "in_force": item.in_force,
            "region_code": item.region_code, "is_case": item.is_case, "history": item.history,
            "articles": [_article(a, item) for a in item.articles.order_by("position")]}


@router.get("/articles/{article_id}", response=ArticleOut, summary="单条法条")
def article(request: HttpRequest, article_id: int) -> dict[str, Any]:
    item = selectors.article_get(article_id=article_id)
    return _article(item, item.law)

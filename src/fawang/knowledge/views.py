"""Public law pages (法律法规查询): list + keyword search, law page, article page. No login."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fawang.core.errors import NotFoundOrForbidden

from . import selectors
from .models import LawLevel


@require_GET
def law_index(request: HttpRequest) -> HttpResponse:
    query = selectors.LawQuery.from_params(request.GET)
    cited, matches = selectors.articles_first(query=query)
    context = {
        "query": query,
        "laws": selectors.law_list(query=query),
        "result": selectors.article_search(query=query),
        "cited": cited,
        "matches": matches,
        "levels": LawLevel.choices,
        "categories": selectors.law_categories(),
        "hits_per_page": selectors.HITS_PER_PAGE,
    }
    result = context["result"]
    context["has_next_hits"] = result.total > query.page * selectors.HITS_PER_PAGE
    # htmx swaps only the results; without JavaScript the whole page is served.
    template = "knowledge/_results.html" if request.headers.get("HX-Request") else "knowledge/law_index.html"
    return render(request, template, context)


@require_GET
def law_detail(request: HttpRequest, law_id: int) -> HttpResponse:
    try:
        law = selectors.law_get(law_id=law_id)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    articles = list(law.articles.order_by("position"))
    return render(request, "knowledge/law_detail.html", {
        "law": law, "articles": articles, "toc": selectors.law_toc(articles),
        "versions": selectors.law_versions(law=law),
    })


@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    try:
        article = selectors.article_get(article_id=article_id)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    same_chapter, similar = selectors.related_articles(article=article)
    return render(request, "knowledge/article_detail.html", {
        "article": article, "law": article.law, "same_chapter": same_chapter, "similar": similar,
    })

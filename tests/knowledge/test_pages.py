"""Public law pages: list, search (full page and htmx fragment), law page, article page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from fawang.knowledge.models import Article, Law
from fawang.knowledge.services import import_laws

pytestmark = pytest.mark.django_db


@pytest.fixture
def laws(national_dir: Path, henan_dir: Path) -> Law:
    import_laws(dirs=[national_dir, henan_dir])
    return Law.objects.get(source="national/社会法/劳动示例法(2021-06-01).md")


def test_list_is_public_and_filters(client, laws):
    page = client.get(reverse("knowledge:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "中华人民共和国劳动示例法" in html and "河南省法律援助示例条例" in html
    assert "加班费争议如何举证" not in html  # cases only when asked for
    local = client.get(reverse("knowledge:index"), {"level": "local_regulation"}).content.decode()
    assert "河南省法律援助示例条例" in local and "劳动示例法" not in local
    expired = client.get(reverse("knowledge:index"), {"in_force": "0"}).content.decode()
    assert "已失效" in expired and "河南省" not in expired
    cases = client.get(reverse("knowledge:index"), {"level": "case"}).content.decode()
    assert "加班费争议如何举证" in cases
    # Junk parameters are ignored, not errors.
    assert client.get(reverse("knowledge:index"), {"level": "x", "page": "y", "in_force": "z"}).status_code == 200


def test_keyword_search_highlights_and_links_to_anchor(client, laws):
    response = client.get(reverse("knowledge:index"), {"q": "加班费"})
    html = response.content.decode()
    second = laws.articles.get(number=2)
    assert "<mark>加班费</mark>" in html
    assert f'href="/laws/{laws.id}/#a{second.position}"' in html
    assert f'href="/laws/article/{second.id}/"' in html
    assert "<html" in html  # full page without JavaScript


def test_htmx_request_gets_only_the_results(client, laws):
    response = client.get(reverse("knowledge:index"), {"q": "调解"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<mark>" in html and "第一百零一条" in html


def test_law_page_toc_and_anchors(client, laws):
    response = client.get(reverse("knowledge:law", args=[laws.id]))
    assert response.status_code == 200
    html = response.content.decode()
    for article in laws.articles.all():
        assert f'id="a{article.position}"' in html
        assert f'href="/laws/article/{article.id}/"' in html
    toc = html[html.index('class="toc"'):html.index("</nav>", html.index('class="toc"'))]
    assert 'href="#a1">第一章 总则' in toc
    assert 'class="toc-2"><a href="#a3">第二章 劳动争议' in toc
    assert 'class="toc-3"><a href="#a3">第一节 调解' in toc
    assert 'class="toc-3"><a href="#a5">第二节 仲裁' in toc
    assert "2021-07-01" in html  # 施行日期
    old = Law.objects.get(source__endswith="(2015-01-01).md")
    assert f'href="/laws/{old.id}/"' in html  # other version linked


def test_article_page_with_related(client, laws):
    article = laws.articles.get(number=101, sub_number=0)
    response = client.get(reverse("knowledge:article", args=[article.id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "第一百零一条" in html and "人民调解委员会" in html
    same = laws.articles.get(number=101, sub_number=1)
    assert f'/laws/article/{same.id}/' in html  # same section
    assert f'href="/laws/{laws.id}/#a{article.position}"' in html


def test_missing_pages_are_404(client, laws):
    assert client.get(reverse("knowledge:law", args=[999999])).status_code == 404
    assert client.get(reverse("knowledge:article", args=[999999])).status_code == 404
    assert client.post(reverse("knowledge:index")).status_code == 405
    assert Article.objects.exists()


def test_admin_lists_searches_and_keeps_index_in_sync(admin_client, laws):
    from fawang.knowledge.search import get_backend

    assert admin_client.get("/admin/knowledge/law/", {"q": "劳动示例"}).status_code == 200
    assert admin_client.get("/admin/knowledge/law/", {"level__exact": "law"}).status_code == 200
    response = admin_client.get("/admin/knowledge/article/", {"q": "加班费"})
    assert response.status_code == 200 and "第二条" in response.content.decode()
    article = laws.articles.get(number=2)
    change = admin_client.post(f"/admin/knowledge/article/{article.id}/change/",
                               {"text": "用人单位应当支付延时工作报酬。"})
    assert change.status_code == 302
    assert [h.article_id for h in get_backend().search("延时工作报酬").hits] == [article.id]
    ids = list(laws.articles.values_list("id", flat=True))
    delete = admin_client.post(f"/admin/knowledge/law/{laws.id}/delete/", {"post": "yes"})
    assert delete.status_code == 302 and not Law.objects.filter(id=laws.id).exists()
    assert not set(ids) & {aid for aid, _ in get_backend().candidates(["延时", "劳动", "调解"])}


def test_public_api(client, laws):
    result = client.get("/api/knowledge/search", {"q": "加班费"}).json()
    second = laws.articles.get(number=2)
    hit = next(h for h in result["hits"] if h["article_id"] == second.id)
    assert "<mark>加班费</mark>" in hit["snippet_html"]
    assert hit["url"] == f"/laws/{laws.id}/#a{second.position}"
    law = client.get(f"/api/knowledge/laws/{laws.id}").json()
    assert law["title"] == "中华人民共和国劳动示例法" and len(law["articles"]) == 5
    assert law["articles"][3]["label"] == "第一百零一条之一"
    one = client.get(f"/api/knowledge/articles/{second.id}").json()
    assert one["law_title"] == "中华人民共和国劳动示例法" and "加班费" in one["text"]
    assert client.get("/api/knowledge/articles/999999").status_code == 404


def test_citation_query_lands_on_the_article(client, laws):
    from fawang.knowledge.selectors import article_lookup

    sub = laws.articles.get(number=101, sub_number=1)
    assert [a.id for a in article_lookup(q="劳动示例法第一百零一条之一")] == [sub.id]
    current_first = article_lookup(q="《中华人民共和国劳动示例法》第1条")
    assert [a.law.in_force for a in current_first] == [True, False]  # the version in force first
    assert article_lookup(q="加班费") == [] and article_lookup(q="不存在法第一条") == []
    html = client.get(reverse("knowledge:index"), {"q": "劳动示例法第一百零一条之一"}).content.decode()
    assert "直达条文" in html and f'href="/laws/{laws.id}/#a{sub.position}"' in html
    assert "与您的问题最相关的条文" not in html  # the article itself answers a citation
    api = client.get("/api/knowledge/search", {"q": "劳动示例法第一百零一条之一"}).json()
    assert [a["id"] for a in api["cited"]] == [sub.id] and api["question_matches"] == []


def test_search_shows_the_engines_best_articles_for_a_question(client, corpus):
    """A citizen's question gets the retrieval engine's ranking above the keyword hits, under the
    page's filters; a later page does not ask the engine again."""
    url = reverse("knowledge:index")
    html = client.get(url, {"q": "公司不及时支付劳动报酬怎么办"}).content.decode()
    assert "与您的问题最相关的条文" in html
    matches = html.split("与您的问题最相关的条文")[1].split("含有关键词的条文")[0]
    assert "中华人民共和国劳动合同法 第三十条" in matches
    # The superseded 2007 text and repealed laws are not offered as the law that applies.
    old = Article.objects.get(law__source__endswith="(2007).md")
    assert f"/laws/article/{old.id}/" not in matches
    assert "/consult/?q=" in matches  # one tap to a consultation with the question carried over
    # Filters apply, exactly: the corpus has laws only, no category of that name, and no repealed
    # law the index keeps (the 2007 text is superseded, not merely repealed).
    for params in ({"level": "local_regulation"}, {"level": "departmental_rule"}, {"category": "无此分类"},
                   {"in_force": "0"}):
        page = client.get(url, {"q": "公司不及时支付劳动报酬怎么办", **params}).content.decode()
        assert "与您的问题最相关的条文" not in page, params
    assert "与您的问题最相关的条文" in client.get(url, {"q": "公司不及时支付劳动报酬怎么办", "level": "law"}).content.decode()
    assert "与您的问题最相关的条文" not in client.get(url, {"q": "公司不及时支付劳动报酬", "page": "2"}).content.decode()
    # The public API gives the same articles, in the same order.
    api = client.get("/api/knowledge/search", {"q": "公司不及时支付劳动报酬怎么办"}).json()
    best = [(a["law_title"], a["label"]) for a in api["question_matches"]]
    assert ("中华人民共和国劳动合同法", "第三十条") in best and api["cited"] == []
    assert all(f'/laws/article/{a["id"]}/' in matches for a in api["question_matches"])
    assert [a["id"] for a in api["question_matches"]] == [
        int(chunk.split("/")[0]) for chunk in matches.split("/laws/article/")[1:]]


def test_search_page_survives_a_failing_engine(client, corpus, monkeypatch):
    from fawang.knowledge.retrieval import engine

    def broken(*args, **kwargs):
        raise RuntimeError("index files unreadable")

    monkeypatch.setattr(engine, "search_articles", broken)
    response = client.get(reverse("knowledge:index"), {"q": "公司不及时支付劳动报酬怎么办"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "与您的问题最相关的条文" not in html and "条文检索" in html


def test_consultation_form_takes_the_question_from_the_search_page(client, db):
    html = client.get(reverse("consultation:index"), {"q": "老板不给工资怎么办"}).content.decode()
    assert ">老板不给工资怎么办</textarea>" in html

"""Full-text search through the vendor's backend (FTS5 on SQLite, GIN tsvector on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from fawang.knowledge.models import Article, Law, LawLevel
from fawang.knowledge.search import SearchFilters, get_backend, highlight
from fawang.knowledge.segment import query_terms, segment_for_index
from fawang.knowledge.services import import_laws, reindex_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(national_dir: Path, henan_dir: Path) -> None:
    import_laws(dirs=[national_dir, henan_dir])


def test_backend_follows_vendor():
    backend = get_backend()
    assert backend.vendor == connection.vendor


def test_segmentation_uses_legal_terms():
    # From the shipped user dictionary: the whole term survives as one word in precise mode,
    # and search mode adds its pieces so a query for a piece finds it too.
    assert "劳动争议仲裁委员会" in query_terms("向劳动争议仲裁委员会申请仲裁")
    words = segment_for_index("劳动争议仲裁委员会").split()
    assert "劳动争议仲裁委员会" in words and "仲裁" in words
    assert query_terms("请问，的了！") == []


def test_search_ranks_and_highlights(imported):
    result = get_backend().search("加班费")
    labels = [(h.law_title, h.label) for h in result.hits]
    assert ("中华人民共和国劳动示例法", "第二条") in labels
    hit = next(h for h in result.hits if h.label == "第二条")
    assert "<mark>加班费</mark>" in hit.snippet
    # Cases stay out of statute search unless asked for.
    assert all(h.law_title != "加班费争议如何举证" for h in result.hits)
    cases = get_backend().search("加班费", filters=SearchFilters(is_case=True))
    assert {h.law_title for h in cases.hits} == {"加班费争议如何举证"}


def test_search_words_found_inside_longer_words(imported):
    # 调解 is inside 人民调解委员会 (search-mode segmentation at index time).
    hits = get_backend().search("调解").hits
    assert any(h.label == "第一百零一条" for h in hits)


def test_all_words_first_then_any(imported):
    backend = get_backend()
    both = backend.search("劳动争议 时效")
    assert [h.label for h in both.hits] == ["第一百零一条之一"]
    # No article has both words: fall back to articles with any of them.
    either = backend.search("时效 法律援助")
    assert {h.label for h in either.hits} >= {"第一百零一条之一", "第一条"}


def test_filters(imported):
    backend = get_backend()
    law = Law.objects.get(source="national/社会法/劳动示例法(2021-06-01).md")
    assert {h.law_id for h in backend.search("劳动者", filters=SearchFilters(law_id=law.id)).hits} == {law.id}
    assert backend.search("旧法条文", filters=SearchFilters(in_force=True)).total == 0
    assert backend.search("旧法条文", filters=SearchFilters(in_force=False)).total == 1
    local = backend.search("法律援助", filters=SearchFilters(level=LawLevel.LOCAL_REGULATION))
    assert [h.law_title for h in local.hits] == ["河南省法律援助示例条例"]
    assert backend.search("法律援助", filters=SearchFilters(category="社会法")).total == 0


def test_pagination_and_total(imported):
    backend = get_backend()
    full = backend.search("劳动")
    assert full.total == len(full.hits) >= 4
    page = backend.search("劳动", limit=2, offset=2)
    assert page.total == full.total
    assert [h.article_id for h in page.hits] == [h.article_id for h in full.hits[2:4]]


def test_candidates_for_the_ranker(imported):
    backend = get_backend()
    rows = backend.candidates(["加班费", "仲裁"], limit=10)
    ids = [aid for aid, _ in rows]
    scores = [score for _, score in rows]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    texts = dict(Article.objects.filter(id__in=ids).values_list("id", "text"))
    assert all("加班费" in texts[i] or "仲裁" in texts[i] for i in ids)
    assert not Article.objects.filter(id__in=ids, law__is_case=True).exists()
    assert backend.candidates([]) == []


def test_remove_and_reindex(imported):
    backend = get_backend()
    article = Article.objects.get(label="第一百零一条之一")
    backend.remove([article.id])
    assert backend.search("时效").total == 0
    assert reindex_all() == Article.objects.count()
    assert backend.search("时效").total == 1


def test_highlight_escapes_html():
    snippet = highlight("<b>加班费</b> 与 加班", ["加班费", "加班"])
    assert snippet == "&lt;b&gt;<mark>加班费</mark>&lt;/b&gt; 与 <mark>加班</mark>"
    long = "甲" * 200 + "关键" + "乙" * 200
    cut = highlight(long, ["关键"], width=40)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>关键</mark>" in cut


def test_build_legal_terms_command(national_dir: Path, tmp_path: Path):
    from django.core.management import call_command

    (national_dir / "社会法" / "定义示例法(2020-01-01).md").write_text(
        "# 中华人民共和国定义示例法\n\n<!-- INFO END -->\n\n第二条 本法所称灵活就业人员，是指……\n",
        encoding="utf-8")
    output = tmp_path / "terms.txt"
    call_command("build_legal_terms", str(national_dir), "--output", str(output))
    terms = {line.split()[0] for line in output.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")}
    assert {"劳动示例法", "定义示例法", "灵活就业人员", "劳动争议仲裁委员会"} <= terms
    assert "加班费争议如何举证" not in terms  # case titles are not terms


@pytest.mark.django_db(transaction=True)
def test_index_survives_flush(national_dir: Path):
    """A transactional test's teardown flushes the model tables (PostgreSQL: TRUNCATE, which a
    foreign key into knowledge_article would refuse); leftover index rows must not surface."""
    import_laws(dirs=[national_dir])
    assert get_backend().candidates(["加班费"])
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0)  # post_migrate purges the orphan index rows
    assert not Article.objects.exists()
    from fawang.knowledge.search.base import purge_orphans

    assert purge_orphans(connection) == 0
    assert get_backend().candidates(["加班费"]) == []
    assert get_backend().search("加班费").total == 0


def test_laws_in_force_rank_first(imported):
    hits = get_backend().search("劳动示例法").hits
    in_force = [Law.objects.get(id=h.law_id).in_force for h in hits]
    assert in_force == sorted(in_force, reverse=True) and in_force[-1] is False

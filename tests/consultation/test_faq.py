"""The FAQ we wrote: shape, coverage, and every citation checked against the national corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fawang.consultation.models import FaqEntry
from fawang.consultation.selectors import faq_search, resolve_citations
from fawang.consultation.services import FAQ_PATH, faq_load
from fawang.core.errors import DomainError
from fawang.knowledge.classify import CATEGORIES

NATIONAL = Path(__file__).resolve().parents[2] / "../shared/data/laws/national"
ENTRIES = json.loads(FAQ_PATH.read_text(encoding="utf-8"))["entries"]
LABEL = re.compile(r"^第[零〇一二两三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$")


def test_at_least_200_entries_8_per_category():
    assert len(ENTRIES) >= 200
    per = Counter(e["category"] for e in ENTRIES)
    assert set(per) == set(CATEGORIES)
    assert min(per.values()) >= 8
    assert len({e["key"] for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["key"] for e in ENTRIES])
def test_entry_shape(entry):
    sentences = [s for s in re.split(r"[。！？]", entry["answer"]) if s.strip()]
    assert 2 <= len(sentences) <= 5, entry["answer"]
    assert entry["citations"]
    for cite in entry["citations"]:
        assert LABEL.match(cite["article"]), cite
        assert cite["law"] and not cite["law"].startswith("中华人民共和国")
    assert entry["keywords"]


def _article_index(law: str) -> dict[str, str]:
    """Article label → text for the latest version of ``law`` in the national markdown corpus."""
    if law == "民法典":
        files = sorted((NATIONAL / "民法典").glob("*.md"))
    else:
        candidates = [p for p in NATIONAL.rglob("*.md")
                      if re.fullmatch(re.escape(law) + r"(\(\d{4}-\d{2}-\d{2}\))?\.md", p.name)]
        files = sorted(candidates, key=lambda p: p.name)[-1:]  # dates sort; the newest version last
    index: dict[str, str] = {}
    current = None
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            m = re.match(r"^(第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)\s*(.*)$", line)
            if m:
                current = m.group(1)
                index[current] = m.group(2)
            elif line.startswith("#"):
                current = None
            elif current and line:
                index[current] += line
    return index


@pytest.mark.skipif(not NATIONAL.exists(), reason="../shared/data/laws absent")
def test_every_citation_exists_in_the_national_corpus():
    cache: dict[str, dict[str, str]] = {}
    missing = []
    for entry in ENTRIES:
        for cite in entry["citations"]:
            law = cite["law"]
            if law not in cache:
                cache[law] = _article_index(law)
            if cite["article"] not in cache[law]:
                missing.append((entry["key"], law, cite["article"]))
    assert not missing, missing


@pytest.mark.skipif(not NATIONAL.exists(), reason="../shared/data/laws absent")
def test_spot_checked_citations_say_what_the_answer_says():
    """A few citations whose content we rely on, checked word for word."""
    checks = {
        ("劳动合同法", "第八十二条"): "二倍的工资",
        ("劳动合同法", "第三十条"): "支付令",
        ("民法典", "第一千零七十七条"): "三十日",
        ("道路交通安全法", "第七十六条"): "百分之十",
        ("法律援助法", "第四十二条"): "免予核查经济困难状况",
        ("消费者权益保护法", "第五十五条"): "三倍",
        ("国有土地上房屋征收与补偿条例", "第二十七条"): "先补偿、后搬迁",
    }
    for (law, label), phrase in checks.items():
        assert phrase in _article_index(law)[label], (law, label)


@pytest.mark.django_db
def test_load_is_idempotent_and_command_reports():
    first = faq_load()
    assert first["created"] == len(ENTRIES)
    assert faq_load() == {"created": 0, "updated": 0, "unchanged": len(ENTRIES)}
    entry = FaqEntry.objects.get(key=ENTRIES[0]["key"])
    entry.answer = "改过的"
    entry.save()
    out = StringIO()
    call_command("load_faq", stdout=out)
    assert "更新 1" in out.getvalue()
    assert FaqEntry.objects.get(key=ENTRIES[0]["key"]).answer == ENTRIES[0]["answer"]


@pytest.mark.django_db
def test_bad_file_saves_nothing(tmp_path):
    bad = tmp_path / "faq.json"
    rows = [dict(ENTRIES[0]), {**ENTRIES[1], "category": "不存在的分类"}]
    bad.write_text(json.dumps({"entries": rows}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        faq_load(path=bad)
    assert "分类" in exc.value.message
    assert FaqEntry.objects.count() == 0
    bad.write_text(json.dumps({"entries": [{**ENTRIES[0], "citations": [{"law": "民法典", "article": "1079"}]}]}),
                   encoding="utf-8")
    with pytest.raises(DomainError):
        faq_load(path=bad)
    assert FaqEntry.objects.count() == 0


@pytest.mark.django_db
def test_search_finds_the_right_entry(faq):
    hits = faq_search("老板拖欠工资三个月不发怎么办")
    assert hits and hits[0].entry.category == "劳动纠纷"
    hits = faq_search("离婚后孩子抚养权归谁")
    assert hits and "抚养" in hits[0].entry.question
    assert faq_search("") == []


@pytest.mark.django_db
def test_citations_resolve_to_imported_articles(laws):
    rows = resolve_citations([{"law": "劳动合同法", "article": "第三十条"}, {"law": "劳动合同法", "article": "第九百条"}])
    assert rows[0]["article_id"] is not None and "支付令" in rows[0]["text"]
    assert rows[1]["article_id"] is None


@pytest.mark.django_db
def test_citations_resolve_to_the_newest_version():
    """Two versions both marked in force, the newer one without valid_from (as imported)."""
    import datetime as dt

    from fawang.knowledge.models import Article, Law, LawLevel

    old = Law.objects.create(title="中华人民共和国公司法", short_title="公司法", level=LawLevel.LAW, source="a.md",
                             in_force=True, valid_from=dt.date(2018, 10, 26), publish_date=dt.date(2018, 10, 26))
    new = Law.objects.create(title="中华人民共和国公司法", short_title="公司法", level=LawLevel.LAW, source="b.md",
                             in_force=True, publish_date=dt.date(2023, 12, 29))
    Article.objects.create(law=old, label="第四十七条", number=47, position=0, text="董事会会议由董事长召集")
    Article.objects.create(law=new, label="第四十七条", number=47, position=0, text="注册资本为认缴的出资额")
    [row] = resolve_citations([{"law": "公司法", "article": "第四十七条"}])
    assert row["text"] == "注册资本为认缴的出资额"

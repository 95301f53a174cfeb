"""Repeal clauses in the statutes ("《X》同时废止") take the named law out of force on import."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fawang.knowledge.models import Law
from fawang.knowledge.repeals import repeal_clauses, title_key
from fawang.knowledge.services import import_laws

from .conftest import write_db

TODAY = dt.date(2026, 1, 1)

NEW_REGULATION = """# 促进示例工商户发展条例

2022年10月1日 国务院令第755号公布

<!-- INFO END -->

第一条 为了促进示例工商户健康发展，制定本条例。

第二条 本条例自2022年11月1日起施行。《示例工商户条例》同时废止。《示例登记办法》第三条同时废止。
"""

OLD_REGULATION = """# 示例工商户条例

2011年4月16日 国务院令第596号公布

<!-- INFO END -->

第一条 有经营能力的公民，依照本条例规定经工商行政管理部门登记，从事工商业经营的，为个体工商户。
"""

# Same title as the repealed one, published after the repeal: a different law, untouched.
LATER_SAME_TITLE = OLD_REGULATION.replace("2011年4月16日 国务院令第596号公布", "2024年1月1日 国务院令第800号公布")

PARTLY_REPEALED = """# 示例登记办法

2015年1月1日 公布

<!-- INFO END -->

第一条 示例登记办法条文。

第三条 已经被部分废止的条文。
"""

ROWS = [
    ("促进示例工商户发展条例", "行政法规", "c1", "2022-10-01", 0, "2022-10-01"),
    ("示例工商户条例", "行政法规", "c1", "2011-04-16", 0, "2011-11-01"),
    ("示例登记办法", "行政法规", "c1", "2015-01-01", 0, "2015-01-01"),
]
NEW = "national/行政法规/促进示例工商户发展条例(2022-10-01).md"
OLD = "national/行政法规/示例工商户条例(2011-04-16).md"
LATER = "national/行政法规/示例工商户条例(2024-01-01).md"
PARTIAL = "national/行政法规/示例登记办法(2015-01-01).md"


@pytest.fixture
def regulations_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "national"
    (folder / "行政法规").mkdir(parents=True)
    for source, text in ((NEW, NEW_REGULATION), (OLD, OLD_REGULATION), (PARTIAL, PARTLY_REPEALED)):
        (tmp_path / source).write_text(text, encoding="utf-8")
    write_db(folder, ROWS, [("c1", "行政法规", "行政法规")])
    return folder


@pytest.mark.django_db
def test_repealing_clause_takes_the_older_law_out_of_force(regulations_dir: Path):
    report = import_laws(dirs=[regulations_dir], today=TODAY)
    assert report.errors == []
    assert report.repealed == [f"{OLD} ← 《促进示例工商户发展条例》第二条"]
    old = Law.objects.get(source=OLD)
    assert not old.in_force
    # The repealing law's own 施行 article gives the date, not its metadata (2022-10-01).
    assert old.repealed_on == dt.date(2022, 11, 1)
    assert old.repealed_by == "《促进示例工商户发展条例》第二条"
    new = Law.objects.get(source=NEW)
    assert new.in_force and new.repealed_on is None and new.repealed_by == ""


@pytest.mark.django_db
def test_partial_repeal_leaves_the_law_in_force(regulations_dir: Path):
    import_laws(dirs=[regulations_dir], today=TODAY)
    partial = Law.objects.get(source=PARTIAL)
    assert partial.in_force and partial.repealed_by == ""


@pytest.mark.django_db
def test_newer_version_with_the_repealed_title_is_not_touched(regulations_dir: Path):
    (regulations_dir.parent / LATER).write_text(LATER_SAME_TITLE, encoding="utf-8")
    (regulations_dir / "db.sqlite3").unlink()
    write_db(regulations_dir, [*ROWS, ("示例工商户条例", "行政法规", "c1", "2024-01-01", 0, "2024-01-01")],
             [("c1", "行政法规", "行政法规")])
    report = import_laws(dirs=[regulations_dir], today=TODAY)
    later = Law.objects.get(source=LATER)
    assert later.in_force and later.repealed_on is None
    # The 2011 text is both superseded by the 2024 one and named by the repeal clause.
    old = Law.objects.get(source=OLD)
    assert not old.in_force and old.repealed_by == "《促进示例工商户发展条例》第二条"
    assert report.superseded == [OLD] and report.repealed == []


@pytest.mark.django_db
def test_reimport_is_idempotent(regulations_dir: Path):
    first = import_laws(dirs=[regulations_dir], today=TODAY)
    again = import_laws(dirs=[regulations_dir], today=TODAY)
    assert again.created == 0 and again.updated == 0 and again.unchanged == 3
    assert again.repealed == first.repealed
    assert not Law.objects.get(source=OLD).in_force


@pytest.mark.django_db
def test_repeal_not_yet_in_effect_is_not_applied(regulations_dir: Path):
    report = import_laws(dirs=[regulations_dir], today=dt.date(2022, 10, 31))
    assert report.repealed == []
    assert Law.objects.get(source=OLD).in_force


@pytest.mark.django_db
def test_command_prints_the_repealed_count(regulations_dir: Path, monkeypatch):
    monkeypatch.setattr("fawang.knowledge.management.commands.import_laws.rebuild_retrieval_index",
                        lambda: {"articles": 0, "laws": 0})
    out = StringIO()
    call_command("import_laws", str(regulations_dir), stdout=out)
    text = out.getvalue()
    assert "repealed=1 " in text
    assert "明文废止" in text and OLD in text


def test_title_key_ignores_the_state_name_spaces_and_bracket_width():
    assert title_key("中华人民共和国企业破产法（试行）") == title_key("企业破产法(试行)")
    assert title_key("企业破产法（试行）") != title_key("企业破产法")
    assert title_key("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释") == \
        title_key("最高人民法院关于适用〈民事诉讼法〉的解释")


@pytest.mark.parametrize(("text", "titles"), [
    # Real wordings from the national corpus.
    ("本条例自2022年11月1日起施行。《个体工商户条例》同时废止。", ["个体工商户条例"]),
    ("1990年12月24日国务院发布、1994年10月9日国务院修订发布的《行政复议条例》同时废止。", ["行政复议条例"]),
    ("《中华人民共和国中外合资经营企业法实施条例》、《中外合资经营企业合营期限暂行规定》同时废止。",
     ["中华人民共和国中外合资经营企业法实施条例", "中外合资经营企业合营期限暂行规定"]),
    ("《煤矿安全监察条例》和《国务院关于预防煤矿生产安全事故的特别规定》同时废止。",
     ["煤矿安全监察条例", "国务院关于预防煤矿生产安全事故的特别规定"]),
    ("本解释施行后，《最高人民法院关于审理洗钱等刑事案件具体应用法律若干问题的解释》（法释〔2009〕15号）同时废止；"
     "之前发布的司法解释与本解释不一致的，以本解释为准。",
     ["最高人民法院关于审理洗钱等刑事案件具体应用法律若干问题的解释"]),
    ("《甲通知》《乙规定》同时废止。", ["甲通知", "乙规定"]),
    ("自本规定施行之日起，《最高人民法院关于审判人员严格执行回避制度的若干规定》（法发〔2000〕5号）即行废止。",
     ["最高人民法院关于审判人员严格执行回避制度的若干规定"]),
    ("《丙解释》（法发〔1995〕9号）自本解释公布之日起不再执行。", ["丙解释"]),
    # Partial repeals and mere citations are not repeals of the whole law.
    ("一九五四年九月七日政务院公布的《中华人民共和国劳动改造条例》中有关看守所的规定即行废止。", []),
    ("1997年3月25日国务院发布的《中华人民共和国反倾销和反补贴条例》中关于反倾销的规定同时废止。", []),
    ("《示例登记办法》第三条同时废止。", []),
    ("《丁解释》（法释〔2015〕11号）第一条第一款规定的数额标准不再适用。", []),
    ("本法施行前公布的法律与本法不一致的，不再适用。", []),
    ("支付令失效后转入诉讼程序的，债权人应当按照《诉讼费用交纳办法》补交案件受理费。", []),
    ("依照《戊条例》，《己办法》同时废止。", ["己办法"]),
])
def test_repeal_clauses(text: str, titles: list[str]):
    assert [c.title for c in repeal_clauses(text)] == titles


@pytest.mark.django_db
def test_law_page_names_the_repealing_law(regulations_dir: Path, client):
    import_laws(dirs=[regulations_dir], today=TODAY)
    old = Law.objects.get(source=OLD)
    body = client.get(f"/laws/{old.id}/").content.decode()
    assert "已被《促进示例工商户发展条例》第二条废止（2022-11-01起）" in body

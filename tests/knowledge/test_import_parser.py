"""The LawRefBook markdown parser (no database)."""

from __future__ import annotations

import pytest

from fawang.core.errors import DomainError
from fawang.knowledge.parsing import chinese_numeral, parse_article_line, parse_law_markdown

from .conftest import CASE, LABOUR_LAW


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("十", 10), ("十五", 15), ("二十", 20), ("一百零一", 101), ("一百一十", 110),
    ("一千零七十九", 1079), ("一千二百六十", 1260), ("两百", 200), ("〇", 0), ("12", 12),
])
def test_chinese_numerals(text, value):
    assert chinese_numeral(text) == value


def test_article_line_variants():
    assert parse_article_line("第一百零一条之一 内容") == ("第一百零一条之一", 101, 1, "内容")
    assert parse_article_line("第五十四条\u3000全角空格") == ("第五十四条", 54, 0, "全角空格")
    assert parse_article_line("第十条") == ("第十条", 10, 0, "")
    # A stray space before 条 occurs in the real data (刑事诉讼法 第一百二十八 条侦查人员…).
    assert parse_article_line("第一百二十八 条侦查人员") == ("第一百二十八条", 128, 0, "侦查人员")
    # References inside a continuation paragraph are not article starts.
    assert parse_article_line("第五条规定的情形除外。") is None
    assert parse_article_line("第三人明知的") is None


def test_parse_law_structure():
    law = parse_law_markdown(LABOUR_LAW, name="x.md")
    assert law.title == "中华人民共和国劳动示例法"
    assert law.numbered
    assert "2020年1月1日" in law.history and "修正" in law.history
    labels = [(a.label, a.number, a.sub_number) for a in law.articles]
    assert labels == [("第一条", 1, 0), ("第二条", 2, 0), ("第一百零一条", 101, 0),
                      ("第一百零一条之一", 101, 1), ("第一百零二条", 102, 0)]
    second = law.articles[1]
    assert second.text == "用人单位应当按时足额支付劳动报酬。\n劳动者加班的，用人单位应当支付加班费。"
    assert second.chapter == "第一章 总则" and second.section == ""
    assert law.articles[3].chapter == "第二章 劳动争议"
    assert law.articles[3].section == "第一节 调解"
    assert law.articles[4].section == "第二节 仲裁"


def test_parts_from_headings_and_extra_title_lines():
    text = ("# 中华人民共和国民法典\n\n# 物权编\n\n2020年5月28日 通过\n\n<!-- INFO END -->\n\n"
            "## 第一分编\u2002\u2002通则\n\n### 第一章 一般规定\n\n第二百零五条 本编调整物权关系。\n")
    law = parse_law_markdown(text, name="民法典/物权编.md")
    assert law.part == "物权编"
    article = law.articles[0]
    assert (article.part, article.chapter, article.number) == ("第一分编 通则", "第一章 一般规定", 205)


def test_unnumbered_document_split_by_headings():
    law = parse_law_markdown(CASE, name="案例/x.md")
    assert not law.numbered
    assert [(a.label, a.number) for a in law.articles] == [("基本案情", 1), ("裁判结果", 2)]
    assert law.articles[1].text == "法院判决用人单位支付加班费。"


@pytest.mark.parametrize("text", ["", "没有标题\n\n第一条 内容\n", "# 只有标题\n\n<!-- INFO END -->\n\n"])
def test_malformed_documents_raise_naming_the_file(text):
    with pytest.raises(DomainError) as exc:
        parse_law_markdown(text, name="社会法/坏文件.md")
    assert "社会法/坏文件.md" in exc.value.message


def test_preamble_kept_as_article_zero_but_not_a_repeated_title():
    text = ("# 中华人民共和国宪法\n\n<!-- INFO END -->\n\n## 序言\n\n"
            "中国是世界上历史最悠久的国家之一。中国各族人民共同创造了光辉灿烂的文化，具有光荣的革命传统。\n\n"
            "## 第一章 总纲\n\n第一条 中华人民共和国是社会主义国家。\n")
    law = parse_law_markdown(text, name="宪法.md")
    assert [(a.label, a.number) for a in law.articles] == [("序言", 0), ("第一条", 1)]
    assert law.articles[0].text.startswith("中国是世界上")
    repeated = "# 中华人民共和国慈善法\n\n<!-- INFO END -->\n\n中华人民共和国慈善法\n\n\u200b\n\n第一条 内容。\n"
    assert [a.label for a in parse_law_markdown(repeated, name="x.md").articles] == ["第一条"]


def test_bare_chapter_line_does_not_end_the_previous_article():
    # 刑事诉讼法 writes its last chapter as a bare "附则" line, without `##`.
    text = ("# 中华人民共和国刑事示例法\n\n<!-- INFO END -->\n\n## 第五章 特别程序\n\n"
            "第三百零七条 人民检察院对强制医疗的决定和执行实行监督。\n\n附 则\n\n"
            "第三百零八条 军队保卫部门对军队内部发生的刑事案件行使侦查权。\n")
    law = parse_law_markdown(text, name="x.md")
    first, last = law.articles
    assert first.text == "人民检察院对强制医疗的决定和执行实行监督。"
    assert (first.chapter, last.chapter) == ("第五章 特别程序", "附 则")


def test_numbered_section_line_before_an_article_is_a_heading_not_article_text():
    # 农村土地承包纠纷解释 writes "四、…" between 第十九条 and 第二十条 without `##`; the same
    # shape inside an article (an enumerated item) must stay text.
    text = ("# 最高人民法院关于审理示例纠纷案件适用法律问题的解释\n\n<!-- INFO END -->\n\n"
            "第十九条 按照下列情形处理：\n\n一、已经登记的\n\n二、均未登记的\n\n"
            "四、土地征收补偿费用分配及土地承包经营权继承纠纷的处理\n\n"
            "第二十条 承包地被依法征收的，应予支持。\n")
    law = parse_law_markdown(text, name="x.md")
    first, second = law.articles
    assert first.text == "按照下列情形处理：\n一、已经登记的\n二、均未登记的"
    assert second.chapter == "四、土地征收补偿费用分配及土地承包经营权继承纠纷的处理"
    assert first.chapter == ""

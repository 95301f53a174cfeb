"""Fixtures for the law import/search/page tests: a tiny LawRefBook folder written per test, and a
tiny corpus imported straight into the tables for the retrieval engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fawang.knowledge.models import Article, Law
from fawang.knowledge.retrieval import rebuild_retrieval_index
from fawang.knowledge.retrieval.engine import reset_engine

SHARED_LAWS = Path(__file__).resolve().parents[2] / "../shared/data/laws"

LABOUR_LAW = """# 中华人民共和国劳动示例法

2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过

2021年6月1日 第十三届全国人民代表大会常务委员会第二次会议修正

<!-- INFO END -->

## 第一章 总则

第一条 为了保护劳动者的合法权益，制定本法。

第二条 用人单位应当按时足额支付劳动报酬。

劳动者加班的，用人单位应当支付加班费。

## 第二章 劳动争议

### 第一节 调解

第一百零一条 发生劳动争议，当事人可以向人民调解委员会申请调解。

第一百零一条之一 劳动争议仲裁的时效期间为一年。

### 第二节 仲裁

第一百零二条 劳动争议仲裁委员会依法处理劳动争议。
"""

OLD_LAW = """# 中华人民共和国劳动示例法

2015年1月1日 通过

<!-- INFO END -->

第一条 旧法条文，已经失效。
"""

AID_REGULATION = """# 河南省法律援助示例条例

2019年5月31日 河南省第十三届人民代表大会常务委员会第十次会议通过

<!-- INFO END -->

第一条 经济困难的公民可以申请法律援助。
"""

CASE = """# 加班费争议如何举证

<!-- INFO END -->

## 基本案情

张某主张加班费，用人单位拒绝支付。

## 裁判结果

法院判决用人单位支付加班费。
"""


def write_db(folder: Path, rows: list[tuple[str, str, str, str | None, int, str | None]],
             categories: list[tuple[str, str, str]]) -> None:
    """rows: (name, level, category id, publish, expired, valid_from); categories: (id, name, folder)."""
    con = sqlite3.connect(folder / "db.sqlite3")
    con.execute("CREATE TABLE category (id TEXT PRIMARY KEY, name TEXT NOT NULL, folder TEXT NOT NULL,"
                " isSubFolder INTEGER NOT NULL DEFAULT 0, \"group\" TEXT, \"order\" integer)")
    con.execute("CREATE TABLE law (id TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, filename TEXT,"
                " publish DATE, expired INTEGER NOT NULL, \"order\" integer, subtitle TEXT, valid_from DATE,"
                " ver INTEGER, tags TEXT, category_id TEXT NOT NULL)")
    con.executemany("INSERT INTO category (id, name, folder) VALUES (?, ?, ?)", categories)
    con.executemany("INSERT INTO law (id, name, level, category_id, publish, expired, valid_from)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(f"id{i}", *row) for i, row in enumerate(rows)])
    con.commit()
    con.close()


@pytest.fixture
def national_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "national"
    (folder / "社会法").mkdir(parents=True)
    (folder / "案例" / "劳动人事").mkdir(parents=True)
    (folder / "社会法" / "劳动示例法(2021-06-01).md").write_text(LABOUR_LAW, encoding="utf-8")
    (folder / "社会法" / "劳动示例法(2015-01-01).md").write_text(OLD_LAW, encoding="utf-8")
    (folder / "社会法" / "_index.md").write_text("---\nbookCollapseSection: true\n---", encoding="utf-8")
    (folder / "法律法规模版.md").write_text("# 模版\n\n<!-- INFO END -->\n\n第一条 模版\n", encoding="utf-8")
    (folder / "案例" / "劳动人事" / "加班费争议如何举证.md").write_text(CASE, encoding="utf-8")
    write_db(folder, [
        ("劳动示例法", "法律", "c1", "2021-06-01", 0, "2021-07-01"),
        ("劳动示例法", "法律", "c1", "2015-01-01", 1, "2015-03-01"),
        ("加班费争议如何举证", "案例", "c2", None, 0, None),
    ], [("c1", "社会法", "社会法"), ("c2", "劳动人事", "案例/劳动人事")])
    return folder


@pytest.fixture
def henan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "henan"
    (folder / "地方性法规" / "河南").mkdir(parents=True)
    (folder / "地方性法规" / "河南" / "河南省法律援助示例条例(2019-05-31).md").write_text(
        AID_REGULATION, encoding="utf-8")
    write_db(folder, [("河南省法律援助示例条例", "地方性法规", "h", "2019-05-31", 0, "2019-09-01")],
             [("h", "河南", "地方性法规/河南")])
    return folder


@pytest.fixture(autouse=True)
def isolated_retrieval(settings, tmp_path: Path) -> Iterator[None]:
    """The law search page asks the retrieval engine too: its index goes under a temporary var
    dir, never the developer's, and no engine outlives the test database it was built from."""
    settings.VAR_DIR = tmp_path / "var"
    reset_engine()
    yield
    reset_engine()


# A tiny corpus for the retrieval engine: real statute wording, one superseded version.
LAWS = {
    ("中华人民共和国劳动合同法", True, "national/社会法/劳动合同法(2012).md"): [
        ("第三十条", "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。"),
        ("第三十一条", "用人单位应当严格执行劳动定额标准，不得强迫或者变相强迫劳动者加班。"),
        ("第八十五条", "用人单位未及时足额支付劳动报酬的，由劳动行政部门责令限期支付劳动报酬。"),
    ],
    ("中华人民共和国劳动合同法", False, "national/社会法/劳动合同法(2007).md"): [
        ("第三十条", "旧版本：用人单位应当按时支付劳动报酬（已失效）。"),
    ],
    ("中华人民共和国民法典", True, "national/民法典/民法典.md"): [
        ("第一千零七十九条", "夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。"),
        ("第一千零八十四条", "父母与子女间的关系，不因父母离婚而消除。离婚后，子女无论由父或者母直接抚养，仍是父母双方的子女。"),
        ("第六百六十七条", "借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。"),
    ],
    ("中华人民共和国道路交通安全法", True, "national/行政法/道路交通安全法.md"): [
        ("第七十六条", "机动车发生交通事故造成人身伤亡、财产损失的，由保险公司在机动车第三者责任强制保险责任限额范围内予以赔偿。"),
    ],
}


@pytest.fixture
def corpus(db, settings, tmp_path: Path) -> Iterator[Path]:
    """A tiny imported corpus, an isolated index folder and the untrained (lexical) ranker."""
    settings.VAR_DIR = tmp_path / "var"
    settings.FAWANG_RETRIEVAL_MODEL = tmp_path / "no-model.json"
    reset_engine()
    for (title, in_force, source), articles in LAWS.items():
        law = Law.objects.create(title=title, level="law", in_force=in_force, source=source)
        for pos, (label, text) in enumerate(articles):
            Article.objects.create(law=law, label=label, number=pos + 1, position=pos, text=text)
    rebuild_retrieval_index()
    yield tmp_path
    reset_engine()

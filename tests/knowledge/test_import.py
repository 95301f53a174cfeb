"""import_laws: metadata matching, levels, cases, re-import in place, malformed files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fawang.knowledge.models import Article, Law, LawLevel
from fawang.knowledge.search import SearchFilters, get_backend
from fawang.knowledge.services import FolderMetadata, import_laws

from .conftest import LABOUR_LAW, SHARED_LAWS, write_db

pytestmark = pytest.mark.django_db

CURRENT = "national/社会法/劳动示例法(2021-06-01).md"
OLD = "national/社会法/劳动示例法(2015-01-01).md"


def test_import_matches_metadata_and_maps_levels(national_dir: Path, henan_dir: Path):
    report = import_laws(dirs=[national_dir, henan_dir])
    assert report.errors == []
    assert report.files == 4  # _index.md and the template are skipped
    assert report.created == 4 and report.unmatched_files == [] and report.unmatched_rows == 0

    current = Law.objects.get(source=CURRENT)
    assert current.title == "中华人民共和国劳动示例法"
    assert current.short_title == "劳动示例法"
    assert current.level == LawLevel.LAW and current.category == "社会法"
    assert current.publish_date == dt.date(2021, 6, 1) and current.valid_from == dt.date(2021, 7, 1)
    assert current.in_force and not current.is_case and current.region_code == ""
    assert "修正" in current.history
    assert current.articles.count() == 5
    sub = current.articles.get(number=101, sub_number=1)
    assert sub.label == "第一百零一条之一" and sub.position == 4 and sub.section == "第一节 调解"

    old = Law.objects.get(source=OLD)  # same title, other version: the expired flag decides
    assert not old.in_force and old.valid_from == dt.date(2015, 3, 1)

    case = Law.objects.get(is_case=True)
    assert case.level == LawLevel.CASE and case.category == "劳动人事"
    assert list(case.articles.values_list("label", flat=True)) == ["基本案情", "裁判结果"]

    local = Law.objects.get(source__startswith="henan/")
    assert local.level == LawLevel.LOCAL_REGULATION and local.region_code == "41"
    assert report.indexed == Article.objects.count()


def test_reimport_updates_in_place(national_dir: Path):
    import_laws(dirs=[national_dir])
    law = Law.objects.get(source=CURRENT)
    ids = dict(law.articles.values_list("position", "id"))
    again = import_laws(dirs=[national_dir])
    assert again.created == 0 and again.updated == 0 and again.unchanged == 3
    assert Law.objects.count() == 3 and Article.objects.count() == 5 + 1 + 2
    assert dict(law.articles.values_list("position", "id")) == ids

    # Change one article's text and drop the last article.
    changed = LABOUR_LAW.replace("应当支付加班费", "应当依法支付加班费").replace(
        "\n第一百零二条 劳动争议仲裁委员会依法处理劳动争议。\n", "\n")
    (national_dir / "社会法" / "劳动示例法(2021-06-01).md").write_text(changed, encoding="utf-8")
    third = import_laws(dirs=[national_dir])
    assert third.updated == 1 and third.articles_deleted == 1 and third.created == 0
    assert law.articles.count() == 4
    second = law.articles.get(position=2)
    assert second.id == ids[2] and "依法支付加班费" in second.text
    assert not Article.objects.filter(id=ids[5]).exists()

    backend = get_backend()
    assert [h.article_id for h in backend.search("依法支付加班费").hits] == [ids[2]]
    assert ids[5] not in {aid for aid, _ in backend.candidates(["处理", "依法"])}


def test_older_version_not_marked_expired_is_superseded_by_the_newer(national_dir: Path):
    """LawRefBook sometimes leaves both versions of a title unexpired (公司法 2018 and 2023): the
    older one must not stay in force beside the newer; a re-import changes nothing."""
    (national_dir / "db.sqlite3").unlink()
    write_db(national_dir, [
        ("劳动示例法", "法律", "c1", "2021-06-01", 0, "2021-07-01"),
        ("劳动示例法", "法律", "c1", "2015-01-01", 0, "2015-03-01"),
        ("加班费争议如何举证", "案例", "c2", None, 0, None),
    ], [("c1", "社会法", "社会法"), ("c2", "劳动人事", "案例/劳动人事")])
    report = import_laws(dirs=[national_dir])
    assert report.superseded == [OLD]
    assert Law.objects.get(source=CURRENT).in_force and not Law.objects.get(source=OLD).in_force
    assert Law.objects.get(is_case=True).in_force  # cases are not versions of anything
    again = import_laws(dirs=[national_dir])
    assert again.updated == 0 and again.unchanged == 3 and again.superseded == [OLD]


def test_undated_parts_of_one_title_all_stay_in_force(tmp_path: Path):
    """The 民法典 comes as one undated file per book under one title: not versions."""
    folder = tmp_path / "national"
    (folder / "民法典").mkdir(parents=True)
    for book, label in (("总则编", "第一条"), ("物权编", "第二百零五条")):
        (folder / "民法典" / f"{book}.md").write_text(
            f"# 中华人民共和国民法典\n\n<!-- INFO END -->\n\n## {book}\n\n{label} 示例条文。\n", encoding="utf-8")
    report = import_laws(dirs=[folder])
    assert report.errors == [] and report.superseded == []
    assert Law.objects.filter(title="中华人民共和国民法典", in_force=True).count() == 2


def test_malformed_file_is_reported_and_not_imported(national_dir: Path):
    bad = national_dir / "社会法" / "坏文件(2020-01-01).md"
    bad.write_text("没有标题行\n\n第一条 内容\n", encoding="utf-8")
    broken = national_dir / "社会法" / "乱码(2020-01-01).md"
    broken.write_bytes("# 标题\n\n第一条 内容".encode("gbk"))
    report = import_laws(dirs=[national_dir])
    assert len(report.errors) == 2
    assert any("national/社会法/坏文件(2020-01-01).md" in e and "标题" in e for e in report.errors)
    assert any("national/社会法/乱码(2020-01-01).md" in e and "UTF-8" in e for e in report.errors)
    assert not Law.objects.filter(source__contains="坏文件").exists()
    assert Law.objects.filter(source=CURRENT).exists()  # the good files are imported


def test_command_fails_naming_bad_files(national_dir: Path, capsys):
    (national_dir / "社会法" / "坏文件.md").write_text("", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_laws", str(national_dir))
    captured = capsys.readouterr()
    assert "坏文件.md" in captured.err
    with pytest.raises(CommandError, match="目录不存在"):
        call_command("import_laws", str(national_dir / "nope"))


def test_metadata_matching_variants(national_dir: Path):
    meta = FolderMetadata.load(national_dir)
    assert meta.match("社会法/劳动示例法(2015-01-01).md").expired
    # Undated file among several versions → the one in force.
    assert not meta.match("社会法/劳动示例法.md").expired
    # Filed in another folder than its category: matched by name and date.
    assert meta.match("其他/劳动示例法(2021-06-01).md").publish == dt.date(2021, 6, 1)
    assert meta.match("社会法/不存在的法(2020-01-01).md") is None


@pytest.mark.skipif(not (SHARED_LAWS / "national" / "db.sqlite3").exists(), reason="shared data absent")
def test_real_subset(tmp_path: Path):
    """Three real files with the real db.sqlite3 (copied beside them)."""
    src = SHARED_LAWS / "national"
    folder = tmp_path / "national"
    picks = ["民法典/总则.md", "诉讼与非诉讼程序法/人民调解法(2010-08-28).md",
             "诉讼与非诉讼程序法/刑事诉讼法(2018-10-26).md"]
    for rel in picks:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes((src / rel).read_bytes())
    (folder / "db.sqlite3").write_bytes((src / "db.sqlite3").read_bytes())
    report = import_laws(dirs=[folder])
    assert report.errors == [] and report.unmatched_files == [] and report.created == 3
    civil = Law.objects.get(source="national/民法典/总则.md")
    assert civil.title == "中华人民共和国民法典" and civil.short_title == "民法典 总则"
    assert civil.articles.get(number=1).label == "第一条"
    assert civil.articles.count() == 204
    mediation = Law.objects.get(title="中华人民共和国人民调解法")
    assert mediation.articles.count() == 35 and mediation.level == LawLevel.LAW
    # The stray space in "第一百二十八 条" does not swallow the article into its predecessor.
    criminal = Law.objects.get(title="中华人民共和国刑事诉讼法")
    assert criminal.articles.filter(number=128).exists()
    assert get_backend().search("人民调解委员会", filters=SearchFilters(law_id=mediation.id)).total > 5

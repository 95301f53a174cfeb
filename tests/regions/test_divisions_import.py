from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fawang.core.errors import DomainError
from fawang.regions.models import Division, DivisionLevel
from fawang.regions.services import divisions_import

from .conftest import SAMPLE, SHARED_DIVISIONS, write_divisions

pytestmark = pytest.mark.django_db


def test_imports_all_five_levels_with_parents(divisions_dir: Path) -> None:
    result = divisions_import(directory=divisions_dir)

    assert result.rows == result.created == 13
    assert result.per_level == {1: 2, 2: 2, 3: 3, 4: 3, 5: 3}
    village = Division.objects.get(code="410105001001")
    assert village.level == DivisionLevel.VILLAGE
    assert village.name == "省委社区居民委员会"
    assert [village.parent_id, village.parent.parent_id, village.parent.parent.parent_id] == [
        "410105001", "410105", "4101",
    ]
    assert Division.objects.get(code="41").parent_id is None


def test_rerun_updates_changed_names_in_place(divisions_dir: Path) -> None:
    divisions_import(directory=divisions_dir)
    data = dict(SAMPLE)
    data["streets.csv"] = [line.replace("城关镇", "城关街道") for line in SAMPLE["streets.csv"]]
    write_divisions(divisions_dir, data)

    result = divisions_import(directory=divisions_dir)

    assert (result.rows, result.created, result.updated, result.unchanged) == (13, 0, 1, 12)
    assert Division.objects.count() == 13
    assert Division.objects.get(code="410122100").name == "城关街道"
    again = divisions_import(directory=divisions_dir)
    assert (again.created, again.updated) == (0, 0)


def test_prefix_imports_one_subtree_with_its_ancestors(divisions_dir: Path) -> None:
    result = divisions_import(directory=divisions_dir, prefix="41")

    assert result.rows == 8
    assert not Division.objects.filter(code__startswith="42").exists()
    assert Division.objects.filter(code__startswith="41").count() == 8


def test_city_prefix_keeps_the_province_row(divisions_dir: Path) -> None:
    divisions_import(directory=divisions_dir, prefix="4101")
    assert set(Division.objects.filter(level__lte=2).values_list("code", flat=True)) == {"41", "4101"}


def test_subtree_import_may_rely_on_parents_already_in_the_database(tmp_path: Path) -> None:
    divisions_import(directory=write_divisions(tmp_path / "all"))
    # A province file without the province row: its parent must then come from the database.
    partial = write_divisions(tmp_path / "partial", {"provinces.csv": []})
    assert divisions_import(directory=partial, prefix="42").rows == 4


@pytest.mark.parametrize(
    ("filename", "lines", "expected"),
    [
        ("villages.csv", ['41010500100,"坏代码",410105001,41,4101,410105'], "villages.csv 第 2 行"),
        ("streets.csv", ['41010500A,"字母",410105,41,4101'], "应为 9 位数字"),
        ("areas.csv", ['410105,"金水区",4199,41'], "上级区划 4199 不存在"),
        ("areas.csv", ['420105,"错挂",4101,41'], "不一致"),
        ("cities.csv", ['4101,"郑州市",41', '4101,"郑州市",41'], "cities.csv 第 3 行：区划代码 4101 重复"),
        ("cities.csv", ['4101,"",41'], "名称为空"),
        ("cities.csv", ["4101"], "列数不足"),
    ],
)
def test_malformed_rows_name_file_and_line_and_import_nothing(
    tmp_path: Path, filename: str, lines: list[str], expected: str
) -> None:
    directory = write_divisions(tmp_path / "bad", {filename: lines})

    with pytest.raises(DomainError) as excinfo:
        divisions_import(directory=directory)

    assert expected in excinfo.value.message
    assert excinfo.value.details["file"] == filename
    # Provinces were written before the bad row was reached: the transaction undid them.
    assert Division.objects.count() == 0


def test_missing_column_is_reported_on_the_header_line(tmp_path: Path) -> None:
    directory = write_divisions(tmp_path / "bad")
    (directory / "streets.csv").write_text("code,name,provinceCode\n410105001,x,41\n", encoding="utf-8")

    with pytest.raises(DomainError, match=r"streets\.csv 第 1 行：缺少列：areaCode"):
        divisions_import(directory=directory)
    assert Division.objects.count() == 0


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    directory = write_divisions(tmp_path / "bad")
    text = "code,name,streetCode\n410105001001,\"省委社区\",410105001\n410122100201,\"东风路村\",410122100\n"
    (directory / "villages.csv").write_bytes(text.encode("gbk"))

    with pytest.raises(DomainError, match=r"villages\.csv 第 2 行：不是 UTF-8 编码"):
        divisions_import(directory=directory)
    assert Division.objects.count() == 0


def test_missing_file_and_directory(tmp_path: Path) -> None:
    directory = write_divisions(tmp_path / "bad")
    (directory / "areas.csv").unlink()
    with pytest.raises(DomainError, match="缺少文件 areas.csv"):
        divisions_import(directory=directory)
    with pytest.raises(DomainError, match="不存在"):
        divisions_import(directory=tmp_path / "nowhere")


def test_command_prints_counts_and_turns_errors_into_command_errors(divisions_dir: Path) -> None:
    out = StringIO()
    call_command("import_divisions", str(divisions_dir), "--province", "41", stdout=out)
    assert "共 8 行，新增 8" in out.getvalue()

    with pytest.raises(CommandError, match="2 位"):
        call_command("import_divisions", str(divisions_dir), "--province", "4101")
    (divisions_dir / "cities.csv").write_text("code,name,provinceCode\n41x1,郑州,41\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cities.csv 第 2 行"):
        call_command("import_divisions", str(divisions_dir), stdout=StringIO())


@pytest.mark.skipif(not SHARED_DIVISIONS.is_dir(), reason="../shared/data/divisions not present")
@pytest.mark.slow
def test_real_data_one_province() -> None:
    result = divisions_import(directory=SHARED_DIVISIONS, prefix="41")

    assert result.per_level[1] == 1
    assert Division.objects.get(code="4101").name == "郑州市"
    assert Division.objects.filter(code__startswith="4101", level=DivisionLevel.COUNTY).count() == 15
    assert not Division.objects.exclude(code__startswith="41").exists()


def test_bom_crlf_and_extra_columns_are_accepted(tmp_path: Path) -> None:
    directory = write_divisions(tmp_path / "windows")
    # Saved by a spreadsheet on Windows: UTF-8 BOM, CRLF line ends, columns in another order.
    (directory / "cities.csv").write_bytes(
        "\ufeffprovinceCode,note,code,name\r\n41,x,4101,郑州市\r\n42,,4201,武汉市\r\n".encode()
    )
    result = divisions_import(directory=directory)
    assert result.per_level[2] == 2
    assert Division.objects.get(code="4101").name == "郑州市"
    assert divisions_import(directory=directory, prefix="4101").per_level == {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}


def test_quoted_codes_are_found_by_a_prefix_import(tmp_path: Path) -> None:
    areas = ['"410105","金水区","4101","41"', '"410122","中牟县","4101","41"']
    directory = write_divisions(tmp_path / "quoted", {"areas.csv": areas})
    assert divisions_import(directory=directory, prefix="4101").per_level[3] == 2


def test_bad_prefix_is_refused(divisions_dir: Path) -> None:
    with pytest.raises(DomainError, match="无效"):
        divisions_import(directory=divisions_dir, prefix="41a")
    with pytest.raises(DomainError, match="无效"):
        divisions_import(directory=divisions_dir, prefix="410")

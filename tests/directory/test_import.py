"""CSV import: Chinese or English headers, labels or keys, row-level errors, all or nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from fawang.directory.importer import ImportFailed, import_directory_csv
from fawang.directory.models import CreditRecord, Institution, Practitioner

from .conftest import make_credit_code, make_lawyer_licence


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def firm_code():
    return make_credit_code("31410105")


def test_institutions_with_chinese_headers_and_labels(tmp_path, divisions, firm_code):
    path = write(tmp_path, "jg.csv",
                 "机构类型,名称,统一社会信用代码,执业许可证号,区划代码,业务专长,服务语言,纬度,经度\n"
                 f"律师事务所,河南测试律师事务所,{firm_code},24101200310452338,410105,劳动纠纷、婚姻家庭,普通话;英语,34.77,113.67\n"
                 "人民调解委员会,经八路街道人民调解委员会,,,410105001,,,,\n")
    with pytest.raises(ImportFailed) as failed:  # the committee row lacks its committee kind column
        import_directory_csv(path=path, target="institutions")
    assert [(e.line, e.field) for e in failed.value.errors] == [(3, "mediation_kind")]
    assert not Institution.objects.exists()  # all or nothing

    path = write(tmp_path, "jg.csv",
                 "kind,mediation_kind,name,credit_code,licence_number,division_code,specialties,languages\n"
                 f"law_firm,,河南测试律师事务所,{firm_code},24101200310452338,410105,labor|marriage_family,mandarin\n"
                 "人民调解委员会,乡镇（街道）人民调解委员会,经八路街道人民调解委员会,,,410105001,,\n")
    result = import_directory_csv(path=path, target="institutions")
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    firm = Institution.objects.get(credit_code=firm_code)
    assert firm.specialties == ["labor", "marriage_family"] and firm.region_code == "410105"
    # The same file again updates in place.
    result = import_directory_csv(path=path, target="institutions")
    assert (result.created, result.updated) == (0, 2)
    assert Institution.objects.count() == 2


def test_row_errors_name_file_line_and_field(tmp_path, divisions):
    path = write(tmp_path, "bad.csv",
                 "kind,name,credit_code,licence_number,division_code\n"
                 "law_firm,A律师事务所,914403001922038217,24101200310452338,410105\n"
                 "银行,B,,,410105\n"
                 "legal_aid_center,C法律援助中心,12410105MB1234567X,,999999\n"
                 "legal_aid_center,D\n")
    with pytest.raises(ImportFailed) as failed:
        import_directory_csv(path=path, target="institutions")
    errors = failed.value.errors
    assert [(e.file, e.line, e.field) for e in errors] == [
        ("bad.csv", 2, "credit_code"), ("bad.csv", 3, "kind"), ("bad.csv", 4, "credit_code"), ("bad.csv", 5, ""),
    ]
    assert "校验位" in errors[0].message
    assert str(errors[1]).startswith("bad.csv:3 [kind]")


def test_unknown_and_missing_headers(tmp_path, divisions):
    path = write(tmp_path, "h.csv", "名称,颜色\nx,红\n")
    with pytest.raises(ImportFailed) as failed:
        import_directory_csv(path=path, target="institutions")
    fields = {e.field for e in failed.value.errors}
    assert {"颜色", "kind", "division_code"} <= fields


def test_gb18030_file_and_practitioners(tmp_path, make_institution):
    firm = make_institution()
    licence = make_lawyer_licence(2016)
    path = write(tmp_path, "ry.csv",
                 "人员类型,姓名,性别,执业证号,执业机构统一社会信用代码,业务专长,法律援助律师\n"
                 f"律师,赵敏,女,{licence},{firm.credit_code.lower()},交通事故,是\n"
                 "志愿者,钱多,男,,,,否\n", encoding="gb18030")
    with pytest.raises(ImportFailed) as failed:  # the volunteer has no region and no institution
        import_directory_csv(path=path, target="practitioners")
    assert [(e.line, e.field) for e in failed.value.errors] == [(3, "division_code")]
    assert not Practitioner.objects.exists()
    path = write(tmp_path, "ry.csv",
                 "人员类型,姓名,性别,执业证号,执业机构统一社会信用代码,业务专长,法律援助律师,区划代码\n"
                 f"律师,赵敏,女,{licence},{firm.credit_code},交通事故,是,\n"
                 "志愿者,钱多,男,,,,否,410105001\n", encoding="gb18030")
    result = import_directory_csv(path=path, target="practitioners")
    assert result.created == 2
    lawyer = Practitioner.objects.get(licence_number=licence)
    assert lawyer.institution == firm and lawyer.sex == "female" and lawyer.is_legal_aid_lawyer
    assert lawyer.practice_since == 2016


def test_credit_records_and_command(tmp_path, make_institution, capsys):
    firm = make_institution()
    path = write(tmp_path, "xy.csv",
                 "类型,机构统一社会信用代码,决定日期,决定机关,决定文号,内容摘要,考核结果\n"
                 f"年度考核,{firm.credit_code},2024年5月31日,郑州市司法局,郑司考〔2024〕1号,2023年度考核,合格\n")
    call_command("import_directory", str(path), "--kind", "credit-records")
    record = CreditRecord.objects.get()
    assert record.assessment_result == "passed" and str(record.decided_on) == "2024-05-31"
    call_command("import_directory", str(path), "--kind", "credit-records")  # same decision: not duplicated
    assert CreditRecord.objects.count() == 1
    bad = write(tmp_path, "bad.csv", "类型,机构统一社会信用代码,决定日期,决定机关,内容摘要\n表彰奖励,,2024-13-01,x,y\n")
    with pytest.raises(CommandError, match="未保存任何数据"):
        call_command("import_directory", str(bad), "--kind", "credit-records")
    assert "bad.csv:2" in capsys.readouterr().err

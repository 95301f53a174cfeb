"""CSV import of a deployment's own directory: institutions, practitioners or credit records.

All or nothing: every row is validated by the same services staff input goes through; the
errors of all rows are collected (file, line, field, message) and if there is any, the whole
import is rolled back. Re-importing the same file updates rows in place (institutions are
matched on their credit code, practitioners on kind + licence number, credit records on
subject + decision number), so a corrected file can simply be loaded again.

Headers may be the English field names or their Chinese labels; choice columns accept the
key or the Chinese label ("律师事务所"); list columns are separated by 、 ; , or |.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError

from . import services
from .choices import (
    AssessmentResult,
    CreditRecordKind,
    InstitutionKind,
    Language,
    ListingStatus,
    MediationCommitteeKind,
    PracticeArea,
    PractitionerKind,
    Sex,
)
from .models import CreditRecord, Institution, Practitioner

TARGETS = ("institutions", "practitioners", "credit-records")

HEADERS: dict[str, dict[str, str]] = {
    "institutions": {
        "类型": "kind", "机构类型": "kind", "调解委员会类型": "mediation_kind", "名称": "name", "机构名称": "name",
        "统一社会信用代码": "credit_code", "执业许可证号": "licence_number", "负责人": "responsible_person",
        "地址": "address", "电话": "phone", "区划代码": "division_code", "服务区域": "service_areas",
        "业务专长": "specialties", "服务语言": "languages", "纬度": "latitude", "经度": "longitude",
        "办公时间": "business_hours", "简介": "introduction", "状态": "status",
    },
    "practitioners": {
        "类型": "kind", "人员类型": "kind", "姓名": "name", "性别": "sex", "执业证号": "licence_number",
        "执业起始年份": "practice_since", "执业机构统一社会信用代码": "institution_credit_code",
        "业务专长": "specialties", "服务语言": "languages", "区划代码": "division_code", "服务区域": "division_code",
        "联系电话": "phone", "电话": "phone", "简介": "introduction", "法律援助律师": "is_legal_aid_lawyer",
        "状态": "status",
    },
    "credit-records": {
        "类型": "kind", "机构统一社会信用代码": "institution_credit_code", "人员类型": "practitioner_kind",
        "人员执业证号": "practitioner_licence_number", "决定日期": "decided_on", "决定机关": "issuing_authority",
        "决定文号": "decision_number", "内容摘要": "summary", "考核结果": "assessment_result",
        "公示截止日期": "public_until",
    },
}
REQUIRED = {
    "institutions": {"kind", "name", "division_code"},
    "practitioners": {"kind", "name"},
    "credit-records": {"kind", "decided_on", "issuing_authority", "summary"},
}
CHOICE_COLUMNS: dict[str, type] = {
    "kind": InstitutionKind, "mediation_kind": MediationCommitteeKind, "status": ListingStatus, "sex": Sex,
    "assessment_result": AssessmentResult,
}
LIST_COLUMNS: dict[str, type | None] = {"specialties": PracticeArea, "languages": Language, "service_areas": None}
_LIST_SPLIT = re.compile(r"[、;；,，|]")
_TRUE = {"1", "true", "yes", "y", "是", "√"}
_FALSE = {"", "0", "false", "no", "n", "否"}


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where} [{self.field}] {self.message}" if self.field else f"{where} {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _lookup(choices: type) -> dict[str, str]:
    with translation.override("zh-hans"):
        table = {str(label): value for value, label in choices.choices}
    table.update({value: value for value in choices.values})
    return table


def _choice(raw: str, choices: type, column: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    value = _lookup(choices).get(raw) or _lookup(choices).get(raw.lower())
    if value is None:
        raise DomainError("invalid_choice", _("“%(v)s”不是有效的选项。") % {"v": raw}, field=column)
    return value


def _list(raw: str, choices: type | None, column: str) -> list[str]:
    items = [x.strip() for x in _LIST_SPLIT.split(raw or "") if x.strip()]
    return items if choices is None else [_choice(x, choices, column) for x in items]


def _bool(raw: str, column: str) -> bool:
    value = (raw or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise DomainError("invalid_bool", _("应填写“是”或“否”。"), field=column)


def _date(raw: str, column: str) -> datetime.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", raw)
    try:
        if m is None:
            raise ValueError(raw)
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise DomainError("invalid_date", _("日期格式应为YYYY-MM-DD。"), field=column) from exc


def _institution_row(row: dict[str, str]) -> tuple[str, Any]:
    values: dict[str, Any] = {}
    for column, raw in row.items():
        if column in LIST_COLUMNS:
            values[column] = _list(raw, LIST_COLUMNS[column], column)
        elif column in CHOICE_COLUMNS:
            values[column] = _choice(raw, CHOICE_COLUMNS[column], column)
        else:
            values[column] = (raw or "").strip()
    if values.get("credit_code"):
        values["credit_code"] = values["credit_code"].upper()
    existing = None
    if values.get("credit_code"):
        existing = Institution.objects.filter(credit_code=values["credit_code"]).first()
    elif values.get("kind") == InstitutionKind.MEDIATION_COMMITTEE:
        existing = Institution.objects.filter(kind=values["kind"], name=values.get("name", ""),
                                              region_code=values.get("division_code", "")).first()
    if existing is not None:
        return "updated", services.institution_update(actor=None, institution=existing, **values)
    return "created", services.institution_create(actor=None, **values)


def _practitioner_row(row: dict[str, str]) -> tuple[str, Any]:
    values: dict[str, Any] = {}
    for column, raw in row.items():
        if column in LIST_COLUMNS:
            values[column] = _list(raw, LIST_COLUMNS[column], column)
        elif column == "kind":
            values[column] = _choice(raw, PractitionerKind, column)
        elif column in CHOICE_COLUMNS:
            values[column] = _choice(raw, CHOICE_COLUMNS[column], column)
        elif column == "is_legal_aid_lawyer":
            values[column] = _bool(raw, column)
        elif column == "institution_credit_code":
            code = (raw or "").strip().upper()
            if code:
                inst = Institution.objects.filter(credit_code=code).first()
                if inst is None:
                    raise DomainError("invalid_institution", _("找不到统一社会信用代码为“%(c)s”的机构（请先导入机构）。")
                                      % {"c": code}, field=column)
                values["institution_id"] = inst.pk
        else:
            values[column] = (raw or "").strip()
    existing = None
    if values.get("licence_number"):
        existing = Practitioner.objects.filter(kind=values.get("kind"), licence_number=values["licence_number"]).first()
    if existing is not None:
        return "updated", services.practitioner_update(actor=None, practitioner=existing, **values)
    return "created", services.practitioner_create(actor=None, **values)


def _credit_row(row: dict[str, str]) -> tuple[str, Any]:
    code = (row.get("institution_credit_code") or "").strip().upper()
    licence = (row.get("practitioner_licence_number") or "").strip()
    institution = practitioner = None
    if code:
        institution = Institution.objects.filter(credit_code=code).first()
        if institution is None:
            raise DomainError("invalid_institution", _("找不到统一社会信用代码为“%(c)s”的机构。") % {"c": code},
                              field="institution_credit_code")
    if licence:
        people = Practitioner.objects.filter(licence_number=licence)
        if row.get("practitioner_kind"):
            people = people.filter(kind=_choice(row["practitioner_kind"], PractitionerKind, "practitioner_kind"))
        matches = list(people[:2])
        if len(matches) != 1:
            raise DomainError("invalid_practitioner",
                              _("找不到执业证号为“%(c)s”的人员，或有多名人员（请填写人员类型）。") % {"c": licence},
                              field="practitioner_licence_number")
        practitioner = matches[0]
    values = {
        "kind": _choice(row.get("kind", ""), CreditRecordKind, "kind"),
        "assessment_result": _choice(row.get("assessment_result", ""), AssessmentResult, "assessment_result"),
        "decided_on": _date(row.get("decided_on", ""), "decided_on"),
        "public_until": _date(row.get("public_until", ""), "public_until"),
        "issuing_authority": row.get("issuing_authority", ""),
        "decision_number": (row.get("decision_number") or "").strip(),
        "summary": row.get("summary", ""),
    }
    if values["decision_number"] and (institution or practitioner):
        same = CreditRecord.objects.filter(decision_number=values["decision_number"], institution=institution,
                                           practitioner=practitioner)
        if same.exists():
            return "unchanged", same.first()
    return "created", services.credit_record_create(actor=None, institution=institution,
                                                    practitioner=practitioner, **values)


ROW_HANDLERS: dict[str, Callable[[dict[str, str]], tuple[str, Any]]] = {
    "institutions": _institution_row, "practitioners": _practitioner_row, "credit-records": _credit_row,
}


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved as CSV on Chinese Windows are GB18030/GBK.
        return data.decode("gb18030")


def _normalise_headers(target: str, headers: Iterable[str], file: str) -> list[str]:
    aliases = HEADERS[target]
    known = set(aliases.values())
    result, errors = [], []
    for header in headers:
        name = (header or "").strip()
        column = aliases.get(name, name)
        if column not in known:
            errors.append(RowError(file, 1, name, _("未知的列名“%(c)s”。") % {"c": name}))
        result.append(column)
    missing = REQUIRED[target] - set(result)
    for column in sorted(missing):
        errors.append(RowError(file, 1, column, _("缺少必需的列“%(c)s”。") % {"c": column}))
    if errors:
        raise ImportFailed(errors)
    return result


def import_directory_csv(*, path: Path | str, target: str) -> ImportResult:
    """Import one CSV file; raises ``ImportFailed`` (and saves nothing) if any row is bad."""
    if target not in ROW_HANDLERS:
        raise ValueError(f"unknown target {target!r}; expected one of {TARGETS}")
    path = Path(path)
    file = path.name
    try:
        text = _read_text(path)
    except OSError as exc:
        raise ImportFailed([RowError(file, 0, "", _("无法读取文件：%(e)s") % {"e": exc})]) from exc
    reader = csv.reader(io.StringIO(text))
    try:
        header_row = next(reader)
    except StopIteration as exc:
        raise ImportFailed([RowError(file, 1, "", _("文件为空。"))]) from exc
    columns = _normalise_headers(target, header_row, file)
    handler = ROW_HANDLERS[target]
    result = ImportResult()
    with transaction.atomic():
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            result.rows += 1
            if len(cells) != len(columns):
                result.errors.append(RowError(file, line, "", _("列数为%(n)d，应为%(m)d。")
                                              % {"n": len(cells), "m": len(columns)}))
                continue
            row = {c: v for c, v in zip(columns, cells, strict=True)}
            try:
                with transaction.atomic():
                    outcome, _obj = handler(row)
            except DomainError as exc:
                result.errors.append(RowError(file, line, exc.field or "", exc.message))
                continue
            if outcome == "created":
                result.created += 1
            elif outcome == "updated":
                result.updated += 1
        if result.errors:
            raise ImportFailed(result.errors)
    return result

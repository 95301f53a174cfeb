"""Writes for regions: the division import and the generation of service points."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError
from fawang.core.lookup_cache import clear_all_lookup_caches
from fawang.core.scoping import region_q
from fawang.regions.divisions_import import DivisionRow, read_division_rows
from fawang.regions.models import Division, DivisionLevel, ServicePoint, ServicePointKind
from fawang.regions.standards import (
    KIND_BY_LEVEL,
    STANDARDS,
    has_service_point,
    service_point_name,
    village_place_name,
)

# Rows per executemany call: big enough that per-call overhead vanishes, small enough that a
# level's rows are never all held in memory at once (villages.csv has 620,000 rows).
BATCH_SIZE = 20_000


@dataclass
class DivisionImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    per_level: dict[int, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> int:
        return self.rows - self.created - self.updated


def _on_conflict(table: str) -> str:
    """Update a known code only where something changed, so a re-run writes nothing.

    Both SQLite (≥3.24) and PostgreSQL accept this clause; only the "is different" operator
    for the nullable parent differs. The affected-row count is then exactly created + updated.
    """
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return (
        f"ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, "
        f"parent_id = excluded.parent_id "
        f"WHERE {table}.name <> excluded.name OR {table}.level <> excluded.level "
        f"OR {table}.parent_id {distinct} excluded.parent_id"
    )


def divisions_upsert(*, rows: Iterable[DivisionRow], result: DivisionImportResult | None = None) -> DivisionImportResult:
    """Insert or update division rows (parents first) in batches; the caller holds the transaction.

    Raw ``executemany`` rather than ``bulk_create(update_conflicts=True)``: building 665,000
    model instances and compiling SQL per 999-parameter batch costs more than the database
    work itself (compared in ``benchmarks/import_divisions.py --method bulk_create``), and
    this path needs no model behaviour. Codes are the primary key: nothing can be duplicated.
    """
    result = result or DivisionImportResult()
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _pg_upsert(cursor, iterator, result)
            return result
        table = connection.ops.quote_name(Division._meta.db_table)
        sql = f"INSERT INTO {table} (code, name, level, parent_id) VALUES (%s, %s, %s, %s) {_on_conflict(table)}"
        while batch := list(itertools.islice(iterator, BATCH_SIZE)):
            cursor.executemany(sql, batch)
            result.rows += len(batch)
            # rowcount after executemany is the total over the batch; the caller splits it
            # into created/updated from the table's row count.
            result.updated += max(cursor.rowcount, 0)
    return result


def _pg_upsert(cursor: CursorWrapper, rows: Iterator[DivisionRow], result: DivisionImportResult) -> None:
    """PostgreSQL: COPY each batch into a temporary table, then one INSERT … SELECT upsert.

    executemany costs a network round trip per row (measured: 72 s for the country);
    COPY streams the batch and the upsert runs as one statement.
    """
    table = connection.ops.quote_name(Division._meta.db_table)
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS fawang_division_import "
        "(code varchar(12), name varchar(100), level smallint, parent_id varchar(12)) ON COMMIT DROP"
    )
    upsert = (
        f"INSERT INTO {table} (code, name, level, parent_id) "
        f"SELECT code, name, level, parent_id FROM fawang_division_import {_on_conflict(table)}"
    )
    raw = cursor.cursor  # the psycopg 3 cursor, for COPY
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        cursor.execute("TRUNCATE fawang_division_import")
        with raw.copy("COPY fawang_division_import (code, name, level, parent_id) FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)
        cursor.execute(upsert)
        result.rows += len(batch)
        result.updated += max(cursor.rowcount, 0)


@transaction.atomic
def divisions_import(*, directory: Path, prefix: str = "") -> DivisionImportResult:
    """Import (or update in place) divisions from the five CSV files in ``directory``.

    ``prefix`` limits the import to one subtree (e.g. "41" for Henan, "4101" for Zhengzhou);
    the ancestors of that subtree are imported too so every row has its parent. One
    transaction: a bad row anywhere raises ``DomainError`` (file and line in the message)
    and nothing of the import is kept. Divisions missing from the files are kept, not
    deleted: service points, users and cases refer to them (a withdrawn code is retired by
    hand once nothing points at it).
    """
    directory = Path(directory)
    if prefix and not (prefix.isascii() and prefix.isdigit() and len(prefix) in (2, 4, 6, 9, 12)):
        raise DomainError(
            "division_import_bad_prefix", _("区划代码“%(code)s”无效。") % {"code": prefix}, field="prefix"
        )
    if not directory.is_dir():
        raise DomainError(
            "division_import_missing_dir", _("目录 %(dir)s 不存在。") % {"dir": directory}, field="directory"
        )
    before = Division.objects.count()
    result = DivisionImportResult()

    def parent_exists(code: str) -> bool:
        return Division.objects.filter(pk=code).exists()

    for spec, rows in read_division_rows(directory, prefix=prefix, parent_exists=parent_exists):
        rows_before = result.rows
        divisions_upsert(rows=rows, result=result)
        result.per_level[int(spec.level)] = result.rows - rows_before
    result.created = Division.objects.count() - before
    result.updated -= result.created
    return result


# ---------------------------------------------------------------------------------------------
# Generated service points (demo data)
# ---------------------------------------------------------------------------------------------

# Approximate centres of Zhengzhou's county-level divisions (WGS-84, 2 decimals): enough for
# "nearest service point" to behave plausibly in the demo. Elsewhere points are scattered
# around their parent's position, starting from the region's centre given by the caller.
APPROX_CENTRES: dict[str, tuple[float, float]] = {
    "4101": (34.757, 113.665),
    "410102": (34.748, 113.612), "410103": (34.725, 113.640), "410104": (34.747, 113.686),
    "410105": (34.800, 113.660), "410106": (34.803, 113.309), "410108": (34.868, 113.617),
    "410122": (34.719, 113.976), "410171": (34.724, 113.752), "410172": (34.810, 113.560),
    "410173": (34.527, 113.853), "410181": (34.748, 113.022), "410182": (34.787, 113.383),
    "410183": (34.539, 113.391), "410184": (34.396, 113.740), "410185": (34.454, 113.050),
}
DEFAULT_CENTRE = (34.757, 113.665)
SCATTER_DEGREES = {DivisionLevel.CITY: 0.3, DivisionLevel.COUNTY: 0.12, DivisionLevel.TOWNSHIP: 0.06,
                   DivisionLevel.VILLAGE: 0.02}

ROADS = ("文化路", "人民路", "建设路", "中原路", "金水路", "嵩山路", "黄河路", "工人路", "大学路", "商都路",
         "农业路", "花园路", "航海路", "紫荆山路", "桐柏路", "秦岭路", "长江路", "淮河路", "未来路", "英才街")

EXTRA_ZONES = {
    ServicePointKind.CITY_HALL: ("档案资料室", "接待室", "个别谈话室", "调解室", "公证服务区", "远程视频服务区"),
    ServicePointKind.COUNTY_CENTER: ("档案资料室", "接待室", "个别谈话室", "调解室"),
    ServicePointKind.TOWNSHIP_STATION: ("调解室", "法治宣传资料区"),
    ServicePointKind.VILLAGE_ROOM: ("调解室",),
}
EXTRA_POSTS = {
    ServicePointKind.CITY_HALL: ("公证服务岗", "人民调解岗", "司法鉴定咨询岗", "律师值班岗"),
    ServicePointKind.COUNTY_CENTER: ("人民调解岗", "律师值班岗"),
    ServicePointKind.TOWNSHIP_STATION: ("法律咨询岗", "人民调解岗", "法律援助初审岗"),
    ServicePointKind.VILLAGE_ROOM: ("村（居）法律顾问", "人民调解员"),
}
EXTRA_ACCESSIBLE = ("无障碍卫生间", "低位服务台", "轮椅", "盲道", "爱心座椅")
EXTRA_EQUIPMENT = {
    ServicePointKind.CITY_HALL: ("法治宣传资料架", "书写台", "意见箱", "饮水机", "叫号机", "视频会议终端"),
    ServicePointKind.COUNTY_CENTER: ("法治宣传资料架", "书写台", "意见箱", "饮水机", "叫号机"),
    ServicePointKind.TOWNSHIP_STATION: ("电子显示屏", "触摸查询一体机", "法治宣传资料架"),
    ServicePointKind.VILLAGE_ROOM: ("法治宣传资料架",),
}
OPENING_HOURS = {
    ServicePointKind.CITY_HALL: "周一至周五 8:30—12:00，14:00—17:30；周六上午值班（法定节假日除外）",
    ServicePointKind.COUNTY_CENTER: "周一至周五 8:30—12:00，14:00—17:30（法定节假日除外）",
    ServicePointKind.TOWNSHIP_STATION: "周一至周五 8:30—12:00，14:30—17:30",
    ServicePointKind.VILLAGE_ROOM: "村（居）法律顾问每月驻点不少于 4 小时，具体时间见公示栏；调解员工作日在岗",
}
# Share of generated points below standard in one respect, so the standards report has work.
SHORTFALL_RATE = 0.06


def _generated_fields(division: Division, kind: str, rng: random.Random, *, names: dict[str, str],
                      centre: tuple[float, float]) -> dict[str, object]:
    standard = STANDARDS[kind]
    short = rng.random() < SHORTFALL_RATE
    weak_spot = rng.choice(("floor_area", "zones", "posts", "equipment", "accessible")) if short else ""
    floor_factor = rng.uniform(0.6, 0.95) if weak_spot == "floor_area" else rng.uniform(1.05, 2.4)
    floor_area = Decimal(round(standard.min_floor_area * floor_factor, 1)).quantize(Decimal("0.1"))
    hall_area = None
    if standard.min_hall_area:
        hall_area = Decimal(round(max(standard.min_hall_area * rng.uniform(1.0, 1.4),
                                      float(floor_area) * 0.5), 1)).quantize(Decimal("0.1"))
    zones = list(standard.zones) + rng.sample(EXTRA_ZONES[kind], k=rng.randint(0, len(EXTRA_ZONES[kind])))
    posts = list(standard.posts) + rng.sample(EXTRA_POSTS[kind], k=rng.randint(1, len(EXTRA_POSTS[kind])))
    equipment = list(standard.equipment) + rng.sample(EXTRA_EQUIPMENT[kind], k=rng.randint(0, min(2, len(EXTRA_EQUIPMENT[kind]))))
    accessible = list(standard.accessible_facilities) + rng.sample(EXTRA_ACCESSIBLE, k=rng.randint(0, 3))
    lists = {"zones": zones, "posts": posts, "equipment": equipment, "accessible": accessible}
    if weak_spot in lists:
        required = {"zones": standard.zones, "posts": standard.posts, "equipment": standard.equipment,
                    "accessible": standard.accessible_facilities}[weak_spot]
        if required:
            lists[weak_spot].remove(rng.choice(required))
    road = rng.choice(ROADS)
    number = rng.randint(1, 299)
    code = division.code
    county = names.get(code[:6], "")
    township = names.get(code[:9], "")
    if kind == ServicePointKind.CITY_HALL:
        address = f"{names.get(code[:2], '')}{division.name}{rng.choice(ROADS)}{number}号一楼"
    elif kind == ServicePointKind.COUNTY_CENTER:
        address = f"{names.get(code[:4], '')}{county}{road}{number}号一楼"
    elif kind == ServicePointKind.TOWNSHIP_STATION:
        address = f"{county}{township}{road}{number}号（司法所一楼）"
    else:
        address = f"{county}{township}{village_place_name(division.name)}党群服务中心一楼"
    scatter = SCATTER_DEGREES[DivisionLevel(division.level)]
    lat, lng = APPROX_CENTRES.get(code) or (
        centre[0] + rng.uniform(-scatter, scatter), centre[1] + rng.uniform(-scatter, scatter) * 1.2
    )
    return {
        "address": address,
        "phone": f"0371-{rng.randint(5500_0000, 6999_9999)}" if code.startswith("41") else "",
        "opening_hours": OPENING_HOURS[kind],
        "floor_area": floor_area,
        "hall_area": hall_area,
        "zones": zones,
        "posts": posts,
        "equipment": equipment,
        "accessible_facilities": accessible,
        "latitude": Decimal(f"{lat:.6f}"),
        "longitude": Decimal(f"{lng:.6f}"),
    }


class _DivisionRow(NamedTuple):
    code: str
    level: int
    name: str


def service_point_code(division_code: str) -> str:
    """Generated points are one per division, so the division code names them."""
    return f"SP{division_code}"


@dataclass
class GenerateResult:
    created: int = 0
    existing: int = 0
    per_kind: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def service_points_generate(*, region_code: str, seed: int = 2018) -> GenerateResult:
    """Create a demo point (center/station/room) for every division in the region that lacks one.

    Demo data only (``is_demo=True``): names follow the standard, but addresses, areas, zones,
    posts and positions are invented — a real deployment registers its points in the back office.

    Deterministic: each point's values come from an RNG seeded with (seed, division code),
    so they do not depend on which other points exist. Existing points (by code) are left as
    they are — they may have been corrected in the back office since. Names follow
    ``standards.service_point_name``; a few points are generated below standard on purpose.
    """
    in_region = Division.objects.filter(region_q(region_code, "code"), level__gte=DivisionLevel.CITY)
    # The common case on every ./run is "nothing to do": answer it from codes alone, without
    # building ~3,500 model instances.
    light = [_DivisionRow(*row) for row in in_region.values_list("code", "level", "name")]
    if not light:
        raise DomainError("region_empty", _("区划 %(code)s 下没有已导入的区划。") % {"code": region_code},
                          field="region_code")
    existing = set(ServicePoint.objects.filter(region_q(region_code)).values_list("code", flat=True))
    wanted = {service_point_code(row.code) for row in light if has_service_point(row)}
    result = GenerateResult()
    if wanted <= existing:
        result.existing = len(wanted)
        return result
    divisions = list(in_region.select_related("parent__parent").order_by("code"))
    ancestors = [region_code[:n] for n in (2, 4, 6, 9) if n < len(region_code)]
    names = dict(Division.objects.filter(code__in=ancestors).values_list("code", "name"))
    names.update((d.code, d.name) for d in divisions)
    positions: dict[str, tuple[float, float]] = {}
    new_points: list[ServicePoint] = []
    for division in divisions:
        if not has_service_point(division):
            continue
        kind = KIND_BY_LEVEL[DivisionLevel(division.level)]
        code = service_point_code(division.code)
        rng = random.Random(f"{seed}:{division.code}")
        parent_code = division.parent_id or ""
        centre = positions.get(parent_code) or APPROX_CENTRES.get(parent_code[:4]) or DEFAULT_CENTRE
        values = _generated_fields(division, kind, rng, names=names, centre=centre)
        positions[division.code] = (float(values["latitude"]), float(values["longitude"]))  # type: ignore[arg-type]
        if code in existing:
            result.existing += 1
            continue
        new_points.append(ServicePoint(
            code=code, name=service_point_name(division), kind=kind, division=division,
            region_code=division.code, is_active=True, is_demo=True, **values,
        ))
        result.per_kind[kind] = result.per_kind.get(kind, 0) + 1
    ServicePoint.objects.bulk_create(new_points, batch_size=500)
    clear_all_lookup_caches()  # bulk_create sends no signals; a code may be cached as unknown
    result.created = len(new_points)
    return result

"""Service point standards (S2): standard names, floor areas, required zones/posts/facilities.

Pure functions, no database: the generator, the admin, the report command and the pages all
ask the same questions here. Sources: seed 000 (司法部《关于推进公共法律服务平台建设的意见》)
§三 (names, 建设标准, 人员配备) and seed 001 (郑州市实施方案) §二 (floor areas).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _

from fawang.regions.models import DivisionLevel, ServicePointKind

SUFFIX = {
    ServicePointKind.CITY_HALL: "公共法律服务中心",
    ServicePointKind.COUNTY_CENTER: "公共法律服务中心",
    ServicePointKind.TOWNSHIP_STATION: "公共法律服务工作站",
    ServicePointKind.VILLAGE_ROOM: "公共法律服务工作室",
}

KIND_BY_LEVEL = {
    DivisionLevel.CITY: ServicePointKind.CITY_HALL,
    DivisionLevel.COUNTY: ServicePointKind.COUNTY_CENTER,
    DivisionLevel.TOWNSHIP: ServicePointKind.TOWNSHIP_STATION,
    DivisionLevel.VILLAGE: ServicePointKind.VILLAGE_ROOM,
}

# City rows that are not cities. A municipality's "市辖区" row stands for the municipality
# itself (its city-level point is "北京市公共法律服务中心"); the other rows only group
# counties (重庆 "县", "省直辖县级行政区划") and have no city-level point at all.
MUNICIPALITY_CITY_NAME = "市辖区"
GROUPING_CITY_NAMES = frozenset({"县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
PLACEHOLDER_CITY_NAMES = GROUPING_CITY_NAMES | {MUNICIPALITY_CITY_NAME}

# County-level names that are a complete official name without the city ("×县（市）…中心").
_COUNTY_SELF_STANDING = ("县", "市", "旗", "特区", "林区")

# Township bodies: the standard name uses the place ("×街道"), not the office ("…街道办事处",
# "…开发区管委会"). A bare "…办事处" stays whole: in the national data it is as often a
# "县居民办事处" or a "林业局办事处" as a sub-district, so it is the only safe name.
_TOWNSHIP_OFFICE_SUFFIXES = (("街道办事处", "街道"), ("管理委员会", ""), ("管委会", ""))

# Village-level committees → the place they serve, longest suffix first. A suffix maps to the
# unit word the place name must end with ("村", "社区", or "嘎查", the Mongolian 村). The
# misspellings ("居民委会", "居委会会") are in the national data.
_VILLAGE_COMMITTEES = (
    ("社区居民管理委员会", "社区"),
    ("社区居民委员会", "社区"),
    ("社区管理委员会", "社区"),
    ("居民管理委员会", "社区"),
    ("嘎查人民委员会", "嘎查"),
    ("嘎查村委员会", "嘎查"),
    ("社区委员会", "社区"),
    ("社区居委会", "社区"),
    ("嘎查委员会", "嘎查"),
    ("居民委员会", "社区"),
    ("村民委员会", "村"),
    ("牧民委员会", "村"),
    ("居委员会", "社区"),
    ("居民委会", "社区"),
    ("居委会会", "社区"),
    ("村委员会", "村"),
    ("居委会", "社区"),
    ("村委会", "村"),
)
# A stem already ending in one of these needs no unit word added.
_UNIT_ENDINGS = {"村": ("村", "嘎查"), "社区": ("社区",), "嘎查": ("嘎查",)}
# Trailing notes in full-width brackets: "乌龙巷居委会（社区）", "新月村委会（新月工业小区）（省级）".
_TRAILING_NOTE = re.compile(r"(（[^（）]*）)+$")


class NamedLevel(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def level(self) -> int: ...


class DivisionLike(NamedLevel, Protocol):
    @property
    def parent(self) -> DivisionLike | None: ...


def _city_display_name(city: DivisionLike) -> str:
    if city.name in PLACEHOLDER_CITY_NAMES and city.parent is not None:
        return city.parent.name
    return city.name


def _city_short_name(name: str) -> str:
    for suffix in ("市", "地区", "自治州", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def village_place_name(name: str) -> str:
    """"郑庄村村民委员会" → "郑庄村", "西柏坡村民委员会" → "西柏坡村", "省委社区居民委员会" → "省委社区"."""
    bare = _TRAILING_NOTE.sub("", name) or name
    for suffix, unit in _VILLAGE_COMMITTEES:
        if bare.endswith(suffix) and len(bare) > len(suffix):
            stem = bare[: -len(suffix)].removesuffix("居民")  # "体育社区居民居委会"
            return stem if stem.endswith(_UNIT_ENDINGS[unit]) else stem + unit
    return bare if "委" in name and bare != name else name


def township_place_name(name: str) -> str:
    """"城关街道办事处" → "城关街道", "××开发区管委会" → "××开发区"; other names unchanged."""
    for suffix, replacement in _TOWNSHIP_OFFICE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(replacement) else stem + replacement
    return name


def county_place_name(county: DivisionLike) -> str:
    """"金水区" under 郑州市 → "郑州市金水区"; "中牟县", "巩义市" and "郑州经济技术开发区" unchanged.

    Seed 000: "×县（市）公共法律服务中心" or "×市×区公共法律服务中心" — a district needs its
    city in front; a zone whose name already starts with the city's name does not.
    """
    name = county.name
    city = county.parent
    if city is None or name.endswith(_COUNTY_SELF_STANDING) or not name.endswith("区"):
        return name
    city_name = _city_display_name(city)
    if name.startswith(_city_short_name(city_name)):
        return name
    return city_name + name


def has_service_point(division: NamedLevel) -> bool:
    """Whether ``division`` gets a service point (not provinces, not county-grouping city rows)."""
    if division.level == DivisionLevel.PROVINCE:
        return False
    return not (division.level == DivisionLevel.CITY and division.name in GROUPING_CITY_NAMES)


def service_point_name(division: DivisionLike) -> str:
    """The standard name of the service point on ``division`` (city to village level)."""
    level = DivisionLevel(division.level)
    if level == DivisionLevel.PROVINCE:
        raise ValueError("provinces have no service point kind")
    kind = KIND_BY_LEVEL[level]
    if level == DivisionLevel.CITY:
        if not has_service_point(division):
            raise ValueError(f"{division.name} only groups counties: no city-level point")
        place = _city_display_name(division)
    elif level == DivisionLevel.COUNTY:
        place = county_place_name(division)
    elif level == DivisionLevel.TOWNSHIP:
        place = township_place_name(division.name)
    else:
        place = village_place_name(division.name)
    return place + SUFFIX[kind]


@dataclass(frozen=True)
class Standard:
    """What a point of one kind must have. Empty tuples mean "no requirement"."""

    min_floor_area: int
    min_hall_area: int | None = None
    zones: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    accessible_facilities: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()


STANDARDS: dict[str, Standard] = {
    # 001 §二(一): 郑州市公共法律服务大厅 ≥600 m², of which the hall ≥300 m²; 000 §三(三)/(四):
    # office, service and waiting zones; 电子显示屏 and 触摸查询一体机 in the hall ("应当安装");
    # basic posts 综合接待岗/法律咨询岗/法律援助岗.
    ServicePointKind.CITY_HALL: Standard(
        min_floor_area=600, min_hall_area=300,
        zones=("办公区", "服务区", "等候区"),
        posts=("综合接待岗", "法律咨询岗", "法律援助岗"),
        accessible_facilities=("无障碍通道",),
        equipment=("电子显示屏", "触摸查询一体机"),
    ),
    # 001 §二(二): ≥200 m²; the same center rules of 000 as above.
    ServicePointKind.COUNTY_CENTER: Standard(
        min_floor_area=200,
        zones=("办公区", "服务区", "等候区"),
        posts=("综合接待岗", "法律咨询岗", "法律援助岗"),
        accessible_facilities=("无障碍通道",),
        equipment=("电子显示屏", "触摸查询一体机"),
    ),
    # 001 §二(三): ≥50 m², open service hall with reception windows; 000: the county-wide
    # 法律服务导引指示栏 must hang there (display and kiosk only "有条件的地方").
    ServicePointKind.TOWNSHIP_STATION: Standard(
        min_floor_area=50,
        zones=("服务厅", "接待窗口"),
        accessible_facilities=("无障碍通道",),
        equipment=("法律服务导引指示栏",),
    ),
    # 001 §二(四): ≥20 m²; 000: 法律服务公示栏 and 便民信箱.
    ServicePointKind.VILLAGE_ROOM: Standard(
        min_floor_area=20,
        equipment=("法律服务公示栏", "便民信箱"),
    ),
}


def floor_area_standard(kind: str) -> int:
    """Minimum floor area in m² for a point of ``kind``."""
    return STANDARDS[kind].min_floor_area


@dataclass(frozen=True)
class Shortfall:
    code: str  # floor_area, hall_area, zones, posts, accessible_facilities, equipment
    message: str


def _missing(have: Sequence[str] | None, need: Sequence[str]) -> list[str]:
    present = set(have or ())
    return [item for item in need if item not in present]


def check_standards(point: Any) -> list[Shortfall]:
    """Where ``point`` (anything with the ServicePoint fields) falls short of its kind's standard."""
    standard = STANDARDS[point.kind]
    shortfalls: list[Shortfall] = []
    if point.floor_area is None:
        shortfalls.append(Shortfall("floor_area", _("未登记建筑面积（标准不小于 %(min)d 平方米）。")
                                    % {"min": standard.min_floor_area}))
    elif Decimal(point.floor_area) < standard.min_floor_area:
        shortfalls.append(Shortfall("floor_area", _("建筑面积 %(area)s 平方米，低于标准 %(min)d 平方米。")
                                    % {"area": point.floor_area, "min": standard.min_floor_area}))
    if standard.min_hall_area is not None:
        if point.hall_area is None:
            shortfalls.append(Shortfall("hall_area", _("未登记服务大厅面积（标准不小于 %(min)d 平方米）。")
                                        % {"min": standard.min_hall_area}))
        elif Decimal(point.hall_area) < standard.min_hall_area:
            shortfalls.append(Shortfall(
                "hall_area", _("服务大厅面积 %(area)s 平方米，低于标准 %(min)d 平方米。")
                % {"area": point.hall_area, "min": standard.min_hall_area},
            ))
    checks = (
        ("zones", point.zones, standard.zones, _("缺少功能区：%(items)s。")),
        ("posts", point.posts, standard.posts, _("缺少基本岗位：%(items)s。")),
        ("accessible_facilities", point.accessible_facilities, standard.accessible_facilities,
         _("缺少无障碍设施：%(items)s。")),
        ("equipment", point.equipment, standard.equipment, _("缺少设施设备：%(items)s。")),
    )
    for code, have, need, message in checks:
        missing = _missing(have, need)
        if missing:
            shortfalls.append(Shortfall(code, message % {"items": "、".join(missing)}))
    return shortfalls

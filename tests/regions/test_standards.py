"""Standard names on real name patterns (seed 000 §三) and the standards check (seed 001 §二)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fawang.regions.models import DivisionLevel, ServicePoint, ServicePointKind
from fawang.regions.standards import (
    STANDARDS,
    check_standards,
    floor_area_standard,
    has_service_point,
    service_point_name,
    village_place_name,
)


def division(name: str, level: DivisionLevel, parent: SimpleNamespace | None = None) -> SimpleNamespace:
    return SimpleNamespace(name=name, level=level, parent=parent)


HENAN = division("河南省", DivisionLevel.PROVINCE)
ZHENGZHOU = division("郑州市", DivisionLevel.CITY, HENAN)
BEIJING = division("北京市", DivisionLevel.PROVINCE)
BEIJING_CITY = division("市辖区", DivisionLevel.CITY, BEIJING)
HENAN_GROUP = division("省直辖县级行政区划", DivisionLevel.CITY, HENAN)


@pytest.mark.parametrize(
    ("city", "county", "expected"),
    [
        (ZHENGZHOU, "金水区", "郑州市金水区公共法律服务中心"),
        (ZHENGZHOU, "管城回族区", "郑州市管城回族区公共法律服务中心"),
        (ZHENGZHOU, "中牟县", "中牟县公共法律服务中心"),
        (ZHENGZHOU, "巩义市", "巩义市公共法律服务中心"),
        # Development zones already carry the city's name: no "郑州市郑州…".
        (ZHENGZHOU, "郑州经济技术开发区", "郑州经济技术开发区公共法律服务中心"),
        (ZHENGZHOU, "郑州航空港经济综合实验区", "郑州航空港经济综合实验区公共法律服务中心"),
        # Municipality: the "市辖区" city row stands for 北京市.
        (BEIJING_CITY, "东城区", "北京市东城区公共法律服务中心"),
        (HENAN_GROUP, "济源市", "济源市公共法律服务中心"),
    ],
)
def test_county_center_names(city: SimpleNamespace, county: str, expected: str) -> None:
    assert service_point_name(division(county, DivisionLevel.COUNTY, city)) == expected


def test_city_names() -> None:
    assert service_point_name(ZHENGZHOU) == "郑州市公共法律服务中心"
    assert service_point_name(BEIJING_CITY) == "北京市公共法律服务中心"
    assert not has_service_point(HENAN_GROUP)
    assert not has_service_point(HENAN)
    with pytest.raises(ValueError):
        service_point_name(HENAN_GROUP)
    with pytest.raises(ValueError):
        service_point_name(HENAN)


@pytest.mark.parametrize(
    ("township", "expected"),
    [
        ("经八路街道", "经八路街道公共法律服务工作站"),
        ("城关镇", "城关镇公共法律服务工作站"),
        ("圃田乡", "圃田乡公共法律服务工作站"),
        ("金寨回族乡", "金寨回族乡公共法律服务工作站"),
        ("郑州经济技术开发区明湖街道", "郑州经济技术开发区明湖街道公共法律服务工作站"),
        ("伏羲山风景区", "伏羲山风景区公共法律服务工作站"),
        # Names of the office rather than the place.
        ("城关街道办事处", "城关街道公共法律服务工作站"),
        ("南环街道办事处", "南环街道公共法律服务工作站"),
        ("兴隆林业局办事处", "兴隆林业局办事处公共法律服务工作站"),  # not a 街道: keep the name
        ("东湖新技术开发区管委会", "东湖新技术开发区公共法律服务工作站"),
    ],
)
def test_township_station_names(township: str, expected: str) -> None:
    county = division("金水区", DivisionLevel.COUNTY, ZHENGZHOU)
    assert service_point_name(division(township, DivisionLevel.TOWNSHIP, county)) == expected


@pytest.mark.parametrize(
    ("village", "place"),
    [
        ("郑庄村村民委员会", "郑庄村"),
        ("西柏坡村民委员会", "西柏坡村"),  # the 村 is shared with 村民委员会
        ("东风路村委会", "东风路村"),
        ("小刘村村委会", "小刘村"),
        ("省委社区居民委员会", "省委社区"),
        ("多福巷社区居委会", "多福巷社区"),
        ("体育社区居民居委会", "体育社区"),
        ("亚星社区居民管理委员会", "亚星社区"),
        ("贾寨社区管理委员会", "贾寨社区"),
        ("福华南街社区委员会", "福华南街社区"),
        ("迎仙阁居委会", "迎仙阁社区"),
        ("管道三公司居民委员会", "管道三公司社区"),
        ("巴彦嘎查村民委员会", "巴彦嘎查"),
        ("光合花园社区", "光合花园社区"),  # already the place name
        ("岗李村", "岗李村"),
        ("东风路科技市场拟社区", "东风路科技市场拟社区"),
        # Quirks from the national file: notes in brackets, 嘎查 committees, misspellings.
        ("乌龙巷居委会（社区）", "乌龙巷社区"),
        ("新月村委会（新月工业小区）（省级）", "新月村"),
        ("园艺场（特殊村委会）", "园艺场"),
        ("斯布扣嘎查村委员会", "斯布扣嘎查"),
        ("鸿图嘎查委员会", "鸿图嘎查"),
        ("峨堡村牧民委员会", "峨堡村"),
        ("佳和社区居民委会", "佳和社区"),
        ("万山社区居委会会", "万山社区"),
    ],
)
def test_village_place_names(village: str, place: str) -> None:
    assert village_place_name(village) == place
    township = division("城关镇", DivisionLevel.TOWNSHIP)
    assert service_point_name(division(village, DivisionLevel.VILLAGE, township)) == place + "公共法律服务工作室"


@dataclass
class Point:
    """Duck-typed service point: the check works on anything with these fields."""

    kind: str
    floor_area: Decimal | None
    hall_area: Decimal | None = None
    zones: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    accessible_facilities: list[str] = field(default_factory=list)
    equipment: list[str] = field(default_factory=list)


def complete(kind: str) -> Point:
    standard = STANDARDS[kind]
    return Point(
        kind=kind, floor_area=Decimal(standard.min_floor_area),
        hall_area=Decimal(standard.min_hall_area) if standard.min_hall_area else None,
        zones=list(standard.zones), posts=list(standard.posts),
        accessible_facilities=list(standard.accessible_facilities), equipment=list(standard.equipment),
    )


def test_floor_area_standards_follow_the_zhengzhou_plan() -> None:
    assert floor_area_standard(ServicePointKind.CITY_HALL) == 600
    assert STANDARDS[ServicePointKind.CITY_HALL].min_hall_area == 300
    assert floor_area_standard(ServicePointKind.COUNTY_CENTER) == 200
    assert floor_area_standard(ServicePointKind.TOWNSHIP_STATION) == 50
    assert floor_area_standard(ServicePointKind.VILLAGE_ROOM) == 20


@pytest.mark.parametrize("kind", list(ServicePointKind))
def test_a_point_exactly_at_the_standard_has_no_shortfall(kind: str) -> None:
    assert check_standards(complete(kind)) == []


def test_small_area_and_missing_hall_area() -> None:
    point = complete(ServicePointKind.CITY_HALL)
    point.floor_area = Decimal("599.5")
    point.hall_area = None
    shortfalls = check_standards(point)
    assert [s.code for s in shortfalls] == ["floor_area", "hall_area"]
    assert "599.5" in shortfalls[0].message and "600" in shortfalls[0].message
    assert "未登记服务大厅面积" in shortfalls[1].message


def test_center_missing_posts_zones_and_equipment() -> None:
    point = complete(ServicePointKind.COUNTY_CENTER)
    point.posts = ["综合接待岗"]
    point.zones = ["办公区", "服务区"]
    point.equipment = ["电子显示屏"]
    point.accessible_facilities = []
    messages = {s.code: s.message for s in check_standards(point)}
    assert messages == {
        "zones": "缺少功能区：等候区。",
        "posts": "缺少基本岗位：法律咨询岗、法律援助岗。",
        "accessible_facilities": "缺少无障碍设施：无障碍通道。",
        "equipment": "缺少设施设备：触摸查询一体机。",
    }


def test_village_room_needs_notice_board_and_letter_box_but_no_posts() -> None:
    point = Point(kind=ServicePointKind.VILLAGE_ROOM, floor_area=Decimal(18), equipment=["法律服务公示栏"])
    assert [(s.code, s.message) for s in check_standards(point)] == [
        ("floor_area", "建筑面积 18 平方米，低于标准 20 平方米。"),
        ("equipment", "缺少设施设备：便民信箱。"),
    ]


def test_unrecorded_area_is_a_shortfall_and_model_instances_work() -> None:
    point = ServicePoint(kind=ServicePointKind.TOWNSHIP_STATION, floor_area=None)
    codes = [s.code for s in check_standards(point)]
    assert codes == ["floor_area", "zones", "accessible_facilities", "equipment"]


# Property: whatever the place name, a committee suffix never survives into the point name,
# the unit word is kept once, and the name carries the room suffix exactly once.
_place = st.text(alphabet="东西南北大小王李张刘陈杨赵黄周吴花园路街庄寨沟岗河湖山", min_size=1, max_size=6)


@given(place=_place, unit=st.sampled_from(["村", "社区"]),
       committee=st.sampled_from(["", "村民委员会", "村委会", "居民委员会", "居委会", "居民管理委员会"]))
def test_village_names_never_keep_the_committee(place: str, unit: str, committee: str) -> None:
    if unit == "社区" and committee in ("村民委员会", "村委会"):
        committee = "居委会"
    if unit == "村" and committee and committee not in ("村民委员会", "村委会"):
        committee = "村委会"
    name = service_point_name(division(place + unit + committee, DivisionLevel.VILLAGE))
    assert name == place + unit + "公共法律服务工作室"
    assert "委员会" not in name and "委会" not in name

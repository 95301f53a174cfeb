"""Public API and pages (no login), and the standards report command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fawang.regions.models import ServicePoint
from fawang.regions.services import divisions_import, service_points_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(divisions_dir: Path) -> None:
    divisions_import(directory=divisions_dir)
    service_points_generate(region_code="4101")
    service_points_generate(region_code="4201")


def test_division_tree_browsing(client: Client, points: None) -> None:
    provinces = client.get("/api/regions/divisions").json()
    assert [d["code"] for d in provinces["items"]] == ["41", "42"]
    assert provinces["count"] == 2

    counties = client.get("/api/regions/divisions", {"parent": "4101"}).json()
    assert [(d["code"], d["name"], d["level"]) for d in counties["items"]] == [
        ("410105", "金水区", 3), ("410122", "中牟县", 3),
    ]
    detail = client.get("/api/regions/divisions/410105001").json()
    assert [a["code"] for a in detail["ancestors"]] == ["41", "4101", "410105"]
    assert detail["children_count"] == 1 and detail["level_label"] == "乡级"
    assert client.get("/api/regions/divisions/999999").status_code == 404


def test_point_list_filters_and_pagination(client: Client, points: None) -> None:
    everything = client.get("/api/regions/points").json()
    assert everything["count"] == 11

    in_jinshui = client.get("/api/regions/points", {"region": "410105"}).json()
    assert {p["code"] for p in in_jinshui["items"]} == {"SP410105", "SP410105001", "SP410105001001"}

    rooms = client.get("/api/regions/points", {"region": "4101", "kind": "village_room"}).json()
    assert rooms["count"] == 2 and {p["kind_label"] for p in rooms["items"]} == {"村（居）公共法律服务工作室"}

    assert client.get("/api/regions/points", {"q": "城关镇 工作站"}).json()["count"] == 1

    page2 = client.get("/api/regions/points", {"page": 2, "page_size": 5}).json()
    assert (page2["count"], page2["page"], len(page2["items"])) == (11, 2, 5)
    assert client.get("/api/regions/points", {"page_size": 1000}).status_code == 400
    assert client.get("/api/regions/points", {"kind": "palace"}).status_code == 400


def test_point_detail_and_inactive_points(client: Client, points: None) -> None:
    detail = client.get("/api/regions/points/SP4101").json()
    assert detail["name"] == "郑州市公共法律服务中心"
    stored = ServicePoint.objects.get(code="SP4101")
    assert (detail["posts"], detail["zones"], detail["equipment"]) == (stored.posts, stored.zones, stored.equipment)
    assert detail["opening_hours"]
    ServicePoint.objects.filter(code="SP4101").update(is_active=False)
    assert client.get("/api/regions/points/SP4101").status_code == 404
    assert client.get("/api/regions/points/NOPE").status_code == 404


def test_nearest_points(client: Client, points: None) -> None:
    # Standing at the 中牟县 center's approximate position.
    nearest = client.get("/api/regions/points/nearest", {"lat": 34.719, "lng": 113.976, "limit": 3}).json()
    assert nearest[0]["point"]["code"] == "SP410122"
    assert nearest[0]["distance_km"] < 0.1
    distances = [n["distance_km"] for n in nearest]
    assert distances == sorted(distances) and len(nearest) == 3
    stations = client.get("/api/regions/points/nearest",
                          {"lat": 34.719, "lng": 113.976, "kind": "township_station"}).json()
    assert {n["point"]["kind"] for n in stations} == {"township_station"}
    assert client.get("/api/regions/points/nearest", {"lat": 91, "lng": 0}).status_code == 400
    assert client.get("/api/regions/points/nearest", {"lat": 34, "lng": 113, "limit": 0}).status_code == 400


def test_finder_page_by_county_and_township(client: Client, points: None) -> None:
    page = client.get("/points/").content.decode()
    assert "公共法律服务站点查询" in page and "金水区" in page and "共 11 个站点" in page

    page = client.get("/points/", {"county": "410105"}).content.decode()
    assert "共 3 个站点" in page and "经八路街道公共法律服务工作站" in page
    assert "中牟县公共法律服务中心" not in page

    page = client.get("/points/", {"county": "410105", "township": "410105001"}).content.decode()
    assert "共 2 个站点" in page
    # A township from another county is ignored rather than silently emptying the list.
    assert "共 3 个站点" in client.get("/points/", {"county": "410105", "township": "410122100"}).content.decode()

    partial = client.get("/points/", {"county": "410122"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "中牟县公共法律服务中心" in partial

    options = client.get("/points/townships/", {"county": "410122"}).content.decode()
    assert 'value="410122100"' in options and "城关镇" in options


def test_finder_nearest_by_position(client: Client, points: None) -> None:
    page = client.get("/points/", {"lat": "34.719", "lng": "113.976"}).content.decode()
    assert "离您最近的站点" in page
    assert page.index("中牟县公共法律服务中心") < page.index("郑州市公共法律服务中心")


def test_detail_page_shows_standard_details_and_nearest(client: Client, points: None) -> None:
    response = client.get("/points/SP410105/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "郑州市金水区公共法律服务中心" in page
    point = ServicePoint.objects.get(code="SP410105")
    for text in (point.address, point.opening_hours, "综合接待岗", "附近的其他站点", "演示数据"):
        assert text in page
    assert page.count('href="/points/SP') >= 3  # the nearest others
    assert client.get("/points/NOPE/").status_code == 404


def test_standards_command(points: None) -> None:
    ServicePoint.objects.filter(code="SP410122").update(floor_area=150, posts=["综合接待岗"])
    out = StringIO()
    call_command("service_point_standards", "--region", "4101", stdout=out)
    text = out.getvalue()
    assert "区划：4101" in text
    assert "SP410122 中牟县公共法律服务中心：建筑面积 150.0 平方米，低于标准 200 平方米。" in text
    assert "缺少基本岗位：法律咨询岗、法律援助岗" in text
    lines = [line for line in text.splitlines() if line.startswith("合计")]
    assert lines and lines[0].split()[1] == "7"
    with pytest.raises(CommandError):
        call_command("service_point_standards", "--region", "abc", stdout=StringIO())


def test_standards_api_is_for_supervisors_inside_their_region(client: Client, points: None) -> None:
    from fawang.accounts.models import Role, User

    ServicePoint.objects.filter(code="SP410105001").update(floor_area=30)
    assert client.get("/api/regions/standards").status_code == 401

    clerk = User.objects.create_user("clerk", password="x-Strong-pass-1", role=Role.WINDOW_CLERK,
                                     division_id="410105")
    client.force_login(clerk)
    assert client.get("/api/regions/standards").status_code == 403

    supervisor = User.objects.create_user("sup", password="x-Strong-pass-1", role=Role.SUPERVISOR,
                                          division_id="410105")
    client.force_login(supervisor)
    report = client.get("/api/regions/standards").json()
    assert report["region"] == "410105"
    assert sum(k["total"] for k in report["kinds"]) == 3
    stations = next(k for k in report["kinds"] if k["kind"] == "township_station")
    assert stations["below_standard"] == 1 and stations["shortfalls"]["floor_area"] == 1
    assert [b["code"] for b in report["below"]] == ["SP410105001"]
    assert report["below"][0]["shortfalls"][0]["message"] == "建筑面积 30.0 平方米，低于标准 50 平方米。"

    assert client.get("/api/regions/standards", {"region": "410105001"}).json()["below_count"] == 1
    assert client.get("/api/regions/standards", {"region": "410122"}).status_code == 404
    assert client.get("/api/regions/standards", {"region": "4101"}).status_code == 404


def test_openapi_lists_the_regions_endpoints(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/regions/divisions", "/api/regions/divisions/{code}", "/api/regions/points",
                 "/api/regions/points/nearest", "/api/regions/points/{code}", "/api/regions/standards"):
        assert path in paths

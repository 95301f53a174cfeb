"""Back office: region-scoped lists, read-mostly divisions, shortfalls shown, region_code derived."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from fawang.accounts.models import Role, User
from fawang.regions.models import ServicePoint
from fawang.regions.services import divisions_import, service_points_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(divisions_dir: Path) -> None:
    divisions_import(directory=divisions_dir)
    service_points_generate(region_code="4101")
    service_points_generate(region_code="4201")


def staff(role: str, division: str) -> User:
    return User.objects.create_user(username=f"{role}-{division}", password="x-Strong-pass-1", role=role,
                                    division_id=division, is_staff=True)


def test_county_officer_sees_only_the_county(client: Client, points: None) -> None:
    client.force_login(staff(Role.SYSTEM_ADMIN, "410105"))
    page = client.get("/admin/regions/servicepoint/").content.decode()
    assert "郑州市金水区公共法律服务中心" in page
    assert "中牟县公共法律服务中心" not in page and "武汉" not in page
    other = ServicePoint.objects.get(code="SP410122")
    assert client.get(f"/admin/regions/servicepoint/{other.pk}/change/").status_code == 404

    divisions = client.get("/admin/regions/division/", {"q": "4101"}).content.decode()
    assert "经八路街道" in divisions and "城关镇" not in divisions


def test_divisions_are_read_mostly(client: Client, points: None) -> None:
    client.force_login(staff(Role.SYSTEM_ADMIN, "41"))
    assert client.get("/admin/regions/division/add/").status_code == 403
    assert client.post("/admin/regions/division/410105/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/admin/regions/division/410105/change/", {"name": "金水区（更名）"})
    assert response.status_code == 302
    assert client.get("/admin/regions/division/", {"level__exact": "3"}).status_code == 200


def test_shortfalls_listed_and_filtered(client: Client, points: None) -> None:
    ServicePoint.objects.filter(code="SP410122").update(floor_area=150)
    client.force_login(User.objects.create_superuser("root", password="x-Strong-pass-1"))
    below = client.get("/admin/regions/servicepoint/", {"standards": "below"}).content.decode()
    assert "建筑面积 150.0 平方米，低于标准 200 平方米" in below
    ok = client.get("/admin/regions/servicepoint/", {"standards": "ok"}).content.decode()
    assert "中牟县公共法律服务中心" not in ok
    point = ServicePoint.objects.get(code="SP410122")
    assert "低于标准 200 平方米" in client.get(f"/admin/regions/servicepoint/{point.pk}/change/").content.decode()


def test_region_code_follows_the_division_and_scope_is_kept(client: Client, points: None) -> None:
    client.force_login(staff(Role.SYSTEM_ADMIN, "410105"))
    data = {"code": "SP-NEW", "name": "经八路街道公共法律服务工作站（分站）", "kind": "township_station",
            "division": "410105001", "is_active": "on", "zones": "[]", "posts": "[]",
            "accessible_facilities": "[]", "equipment": "[]"}
    response = client.post("/admin/regions/servicepoint/add/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert ServicePoint.objects.get(code="SP-NEW").region_code == "410105001"

    outside = dict(data, code="SP-OUT", division="410122100")
    response = client.post("/admin/regions/servicepoint/add/", outside)
    assert response.status_code in (200, 403)
    assert not ServicePoint.objects.filter(code="SP-OUT").exists()


def test_clerk_without_reference_rights_cannot_edit(client: Client, points: None) -> None:
    client.force_login(staff(Role.WINDOW_CLERK, "410105"))
    point = ServicePoint.objects.get(code="SP410105")
    assert client.get("/admin/regions/servicepoint/").status_code == 200  # may look
    response = client.post(f"/admin/regions/servicepoint/{point.pk}/change/", {"name": "x"})
    assert response.status_code == 403

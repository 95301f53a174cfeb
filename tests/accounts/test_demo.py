from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate

from fawang.accounts import demo
from fawang.accounts.models import Role, User
from fawang.core.management.commands.demo_logins import DEMO_PASSWORD
from fawang.regions.models import Division, DivisionLevel, ServicePoint, ServicePointKind

pytestmark = pytest.mark.django_db


def regions() -> None:
    henan = Division.objects.create(code="41", name="河南省", level=DivisionLevel.PROVINCE)
    zz = Division.objects.create(code="4101", name="郑州市", level=DivisionLevel.CITY, parent=henan)
    for code, name in (("410105", "金水区"), ("410122", "中牟县")):
        county = Division.objects.create(code=code, name=name, level=DivisionLevel.COUNTY, parent=zz)
        town = Division.objects.create(code=code + "001", name=name + "街道", level=DivisionLevel.TOWNSHIP,
                                       parent=county)
        vil = Division.objects.create(code=code + "001001", name=name + "社区", level=DivisionLevel.VILLAGE,
                                      parent=town)
        for division, kind in ((county, ServicePointKind.COUNTY_CENTER), (town, ServicePointKind.TOWNSHIP_STATION),
                               (vil, ServicePointKind.VILLAGE_ROOM)):
            ServicePoint.objects.create(code=f"SP{division.code}", name=division.name + "服务点", kind=kind,
                                        division=division, region_code=division.code)


def test_skips_without_regions() -> None:
    out = io.StringIO()
    demo.load(stdout=out)
    assert "跳过" in out.getvalue() and not User.objects.exists()


def test_demo_users_are_created_once_and_scoped(rf) -> None:
    regions()
    demo.load(stdout=io.StringIO())
    count = User.objects.count()
    assert count == 21
    demo.load(stdout=io.StringIO())
    assert User.objects.count() == count
    assert not User.objects.filter(is_demo=False).exists()

    clerk = User.objects.get(username="jinshui.clerk")
    assert clerk.role == Role.WINDOW_CLERK and clerk.service_point.code == "SP410105" and clerk.scope_code == "410105"
    assert User.objects.get(username="zhongmou.adviser").scope_code == "410122001001"
    assert User.objects.get(username="zhongmou.mediator").service_point.kind == ServicePointKind.TOWNSHIP_STATION
    assert User.objects.get(username="jinshui.supervisor").scope_code == "410105"
    assert User.objects.get(username="zhengzhou.supervisor").scope_code == "4101"
    assert User.objects.get(username="henan.supervisor").scope_code == "41"
    assert User.objects.get(username="national.supervisor").scope_code == ""
    assert User.objects.get(username="citizen.demo").scope_code is None
    assert all(u.real_name for u in User.objects.all())
    assert authenticate(rf.post("/accounts/login/"), username="jinshui.clerk", password=DEMO_PASSWORD) == clerk

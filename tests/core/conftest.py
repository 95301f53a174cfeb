"""A small two-county world (Zhengzhou: 金水区 410105 = county A, 中牟县 410122 = county B)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from fawang.accounts.models import Role, User
from fawang.regions.models import Division, DivisionLevel, ServicePoint, ServicePointKind

COUNTY_A, COUNTY_B = "410105", "410122"


@dataclass
class World:
    divisions: dict[str, Division] = field(default_factory=dict)
    points: dict[str, ServicePoint] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # "A:window_clerk", "B:window_clerk", "city", …

    def user(self, key: str) -> User:
        return self.users[key]


def _division(code: str, name: str, parent: Division | None) -> Division:
    level = {2: DivisionLevel.PROVINCE, 4: DivisionLevel.CITY, 6: DivisionLevel.COUNTY,
             9: DivisionLevel.TOWNSHIP, 12: DivisionLevel.VILLAGE}[len(code)]
    return Division.objects.create(code=code, name=name, level=level, parent=parent)


def _point(division: Division, kind: str) -> ServicePoint:
    return ServicePoint.objects.create(code=f"SP{division.code}", name=f"{division.name}公共法律服务点",
                                       kind=kind, division=division, region_code=division.code)


def build_world() -> World:
    world = World()
    henan = _division("41", "河南省", None)
    zhengzhou = _division("4101", "郑州市", henan)
    world.divisions.update({"41": henan, "4101": zhengzhou})
    for code, name, township, village in (
        (COUNTY_A, "金水区", "410105001", "410105001001"),
        (COUNTY_B, "中牟县", "410122100", "410122100200"),
    ):
        county = _division(code, name, zhengzhou)
        town = _division(township, f"{name}一街道", county)
        vil = _division(village, f"{name}一社区", town)
        world.divisions.update({code: county, township: town, village: vil})
        world.points[code] = _point(county, ServicePointKind.COUNTY_CENTER)
        world.points[township] = _point(town, ServicePointKind.TOWNSHIP_STATION)
        world.points[village] = _point(vil, ServicePointKind.VILLAGE_ROOM)
    for side, code in (("A", COUNTY_A), ("B", COUNTY_B)):
        for role in Role.values:
            if role in (Role.CITIZEN, Role.SYSTEM_ADMIN):
                continue
            kwargs: dict[str, Any] = {"division": world.divisions[code]}
            if role != Role.SUPERVISOR:
                kwargs["service_point"] = world.points[code]
            world.users[f"{side}:{role}"] = User.objects.create_user(
                f"{side.lower()}.{role}", password=None, role=role, is_staff=True,
                real_name=f"{side}{role}人员", **kwargs,
            )
        world.users[f"{side}:system_admin"] = User.objects.create_user(
            f"{side.lower()}.system_admin", password=None, role=Role.SYSTEM_ADMIN, is_staff=True,
            division=world.divisions[code],
        )
    world.users["city"] = User.objects.create_user("city.supervisor", password=None, role=Role.SUPERVISOR,
                                                   is_staff=True, division=zhengzhou)
    world.users["national"] = User.objects.create_user("national.supervisor", password="x",
                                                       role=Role.SUPERVISOR, is_staff=True)
    world.users["citizen"] = User.objects.create_user("citizen", password=None, role=Role.CITIZEN)
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()

from __future__ import annotations

import itertools

import pytest

from fawang.accounts.models import Role, User
from fawang.catalog.models import ServiceItem
from fawang.regions.models import Division, DivisionLevel, ServicePoint

_seq = itertools.count(1)
ID_NUMBERS = ["410102199003071230", "410105198506120043"]


def division(code: str) -> Division:
    level = {2: DivisionLevel.PROVINCE, 4: DivisionLevel.CITY, 6: DivisionLevel.COUNTY,
             9: DivisionLevel.TOWNSHIP, 12: DivisionLevel.VILLAGE}[len(code)]
    parent = None
    for length in (9, 6, 4, 2):
        if length < len(code):
            parent = division(code[:length])
            break
    obj, _ = Division.objects.get_or_create(code=code, defaults={"name": code, "level": level, "parent": parent})
    return obj


def point(code: str, region_code: str, kind: str) -> ServicePoint:
    obj, _ = ServicePoint.objects.get_or_create(
        code=code, defaults={"name": f"服务点{code}", "kind": kind, "division": division(region_code),
                             "region_code": region_code},
    )
    return obj


def staff(role: str, at: ServicePoint | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(username=f"tj{n}-{role}", password="pw-Test-12345", role=role,
                                    real_name=f"调解员{n}", service_point=at)


@pytest.fixture
def item(db):
    obj, _ = ServiceItem.objects.update_or_create(
        code="GGFL-TJ-001",
        defaults={"name": "人民调解", "service_type": "mediation", "lowest_level": "village",
                  "channels": ["window", "web", "hotline"],
                  "time_limits": [{"step": "mediate", "name": "调解", "days": 30, "article": "服务承诺",
                                   "start_event": "case.accepted",
                                   "stop_events": ["mediation.agreed", "mediation.failed", "mediation.refused"]}]},
    )
    return obj


@pytest.fixture
def station(db):
    return point("TJ-410102001", "410102001", "township_station")


@pytest.fixture
def other_station(db):
    return point("TJ-410103001", "410103001", "township_station")


@pytest.fixture
def clerk(station):
    return staff(Role.WINDOW_CLERK, station)


@pytest.fixture
def mediator_user(station):
    return staff(Role.MEDIATOR, station)


@pytest.fixture
def outsider(other_station):
    return staff(Role.MEDIATOR, other_station)


@pytest.fixture
def committee(db):
    from fawang.directory.models import Institution

    return Institution.objects.create(kind="mediation_committee", mediation_kind="township",
                                      name="某街道人民调解委员会", division=division("410102001"),
                                      region_code="410102001")


@pytest.fixture
def mediators(committee):
    from fawang.directory.models import Practitioner

    return [
        Practitioner.objects.create(kind="mediator", name=name, institution=committee, division=committee.division,
                                    region_code=committee.region_code)
        for name in ("刘调解", "陈调解")
    ]


@pytest.fixture
def parties(db):
    from fawang.cases.services import party_create

    a = party_create(name="张三", id_number=ID_NUMBERS[0], phone="13800138000", address="某街1号",
                     region_code="410102001")
    b = party_create(name="李四", id_number=ID_NUMBERS[1], phone="13900139000", address="某街2号",
                     region_code="410102001")
    return a, b

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from fawang.accounts.models import Role, User
from fawang.catalog.models import ServiceItem
from fawang.regions.models import Division, DivisionLevel, ServicePoint

_seq = itertools.count(1)

# Valid resident ID numbers (GB 11643 check digit).
ID_NUMBERS = ["410102199003071230", "410105198506120043", "410103197201010057", "11010519491231002X"]


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


def staff(role: str, at: ServicePoint | None = None, division_code: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(
        username=f"la{n}-{role}", password="pw-Test-12345", role=role, real_name=f"工作人员{n}",
        service_point=at, division=division(division_code) if division_code else None,
    )


LEGAL_AID_TIME_LIMITS = [
    {"step": "forward", "name": "转交法律援助机构", "hours": 24, "article": "法律援助法第三十九条",
     "start_event": "legalaid.detained_received", "stop_events": ["case.transferred"]},
    {"step": "decide", "name": "审查决定", "days": 7, "article": "法律援助法第四十三条",
     "start_event": "case.accepted",
     "stop_events": ["legalaid.approved", "legalaid.refused", "legalaid.fast_tracked", "case.withdrawn"]},
    {"step": "assign", "name": "指派", "days": 3, "article": "法律援助法第四十三条",
     "start_event": "legalaid.approved", "stop_events": ["legalaid.assigned"]},
    {"step": "objection", "name": "异议审查", "days": 5, "article": "法律援助法第四十九条",
     "start_event": "legalaid.objection_filed", "stop_events": ["legalaid.objection_decided"]},
]


@pytest.fixture
def items(db):
    app_item, _ = ServiceItem.objects.update_or_create(
        code="GGFL-FY-001",
        defaults={"name": "法律援助申请", "service_type": "legal_aid", "lowest_level": "county",
                  "time_limits": LEGAL_AID_TIME_LIMITS, "channels": ["window", "web", "hotline"],
                  "materials": [{"key": "id_card", "name": "身份证件", "required": True}]},
    )
    notified, _ = ServiceItem.objects.update_or_create(
        code="GGFL-FY-002",
        defaults={"name": "通知辩护", "service_type": "legal_aid", "lowest_level": "county",
                  "time_limits": [{"step": "assign", "name": "指派", "days": 3, "article": "法律援助法第三十六条",
                                   "start_event": "legalaid.notified", "stop_events": ["legalaid.assigned"]}],
                  "channels": ["notification"]},
    )
    return app_item, notified


@pytest.fixture
def center(db):
    return point("FY-410102", "410102", "county_center")


@pytest.fixture
def station(db):
    return point("FY-410102001", "410102001", "township_station")


@pytest.fixture
def other_center(db):
    return point("FY-410103", "410103", "county_center")


@pytest.fixture
def clerk(center):
    return staff(Role.WINDOW_CLERK, center)


@pytest.fixture
def station_clerk(station):
    return staff(Role.WINDOW_CLERK, station)


@pytest.fixture
def reviewer(center):
    return staff(Role.LEGAL_AID_REVIEWER, center)


@pytest.fixture
def approver(center):
    return staff(Role.LEGAL_AID_APPROVER, center)


@pytest.fixture
def outsider(other_center):
    return staff(Role.LEGAL_AID_APPROVER, other_center)


@pytest.fixture
def bureau(db):
    """A supervisor of the county justice bureau that set up the center (第四十九条)."""
    return staff(Role.SUPERVISOR, division_code="410102")


@pytest.fixture
def standard(db):
    from fawang.legalaid.models import HardshipStandard

    HardshipStandard.objects.create(region_code="41", monthly_income_per_capita_max=Decimal("1500"))
    return HardshipStandard.objects.create(region_code="410102", monthly_income_per_capita_max=Decimal("1200"))


@pytest.fixture
def lawyers(db):
    from fawang.directory.models import Practitioner

    d = division("410102")
    return [
        Practitioner.objects.create(kind="lawyer", name=name, division=d, region_code="410102",
                                    is_legal_aid_lawyer=True, specialties=spec, languages=["mandarin"],
                                    practice_since=since, licence_number=f"1410120201{n:07d}")
        for n, (name, spec, since) in enumerate(
            [("王律师", ["labor"], 2010), ("李律师", ["marriage_family"], 2025), ("赵律师", ["criminal_defense"], 2005)]
        )
    ]


@pytest.fixture
def applicant(db):
    from fawang.cases.services import party_create

    return party_create(name="张三", id_number=ID_NUMBERS[0], phone="13800138000", region_code="410102")

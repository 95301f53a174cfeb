from __future__ import annotations

from decimal import Decimal

import pytest

from fawang.accounts.models import Role
from fawang.catalog.models import ServiceItem
from lines_fixtures import ID_NUMBERS, division, point, staff, station, station_clerk

__all__ = ["ID_NUMBERS", "division", "point", "staff", "station", "station_clerk"]  # re-exported fixtures and helpers

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
def other_center(db):
    return point("FY-410103", "410103", "county_center")


@pytest.fixture
def clerk(center):
    return staff(Role.WINDOW_CLERK, center)


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

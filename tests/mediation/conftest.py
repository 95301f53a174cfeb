from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.catalog.models import ServiceItem
from lines_fixtures import ID_NUMBERS, division, point, staff, station, station_clerk

__all__ = ["ID_NUMBERS", "division", "point", "staff", "station", "station_clerk"]  # re-exported fixtures and helpers


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
def other_station(db):
    return point("TJ-410103001", "410103001", "township_station")


@pytest.fixture
def clerk(station_clerk):
    """Mediation requests are taken at the township station's window."""
    return station_clerk


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

from __future__ import annotations

import pytest

from fawang.accounts.models import Role

from . import factories as f


@pytest.fixture
def county_point(db):
    return f.service_point("SP-410102", "410102", "county_center")


@pytest.fixture
def township_point(db):
    return f.service_point("SP-410102001", "410102001", "township_station")


@pytest.fixture
def other_point(db):
    return f.service_point("SP-410103", "410103", "county_center")


@pytest.fixture
def clerk(county_point):
    return f.user(Role.WINDOW_CLERK, point=county_point)


@pytest.fixture
def other_clerk(other_point):
    return f.user(Role.WINDOW_CLERK, point=other_point)


@pytest.fixture
def consultation_item(db):
    return f.item()


@pytest.fixture
def applicant(db):
    from fawang.cases.services import party_create

    return party_create(name="张三", id_number=f.ID_NUMBERS[2], phone="13800138000", address="郑州市中原区某路1号",
                        region_code="410102")

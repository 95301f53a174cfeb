"""What the business-line tests (legal aid, mediation) share: the township justice station of
410102001 (司法所) that takes both legal aid applications and mediation requests, its window clerk,
and the helpers that build staff and service points.

The helpers are those of the case spine tests (``cases/factories.py``), so a division, a service
point or a staff account is built in one place for every line. Both lines' conftests import the
fixtures below by name (pytest finds a fixture through the conftest's namespace); line-specific
fixtures (the legal aid center, the mediation committee, …) stay in each line's conftest.
"""

from __future__ import annotations

import pytest

from cases.factories import division, service_point, user  # tests/ is on sys.path (rootdir insertion)
from fawang.accounts.models import Role, User
from fawang.regions.models import ServicePoint

__all__ = ["ID_NUMBERS", "division", "point", "staff", "station", "station_clerk"]

# Valid resident ID numbers (GB 11643 check digit); the first one is a resident of 410102, the
# district of the township below.
ID_NUMBERS = ["410102199003071230", "410105198506120043", "410103197201010057", "11010519491231002X"]

point = service_point


def staff(role: str, at: ServicePoint | None = None, division_code: str | None = None) -> User:
    """A staff account of ``role`` at a service point (county and township staff) or over a
    division (supervisors)."""
    return user(role, point=at, division_code=division_code)


@pytest.fixture
def station(db) -> ServicePoint:
    return point("SFS-410102001", "410102001", "township_station")


@pytest.fixture
def station_clerk(station) -> User:
    return staff(Role.WINDOW_CLERK, station)

"""Test data for the case spine (also used by complaint tests)."""

from __future__ import annotations

import itertools
from typing import Any

from fawang.accounts.models import Role, User
from fawang.catalog.models import ServiceItem
from fawang.regions.models import Division, DivisionLevel, ServicePoint

_seq = itertools.count(1)

# Valid resident ID numbers (GB 11643 check digit) for tests.
ID_NUMBERS = ["11010519491231002X", "410105198506120043", "410102199003071230", "410103197201010057"]


def division(code: str, name: str = "") -> Division:
    level = {2: DivisionLevel.PROVINCE, 4: DivisionLevel.CITY, 6: DivisionLevel.COUNTY,
             9: DivisionLevel.TOWNSHIP, 12: DivisionLevel.VILLAGE}[len(code)]
    parent = None
    for length in (9, 6, 4, 2):
        if length < len(code):
            parent = Division.objects.filter(code=code[:length]).first() or division(code[:length])
            break
    obj, _ = Division.objects.get_or_create(code=code, defaults={"name": name or code, "level": level,
                                                                  "parent": parent})
    return obj


def service_point(code: str, region_code: str, kind: str = "county_center") -> ServicePoint:
    d = division(region_code)
    obj, _ = ServicePoint.objects.get_or_create(
        code=code, defaults={"name": f"服务点{code}", "kind": kind, "division": d, "region_code": region_code},
    )
    return obj


def user(role: str = Role.WINDOW_CLERK, *, point: ServicePoint | None = None, division_code: str | None = None,
         **extra: Any) -> User:
    n = next(_seq)
    return User.objects.create_user(
        username=f"u{n}-{role}", password="pw-Test-12345", role=role, real_name=f"工作人员{n}",
        service_point=point, division=division(division_code) if division_code else None, **extra,
    )


def item(code: str = "GGFL-ZX-001", **extra: Any) -> ServiceItem:
    defaults: dict[str, Any] = {
        "name": "法律咨询",
        "service_type": "consultation",
        "lowest_level": "village",
        "materials": [
            {"key": "id_card", "name": "身份证件", "required": True},
            {"key": "evidence", "name": "相关证据材料", "required": False},
        ],
        "time_limits": [
            {"step": "reply", "name": "答复", "days": 7, "unit": "working", "warn_days_before": 2,
             "article": "服务承诺", "start_event": "case.received", "stop_events": ["case.completed"]},
        ],
        "channels": ["window", "hotline", "web"],
    }
    defaults.update(extra)
    obj, _ = ServiceItem.objects.update_or_create(code=code, defaults=defaults)
    return obj

"""Demo staff accounts for Zhengzhou (runs after the regions demo; idempotent).

Two counties — 金水区 (410105) and 中牟县 (410122) — each get the full front line (window
clerk, hotline agent, legal aid reviewer and approver, mediator, lawyer, village adviser) and a
county supervisor; above them a Zhengzhou city supervisor, a Henan province supervisor, a
national supervisor, a system administrator, and one citizen. All use ``DEMO_PASSWORD``.
Staff are attached to the generated service points when the regions demo created them.
"""

from __future__ import annotations

from typing import Any, TextIO

from fawang.accounts.models import Role
from fawang.accounts.services import user_upsert_demo
from fawang.core.management.commands.demo_logins import DEMO_PASSWORD
from fawang.core.scoping import region_q
from fawang.regions.models import Division, ServicePoint, ServicePointKind

COUNTIES = {
    "jinshui": ("410105", {
        Role.WINDOW_CLERK: "王芳", Role.HOTLINE_AGENT: "李静", Role.LEGAL_AID_REVIEWER: "张伟",
        Role.LEGAL_AID_APPROVER: "刘洋", Role.MEDIATOR: "陈秀英", Role.LAWYER: "杨志刚",
        Role.VILLAGE_ADVISER: "赵磊", Role.SUPERVISOR: "孙丽",
    }),
    "zhongmou": ("410122", {
        Role.WINDOW_CLERK: "周敏", Role.HOTLINE_AGENT: "吴婷", Role.LEGAL_AID_REVIEWER: "郑强",
        Role.LEGAL_AID_APPROVER: "冯建国", Role.MEDIATOR: "褚桂兰", Role.LAWYER: "卫东",
        Role.VILLAGE_ADVISER: "蒋涛", Role.SUPERVISOR: "沈晓燕",
    }),
}

SUFFIX = {
    Role.WINDOW_CLERK: "clerk", Role.HOTLINE_AGENT: "hotline", Role.LEGAL_AID_REVIEWER: "reviewer",
    Role.LEGAL_AID_APPROVER: "approver", Role.MEDIATOR: "mediator", Role.LAWYER: "lawyer",
    Role.VILLAGE_ADVISER: "adviser", Role.SUPERVISOR: "supervisor",
}

# Where each role sits: county center, a township station, a village room — or the bureau.
PLACE = {
    Role.WINDOW_CLERK: ServicePointKind.COUNTY_CENTER,
    Role.HOTLINE_AGENT: ServicePointKind.COUNTY_CENTER,
    Role.LEGAL_AID_REVIEWER: ServicePointKind.COUNTY_CENTER,
    Role.LEGAL_AID_APPROVER: ServicePointKind.COUNTY_CENTER,
    Role.LAWYER: ServicePointKind.COUNTY_CENTER,
    Role.MEDIATOR: ServicePointKind.TOWNSHIP_STATION,
    Role.VILLAGE_ADVISER: ServicePointKind.VILLAGE_ROOM,
    Role.SUPERVISOR: None,
}


def _point(county: str, kind: str | None) -> ServicePoint | None:
    if kind is None:
        return None
    return (ServicePoint.objects.filter(region_q(county), kind=kind, is_active=True)
            .order_by("code").first())


def load(*, stdout: TextIO | Any) -> None:
    divisions = Division.objects.in_bulk(["41", "4101", "410105", "410122"])
    if len(divisions) < 4:
        stdout.write("  accounts: 郑州市区划未导入（regions 演示数据缺失），跳过演示账号")
        return
    count = 0
    for prefix, (county, people) in COUNTIES.items():
        for role, name in people.items():
            point = _point(county, PLACE[role])
            division = Division.objects.filter(code=point.region_code).first() if point else None
            user_upsert_demo(
                username=f"{prefix}.{SUFFIX[role]}", role=role, real_name=name, password=DEMO_PASSWORD,
                division=division or divisions[county], service_point=point,
            )
            count += 1
    for username, role, name, division in (
        ("zhengzhou.supervisor", Role.SUPERVISOR, "高明", divisions["4101"]),
        ("henan.supervisor", Role.SUPERVISOR, "何建华", divisions["41"]),
        ("national.supervisor", Role.SUPERVISOR, "林国栋", None),
        ("fawang.admin", Role.SYSTEM_ADMIN, "马超", None),
        ("citizen.demo", Role.CITIZEN, "胡晓梅", None),
    ):
        user_upsert_demo(username=username, role=role, real_name=name, password=DEMO_PASSWORD,
                         division=division, is_superuser=(role == Role.SYSTEM_ADMIN))
        count += 1
    stdout.write(f"  accounts: {count} 个演示账号（密码 {DEMO_PASSWORD}）")

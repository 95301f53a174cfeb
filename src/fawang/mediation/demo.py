"""Demo data of the people's mediation line (idempotent): a few disputes at a Jinshui
township station in different stages, walked through ``mediation.services``."""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from fawang.core.errors import DomainError


def load(*, stdout: TextIO | Any) -> None:
    from django.utils import timezone

    from fawang.accounts.models import User
    from fawang.cases.services import party_create
    from fawang.directory.models import Practitioner
    from fawang.mediation import services as s
    from fawang.mediation.models import Mediation

    mediator_user = User.objects.filter(username="jinshui.mediator").first()
    if mediator_user is None or mediator_user.service_point_id is None:
        stdout.write("  mediation: 金水区调解员演示账号缺失，跳过演示调解")
        return
    point = mediator_user.service_point
    mediators = list(Practitioner.objects.filter(kind="mediator", region_code__startswith=point.region_code[:6])
                     .order_by("pk")[:2])
    made = 0
    stories = [
        ("demo-mediation-1", ("周大成", "吴小红"), "neighbour", "楼上装修漏水，赔偿未谈拢", None),
        ("demo-mediation-2", ("郑国庆", "钱桂芳"), "marriage_family", "赡养老人费用分担", "mediate"),
        ("demo-mediation-3", ("冯立", "陈晓东"), "contract", "装修款尾款纠纷", "agree"),
    ]
    for key, (a, b), kind, summary, stage in stories:
        if Mediation.objects.filter(case__idempotency_key=key).exists():
            continue
        try:
            pa = party_create(name=a, phone="13900000000", region_code=point.region_code, is_demo=True)
            pb = party_create(name=b, region_code=point.region_code, is_demo=True)
            m = s.mediation_apply(actor=mediator_user, parties=[(pa, "applicant"), (pb, "respondent")],
                                  summary=summary, channel="window", service_point=point, dispute_type=kind,
                                  idempotency_key=key, is_demo=True)
            if stage and mediators:
                s.mediation_accept(mediation=m, actor=mediator_user)
                s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators,
                                             lead_user=mediator_user)
                s.mediation_record_session(mediation=m, actor=mediator_user, content="听取双方陈述，释法说理。",
                                           place=point.name)
            if stage == "agree" and mediators:
                s.mediation_agree(mediation=m, actor=mediator_user, facts=summary, issues="尾款数额及支付时间",
                                  responsibilities="双方各有责任", terms="陈晓东于约定期限内支付尾款8000元。",
                                  performance_manner="银行转账",
                                  performance_deadline=timezone.localdate() + dt.timedelta(days=30))
            made += 1
        except DomainError as exc:
            stdout.write(f"  mediation: 演示调解 {key} 未完成：{exc.message}")
    stdout.write(f"  mediation: 演示调解 {made} 件")

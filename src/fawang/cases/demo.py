"""Demo cases for the work queues (runs after accounts and catalog; idempotent).

A handful of Jinshui (金水区) and Zhongmou (中牟县) requests on different channels, walked through
the real services so the queues show every stage: just received, awaiting materials, in
progress with a deadline already passed, delivered and rated (one dissatisfied → 回访), and a
handover from Jinshui to Zhongmou waiting to be accepted. Idempotency keys make reruns no-ops.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.utils import timezone

from fawang.core.errors import DomainError


def load(*, stdout: TextIO | Any) -> None:
    from fawang.accounts.models import User
    from fawang.cases import services as s
    from fawang.cases.models import Case
    from fawang.catalog.models import ServiceItem

    users = {u.username: u for u in User.objects.filter(username__in=["jinshui.clerk", "zhongmou.clerk"])}
    clerk, other = users.get("jinshui.clerk"), users.get("zhongmou.clerk")
    item = ServiceItem.objects.filter(code="GGFL-ZX-001").first()
    if not (clerk and other and clerk.service_point_id and other.service_point_id and item):
        stdout.write("  cases: 演示账号或事项目录缺失，跳过演示案件")
        return
    now = timezone.now()
    people = [
        ("刘桂芝", "13803710001", "window", "儿子不履行赡养义务怎么办？", ["accepted"], 1),
        ("张建军", "13803710002", "hotline", "在工地摔伤，老板不给赔偿", ["accepted", "materials"], 2),
        ("王小红", "13803710003", "web", "离婚后孩子抚养费不给付", ["accepted", "start"], 12),
        ("李国强", "13803710004", "wechat", "租房押金不退", ["accepted", "complete", "deliver", "rate_ok"], 5),
        ("赵秀兰", "13803710005", "window", "邻居占用宅基地", ["accepted", "complete", "deliver", "rate_bad"], 6),
        ("陈志明", "13803710006", "window", "户籍在中牟，劳动合同纠纷", ["transfer"], 0),
        ("孙丽娟", "13803710007", "on_site", "村里土地流转合同看不懂", [], 0),
    ]
    created = 0
    for i, (name, phone, channel, question, steps, days_ago) in enumerate(people, start=1):
        key = f"demo:cases:{i}"
        if Case.objects.filter(idempotency_key=key).exists():
            continue
        try:
            party = s.party_create(name=name, phone=phone, region_code=clerk.service_point.region_code,
                                   is_demo=True)
            case = s.case_create(
                item=item, channel=channel, applicant=party, service_point=clerk.service_point, actor=clerk,
                idempotency_key=key, form_data={"question": question}, subject=question[:60], is_demo=True,
                at=now - dt.timedelta(days=days_ago),
            )
            for step in steps:
                if step == "accepted":
                    s.case_accept(case=case, actor=clerk)
                elif step == "materials":
                    s.case_request_materials(case=case, actor=clerk, materials=["documents"],
                                             note="请补充劳动关系证明和就诊记录")
                elif step == "start":
                    s.case_start(case=case, actor=clerk)
                elif step == "complete":
                    s.case_complete(case=case, actor=clerk, result="已答复：建议先行协商，协商不成可申请人民调解或起诉。")
                elif step == "deliver":
                    s.case_deliver_result(case=case, actor=clerk)
                elif step in ("rate_ok", "rate_bad"):
                    low = step == "rate_bad"
                    s.case_rate(case=case, attitude=2 if low else 5, efficiency=3 if low else 5,
                                professionalism=4, rated_by=clerk, channel="hotline",
                                comment="等待时间太长" if low else "解答清楚")
                elif step == "transfer":
                    s.case_transfer(case=case, actor=clerk, to_service_point=other.service_point,
                                    reason="当事人户籍和用人单位均在中牟县", escalate=True)
            created += 1
        except DomainError as exc:
            stdout.write(f"  cases: 演示案件 {i} 跳过：{exc.message}")
    s.scan_deadlines()
    stdout.write(f"  cases: 新建 {created} 个演示案件")

"""Demo data of the legal aid line (runs after accounts, directory and catalog; idempotent).

Regional settings for Henan marked as demo figures (the real hardship standard follows the
local minimum-living guarantee, 河南省法律援助条例 第十二条; operators enter it in the admin),
and a handful of Jinshui (金水区) applications walked through the real services so the queues
show every stage. Every step goes through ``legalaid.services``; a missing prerequisite (no
demo users, no aid lawyers) skips with a message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TextIO

from fawang.core.errors import DomainError

DEMO_BASIS = "演示数据（非真实标准）"


def load(*, stdout: TextIO | Any) -> None:
    from fawang.accounts.models import User
    from fawang.cases.services import party_create
    from fawang.legalaid import services as s
    from fawang.legalaid.models import HardshipStandard, LegalAidApplication, SubsidyStandard

    HardshipStandard.objects.get_or_create(
        region_code="41", defaults={"monthly_income_per_capita_max": Decimal("800"), "basis": DEMO_BASIS})
    for form, amount in (("litigation_agency", "1500"), ("criminal_defence", "1800"), ("document_drafting", "200")):
        SubsidyStandard.objects.get_or_create(
            region_code="41", aid_form=form,
            defaults={"base_amount": Decimal(amount), "grade_factors": {"excellent": "1.2", "fail": "0.5"},
                      "basis": DEMO_BASIS})

    users = {u.username: u for u in User.objects.filter(username__startswith="jinshui.")}
    clerk, reviewer, approver = (users.get(f"jinshui.{r}") for r in ("clerk", "reviewer", "approver"))
    if not (clerk and reviewer and approver and clerk.service_point_id):
        stdout.write("  legalaid: 金水区演示账号缺失，跳过演示申请")
        return
    point = clerk.service_point
    made = 0
    stories = [
        ("demo-legalaid-1", "王建军", "labour_remuneration", "工地拖欠工资八个月", None),
        ("demo-legalaid-2", "李秀兰", "support_payment", "子女拒付赡养费", "review"),
        ("demo-legalaid-3", "赵刚", "work_injury", "工伤认定后单位拒绝赔偿", "approve"),
        ("demo-legalaid-4", "孙梅", "support_payment", "遭受家庭暴力，主张抚养费", "assign"),
    ]
    for key, name, matter, summary, stage in stories:
        if LegalAidApplication.objects.filter(case__idempotency_key=key).exists():
            continue
        try:
            party = party_create(name=name, phone="13800000000", region_code=point.region_code, is_demo=True)
            extra: dict[str, Any] = {"no_means_test_ground": "abuse_victim"} if stage == "assign" else {
                "household_size": 3, "household_monthly_income": "1800", "honesty_commitment_signed": True}
            app = s.legalaid_apply(actor=clerk, applicant=party, matter=matter, channel="window",
                                   service_point=point, summary=summary, idempotency_key=key, is_demo=True,
                                   specialty="labor" if "labour" in matter or "injury" in matter else "", **extra)
            if stage:
                app = s.legalaid_receive(app=app, actor=reviewer)
            if stage in ("approve", "assign"):
                app = s.legalaid_approve(app=app, actor=approver)
            if stage == "assign":
                s.legalaid_assign(app=app, actor=approver)
            made += 1
        except DomainError as exc:
            stdout.write(f"  legalaid: 演示申请 {key} 未完成：{exc.message}")
    stdout.write(f"  legalaid: 演示申请 {made} 件")

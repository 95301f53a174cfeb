"""Demo data: the shipped FAQ, plus a handful of demo consultations for the hot-topics panel."""

from __future__ import annotations

from fawang.consultation.models import SmartConsultation
from fawang.consultation.services import consult, faq_load

DEMO_QUESTIONS = (
    ("公司拖欠了我三个月工资，怎么办？", "web"),
    ("上班几个月了公司一直不签劳动合同，能要双倍工资吗？", "hotline"),
    ("老公出轨要离婚，孩子抚养权归谁？", "web"),
    ("被电动车撞了，对方全责但不赔钱怎么办？", "wechat"),
    ("朋友借了我五万块钱写了借条一直不还怎么办？", "web"),
    ("包工头跑了，工地上的工资找谁要？", "hotline"),
)


def load(*, stdout) -> None:
    counts = faq_load()
    stdout.write(f"consultation: FAQ created {counts['created']}, updated {counts['updated']}")
    if SmartConsultation.objects.filter(is_demo=True).exists():
        return
    from fawang.regions.models import ServicePoint

    point = ServicePoint.objects.filter(is_active=True).order_by("code").first()
    region = point.region_code if point else ""
    for question, channel in DEMO_QUESTIONS:
        consult(question=question, channel=channel, region_code=region, use_llm=False, is_demo=True)
    stdout.write(f"consultation: {len(DEMO_QUESTIONS)} demo consultations")

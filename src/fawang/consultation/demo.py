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
    load_line(stdout=stdout)
    if SmartConsultation.objects.filter(is_demo=True).exists():
        return
    from fawang.regions.models import ServicePoint

    point = ServicePoint.objects.filter(is_active=True).order_by("code").first()
    region = point.region_code if point else ""
    for question, channel in DEMO_QUESTIONS:
        consult(question=question, channel=channel, region_code=region, use_llm=False, is_demo=True)
    stdout.write(f"consultation: {len(DEMO_QUESTIONS)} demo consultations")


def load_line(*, stdout) -> None:
    """The staff consultation line: a one-shot hotline answer and one escalated to the demo lawyer
    (one round answered, a follow-up waiting). Skipped when the demo accounts are missing."""
    from django.db import transaction

    from fawang.accounts.models import User
    from fawang.cases.services import party_create
    from fawang.consultation import services_line as line
    from fawang.consultation.models import ConsultationRecord
    from fawang.core.errors import DomainError

    if ConsultationRecord.objects.filter(is_demo=True).exists():
        return
    users = {u.username: u for u in User.objects.filter(
        username__in=["zhongmou.hotline", "zhongmou.lawyer", "citizen.demo"])}
    if len(users) < 3:
        stdout.write("consultation: demo accounts missing, no demo consultation line")
        return
    agent, lawyer, citizen = users["zhongmou.hotline"], users["zhongmou.lawyer"], users["citizen.demo"]
    try:
        with transaction.atomic():  # all or nothing
            applicant = party_create(name=citizen.real_name or "胡晓梅", id_type="none", user=citizen,
                                     region_code=agent.scope_code or "", is_demo=True)
            line.consultation_record(
                actor=agent, channel="hotline", question="租房押金房东不退怎么办？", is_demo=True,
                answer="先与房东协商并保留租赁合同、付款凭证；协商不成可申请人民调解或向人民法院起诉。",
                citations=["《民法典》第七百零三条"], applicant=applicant, citizen_user=citizen,
                idempotency_key="demo-line-1",
            )
            record = line.consultation_record(
                actor=agent, channel="hotline", question="在工地干了半年，包工头跑了，工资一直没拿到，怎么办？",
                answer="初步告知：可向劳动保障监察投诉；已转律师进一步解答。", keep_open=True, is_demo=True,
                citations=["《劳动合同法》第三十条"], applicant=applicant, citizen_user=citizen,
                idempotency_key="demo-line-2",
            )
            line.consultation_escalate(record=record, actor=agent, reason="涉及多人欠薪，情况复杂", lawyer=lawyer)
            line.consultation_round_answer(record=record, actor=lawyer,
                                           answer="先固定证据：考勤记录、工资转账记录、工友证言；可申请法律援助。")
            line.consultation_round_ask(record=record, actor=citizen, question="我没有签劳动合同，还能要回来吗？")
    except DomainError as exc:
        stdout.write(f"consultation: demo consultation line skipped: {exc.message}")
        return
    stdout.write("consultation: 2 demo consultations on the staff line")

"""Legal aid transitions: state, spine status and events written together, statute by statute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fawang.accounts.models import Role
from fawang.cases.choices import CaseStatus
from fawang.cases.models import CaseEvent, CaseStep
from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied
from fawang.legalaid import services as s
from fawang.legalaid.choices import AidStatus, MatterType, NoMeansTestGround, ObjectionOutcome
from fawang.legalaid.models import HardshipStandard, SubsidyStandard
from fawang.legalaid.rules import FakeHardshipLookup, HardshipFacts, HardshipLookupResult

from .conftest import ID_NUMBERS, point, staff

pytestmark = pytest.mark.django_db


def point_center():
    return point("FY-410102", "410102", "county_center")


def event_types(app) -> list[str]:
    return list(CaseEvent.objects.filter(case=app.case).order_by("at", "id").values_list("type", flat=True))


def apply(clerk, applicant, point, **kw):
    kw.setdefault("matter", MatterType.LABOUR_REMUNERATION)
    kw.setdefault("household_size", 3)
    kw.setdefault("household_monthly_income", "3000")
    kw.setdefault("honesty_commitment_signed", True)
    return s.legalaid_apply(actor=clerk, applicant=applicant, channel="window", service_point=point,
                            summary="拖欠工资三个月", specialty="labor", **kw)


def received_at_center(items, clerk, reviewer, applicant, center, **kw):
    app = apply(clerk, applicant, center, **kw)
    return s.legalaid_receive(app=app, actor=reviewer)


def test_end_to_end_from_township_intake_to_rating(
    items, station, station_clerk, center, reviewer, approver, standard, lawyers, applicant
):
    """F2 whole line: 初审 at the township, decision (第四十三条), assignment, progress (第四十六条),
    closing report (第五十条), quality review and subsidy (第五十二条/第五十九条), result, rating."""
    from fawang.cases.services import case_deliver_result, case_rate

    SubsidyStandard.objects.create(region_code="4101", aid_form="litigation_agency", base_amount=Decimal("1500"),
                                   grade_factors={"excellent": "1.2"})
    from fawang.accounts.models import User

    citizen = User.objects.create_user(username="zhangsan", password="pw-Test-12345", role=Role.CITIZEN)
    app = apply(station_clerk, applicant, station, citizen_user=citizen)
    assert app.status == AidStatus.RECEIVED and app.case.region_code == "410102001"

    app = s.legalaid_forward(app=app, actor=station_clerk, to_center=center, opinion="材料基本齐全")
    assert app.status == AidStatus.FORWARDED and app.case.status == CaseStatus.TRANSFERRING

    app = s.legalaid_receive(app=app, actor=reviewer)
    assert app.status == AidStatus.UNDER_REVIEW
    assert app.region_code == app.case.region_code == "410102"
    assert app.decision_due_at == s.rules.decision_due(app.center_received_at)
    decide = CaseStep.objects.get(case=app.case, step="decide")
    assert decide.article == "法律援助法第四十三条"

    fake = FakeHardshipLookup({ID_NUMBERS[0]: HardshipLookupResult(True, HardshipFacts(3, Decimal("2400")),
                                                                    source="民政")})
    result = s.legalaid_check_hardship(app=app, actor=reviewer, lookup=fake)
    assert result.eligible and app.hardship_method == "data_lookup" and app.lookup_source == "民政"

    app = s.legalaid_approve(app=app, actor=approver, lookup=fake)
    assert app.status == AidStatus.APPROVED and app.case.status == CaseStatus.IN_PROGRESS
    assert app.assign_due_at == s.rules.assignment_due(app.decided_at)

    lawyer_user = staff(Role.LAWYER, center)
    assignment = s.legalaid_assign(app=app, actor=approver, lawyer_user=lawyer_user)
    assert assignment.practitioner.name == "王律师"  # the labour specialist
    assert app.status == AidStatus.ASSIGNED
    assignment.practitioner.refresh_from_db()
    assert assignment.practitioner.current_load == 1

    s.legalaid_report_progress(app=app, actor=lawyer_user, content="已向劳动仲裁委提交仲裁申请。")
    s.legalaid_report_closing(app=app, actor=lawyer_user, outcome="仲裁裁决支持全部工资请求。",
                              documents=["仲裁裁决书"], extra_costs="20")
    assert app.status == AidStatus.CLOSING_REPORTED
    review = s.legalaid_review_quality(app=app, actor=approver, grade="excellent",
                                       methods=["file_inspection", "recipient_visit"], opinion="办理规范")
    assert review.grade == "excellent"
    app.refresh_from_db()
    assert app.status == AidStatus.CLOSED and app.case.status == CaseStatus.COMPLETED
    assert app.subsidy.amount == Decimal("1820.00")  # 1500 × 1.2 + 20 (第五十二条)
    assignment.practitioner.refresh_from_db()
    assert assignment.practitioner.current_load == 0

    app.case.refresh_from_db(fields=["result"])  # completed by the closing service above
    case_deliver_result(case=app.case, actor=approver, action="legalaid.approve")
    case_rate(case=app.case, attitude=5, efficiency=5, professionalism=4, rated_by=citizen, channel="web")
    assert event_types(app) == [
        "case.received", "case.transferred", "case.transfer_accepted", "case.accepted",
        "legalaid.hardship_checked", "legalaid.approved", "legalaid.assigned", "legalaid.progress_reported",
        "legalaid.closing_reported", "legalaid.quality_reviewed", "legalaid.subsidy_recorded",
        "case.completed", "case.result_delivered", "case.rated",
    ]
    decide.refresh_from_db()
    assert decide.state == "met"


def test_detained_application_forward_clock_article_39(items, station, station_clerk, applicant):
    """第三十九条: 24 hours to forward a detained person's application, counted in hours."""
    at = dt.datetime(2025, 9, 30, 18, 0, tzinfo=dt.UTC)
    app = apply(station_clerk, applicant, station, is_detained=True, custodial_place="某看守所", at=at)
    assert app.forward_due_at == at + dt.timedelta(hours=24)
    step = CaseStep.objects.get(case=app.case, step="forward")
    assert step.due_at == at + dt.timedelta(hours=24)
    s.legalaid_forward(app=app, actor=station_clerk, to_center=point_center())
    step.refresh_from_db()
    assert step.ended_at is not None  # stopped by the forwarding (case.transferred)
    with pytest.raises(DomainError) as err:
        apply(station_clerk, applicant, station, is_detained=True)
    assert err.value.field == "custodial_place"


def test_missing_materials_listed_at_once_then_deemed_withdrawn_article_43(
    items, center, clerk, reviewer, applicant
):
    """第四十三条第二款: one notice lists everything; no answer by the deadline = withdrawn."""
    app = received_at_center(items, clerk, reviewer, applicant, center)
    with pytest.raises(DomainError):
        s.legalaid_request_materials(app=app, actor=reviewer, materials=[" "])
    app = s.legalaid_request_materials(app=app, actor=reviewer, materials=["劳动合同", "工资条"], days=10)
    assert app.status == AidStatus.MATERIALS_REQUESTED and app.missing_materials == ["劳动合同", "工资条"]
    assert app.case.status == CaseStatus.AWAITING_MATERIALS
    assert s.legalaid_expire_materials() == 0  # not yet due
    type(app).objects.filter(pk=app.pk).update(materials_due_at=timezone.now() - dt.timedelta(minutes=1))
    assert s.legalaid_expire_materials() == 1
    app.refresh_from_db()
    assert app.status == AidStatus.WITHDRAWN
    app.case.refresh_from_db()
    assert app.case.status == CaseStatus.WITHDRAWN
    assert "视为撤回" in CaseEvent.objects.filter(case=app.case, type="case.withdrawn").get().payload["reason"]


def test_supplied_materials_extend_the_decision_deadline(items, center, clerk, reviewer, applicant):
    """The wait for the applicant does not eat into the 7 days of 第四十三条."""
    app = received_at_center(items, clerk, reviewer, applicant, center)
    app = s.legalaid_request_materials(app=app, actor=reviewer, materials=["劳动合同"])
    now = timezone.now()
    type(app).objects.filter(pk=app.pk).update(center_received_at=now - dt.timedelta(days=4),
                                               materials_requested_at=now - dt.timedelta(days=3))
    app = s.legalaid_supply_materials(app=app, actor=reviewer, received=["劳动合同"])
    assert app.status == AidStatus.UNDER_REVIEW and app.case.status == CaseStatus.ACCEPTED
    assert app.decision_due_at > s.rules.decision_due(now - dt.timedelta(days=4)) and len(app.pauses) == 1


def test_most_specific_hardship_standard_applies_article_34(items, center, clerk, reviewer, approver, standard,
                                                            applicant):
    """第三十四条: the county's 1200/head beats the province's 1500/head."""
    app = received_at_center(items, clerk, reviewer, applicant, center, household_size=2,
                             household_monthly_income="2700")  # 1350/head
    with pytest.raises(DomainError) as err:
        s.legalaid_approve(app=app, actor=approver, lookup=FakeHardshipLookup())
    assert err.value.code == "not_eligible" and "第三十四条" in err.value.details["articles"]
    HardshipStandard.objects.filter(region_code="410102").delete()
    app = s.legalaid_approve(app=app, actor=approver, lookup=FakeHardshipLookup())
    assert app.status == AidStatus.APPROVED and app.hardship_method == "honesty_commitment"


def test_no_means_test_matter_skips_lookup_article_32(items, center, clerk, reviewer, approver, applicant):
    """第三十二条: a domestic-violence victim is not limited by economic hardship (no standard set)."""
    app = received_at_center(items, clerk, reviewer, applicant, center, matter=MatterType.SUPPORT_PAYMENT,
                             no_means_test_ground=NoMeansTestGround.ABUSE_VICTIM, household_size=None,
                             household_monthly_income=None, honesty_commitment_signed=False)
    fake = FakeHardshipLookup()
    app = s.legalaid_approve(app=app, actor=approver, lookup=fake)
    assert app.status == AidStatus.APPROVED and app.hardship_method == "not_required"
    assert fake.calls == []


def test_refusal_in_writing_objection_and_correction_article_43_49(
    items, center, clerk, reviewer, approver, bureau, applicant
):
    """第四十三条: refusal with reasons; 第四十九条: objection reviewed in 5 days, correction reopens."""
    app = received_at_center(items, clerk, reviewer, applicant, center)
    with pytest.raises(DomainError) as err:
        s.legalaid_refuse(app=app, actor=approver, reasons="")
    assert err.value.field == "reasons"
    app = s.legalaid_refuse(app=app, actor=approver, reasons="申请事项已超过仲裁时效")
    assert app.status == AidStatus.REFUSED and app.case.status == CaseStatus.IN_PROGRESS

    objection = s.legalaid_object(app=app, actor=clerk, grounds="时效因对方承诺付款而中断")
    assert objection.review_due_at == s.rules.objection_review_due(objection.filed_at)
    assert app.status == AidStatus.OBJECTION_REVIEW
    with pytest.raises(PermissionDenied):
        s.legalaid_decide_objection(objection=objection, actor=approver, outcome="corrected", note="x")
    s.legalaid_decide_objection(objection=objection, actor=bureau, outcome=ObjectionOutcome.CORRECTED,
                                note="时效中断事实成立，责令重新审查")
    app.refresh_from_db()
    assert app.status == AidStatus.UNDER_REVIEW and app.refusal_reasons == ""
    assert "legalaid.objection_decided" in event_types(app)


def test_objection_upheld_makes_refusal_final(items, center, clerk, reviewer, approver, bureau, applicant):
    app = received_at_center(items, clerk, reviewer, applicant, center)
    app = s.legalaid_refuse(app=app, actor=approver, reasons="不属于法律援助范围")
    objection = s.legalaid_object(app=app, actor=clerk, grounds="不服")
    s.legalaid_decide_objection(objection=objection, actor=bureau, outcome=ObjectionOutcome.UPHELD, note="维持")
    app.refresh_from_db()
    app.case.refresh_from_db()
    assert app.status == AidStatus.REFUSED and app.finalized_at is not None
    assert app.case.status == CaseStatus.COMPLETED and "不属于法律援助范围" in app.case.result
    with pytest.raises(DomainError):
        s.legalaid_object(app=app, actor=clerk, grounds="再次不服")


def test_notified_defence_assigned_within_3_days_article_36(items, center, approver, lawyers, applicant):
    """第三十六条 + 第二十六条: a notice for a possible death sentence needs a ≥3-year lawyer."""
    at = dt.datetime(2025, 9, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 Beijing, Tue before National Day
    app = s.legalaid_notify(actor=approver, notifier="court", notifier_name="某市中级人民法院",
                            notice_number="（2025）豫01刑初1号", defendant=applicant, center=center,
                            serious_case=True, specialty="", at=at)
    assert app.status == AidStatus.APPROVED and app.hardship_method == "not_required"
    assert timezone.localtime(app.assign_due_at).date() == dt.date(2025, 10, 9)
    assert app.case.channel == "notification" and app.case.status == CaseStatus.IN_PROGRESS
    assert CaseStep.objects.get(case=app.case, step="assign").due_at == app.assign_due_at
    again = s.legalaid_notify(actor=approver, notifier="court", notifier_name="某市中级人民法院",
                              notice_number="（2025）豫01刑初1号", defendant=applicant, center=center, at=at)
    assert again.pk == app.pk  # the same notice twice is one matter
    with pytest.raises(DomainError) as err:
        s.legalaid_assign(app=app, actor=approver, practitioner=lawyers[1])  # 李律师: since 2025
    assert err.value.code == "too_junior"
    assignment = s.legalaid_assign(app=app, actor=approver)
    assert assignment.practitioner.name in {"王律师", "赵律师"}


def test_fast_track_assigns_before_decision_article_44(items, center, clerk, reviewer, approver, lawyers,
                                                       standard, applicant):
    """第四十四条: limitation ends in under 7 days → assign first, formalities afterwards."""
    not_urgent = apply(clerk, applicant, center)
    with pytest.raises(DomainError) as err:
        s.legalaid_fast_track(app=not_urgent, actor=approver)
    assert err.value.code == "not_urgent"
    app = apply(clerk, applicant, center, limitation_ends_on=timezone.localdate() + dt.timedelta(days=5))
    assignment = s.legalaid_fast_track(app=app, actor=approver)
    assert assignment.is_fast_track and app.status == AidStatus.ASSIGNED and app.is_fast_track
    assert app.case.status == CaseStatus.IN_PROGRESS
    app = s.legalaid_complete_formalities(app=app, actor=reviewer, lookup=FakeHardshipLookup())
    assert app.formalities_completed_at is not None


def test_termination_grounds_and_objection_article_48(items, center, clerk, reviewer, approver, bureau, lawyers,
                                                      applicant):
    """第四十八条: only statutory grounds; the lawyer is released; a correction re-assigns."""
    app = received_at_center(items, clerk, reviewer, applicant, center, matter=MatterType.SUPPORT_PAYMENT,
                             no_means_test_ground=NoMeansTestGround.ABUSE_VICTIM)
    s.legalaid_approve(app=app, actor=approver)
    assignment = s.legalaid_assign(app=app, actor=approver)
    lawyer_user = staff(Role.LAWYER, center)
    with pytest.raises(PermissionDenied):
        s.legalaid_report_termination_ground(app=app, actor=lawyer_user, ground="own_lawyer")  # not theirs
    s.legalaid_reassign(app=app, actor=approver, reason="指定承办人账号", practitioner=assignment.practitioner,
                        lawyer_user=lawyer_user)
    s.legalaid_report_termination_ground(app=app, actor=lawyer_user, ground="own_lawyer", note="第四十八条第二款")
    assert "legalaid.termination_reported" in event_types(app)
    assignment = app.current_assignment
    with pytest.raises(DomainError):
        s.legalaid_terminate(app=app, actor=approver, ground="bored")
    with pytest.raises(DomainError):
        s.legalaid_terminate(app=app, actor=approver, ground="other")  # needs a note
    app = s.legalaid_terminate(app=app, actor=approver, ground="own_lawyer", note="受援人已自行委托律师")
    assert app.status == AidStatus.TERMINATED and app.current_assignment is None
    assignment.practitioner.refresh_from_db()
    assert assignment.practitioner.current_load == 0
    objection = s.legalaid_object(app=app, actor=clerk, grounds="委托已解除")
    s.legalaid_decide_objection(objection=objection, actor=bureau, outcome="corrected", note="恢复援助")
    app.refresh_from_db()
    assert app.status == AidStatus.APPROVED and app.termination_ground == ""


def test_reassign_excludes_the_current_lawyer_article_55(items, center, clerk, reviewer, approver, lawyers,
                                                         applicant):
    app = received_at_center(items, clerk, reviewer, applicant, center, no_means_test_ground="good_samaritan")
    s.legalaid_approve(app=app, actor=approver)
    first = s.legalaid_assign(app=app, actor=approver)
    second = s.legalaid_reassign(app=app, actor=approver, reason="受援人请求更换")
    assert second.practitioner_id != first.practitioner_id
    first.refresh_from_db()
    assert first.released_at is not None and app.current_assignment.pk == second.pk


def test_region_and_role_are_checked(items, center, clerk, reviewer, outsider, applicant):
    app = apply(clerk, applicant, center)
    with pytest.raises(NotFoundOrForbidden):
        s.legalaid_receive(app=app, actor=outsider)  # another county: same answer as missing
    app = s.legalaid_receive(app=app, actor=reviewer)
    with pytest.raises(PermissionDenied):
        s.legalaid_approve(app=app, actor=reviewer)  # a reviewer may not decide
    with pytest.raises(DomainError) as err:
        s.legalaid_assign(app=app, actor=staff(Role.LEGAL_AID_APPROVER, center))
    assert err.value.code == "invalid_transition"
    assert app.status == AidStatus.UNDER_REVIEW  # nothing half-saved


def test_citizen_withdraws_own_application(items, center, clerk, applicant):
    from fawang.accounts.models import User

    citizen = User.objects.create_user(username="citizen1", password="pw-Test-12345", role=Role.CITIZEN)
    app = s.legalaid_apply(actor=citizen, citizen_user=citizen, applicant=applicant, channel="web",
                           region_code="410102", matter=MatterType.PENSION)
    stranger = User.objects.create_user(username="citizen2", password="pw-Test-12345", role=Role.CITIZEN)
    with pytest.raises(NotFoundOrForbidden):
        s.legalaid_withdraw(app=app, actor=stranger)
    app = s.legalaid_withdraw(app=app, actor=citizen, reason="已和解")
    assert app.status == AidStatus.WITHDRAWN and app.case.status == CaseStatus.WITHDRAWN


class ConfiguredLookup:
    """Stands in for a deployment's data-exchange adapter (FAWANG_LEGALAID_HARDSHIP_LOOKUP)."""

    def lookup(self, *, id_number: str) -> HardshipLookupResult:
        return HardshipLookupResult(True, None, on_assistance_rolls=True, source="低保数据")


def test_configured_hardship_adapter_is_used_article_41(settings, items, center, clerk, reviewer, approver,
                                                        standard, applicant):
    """第四十一条: 信息共享查询 through the adapter named in settings."""
    settings.FAWANG_LEGALAID_HARDSHIP_LOOKUP = "legalaid.test_services.ConfiguredLookup"
    app = received_at_center(items, clerk, reviewer, applicant, center, household_size=None,
                             household_monthly_income=None, honesty_commitment_signed=False)
    app = s.legalaid_approve(app=app, actor=approver)
    assert app.hardship_method == "data_lookup" and app.lookup_source == "低保数据"


def test_regional_supplementary_matter_article_31_item_9(items, center, clerk, reviewer, approver, applicant):
    """A county adds 消费维权 to the scope without a means test; the province's entry keeps it."""
    from fawang.legalaid.models import AidMatterScope

    AidMatterScope.objects.create(region_code="41", code="consumer", name="消费维权", means_test_required=True)
    AidMatterScope.objects.create(region_code="410102", code="consumer", name="消费维权",
                                  means_test_required=False)
    app = received_at_center(items, clerk, reviewer, applicant, center, matter=MatterType.SUPPLEMENTARY,
                             supplementary_subject="consumer", household_size=None,
                             household_monthly_income=None, honesty_commitment_signed=False)
    app = s.legalaid_approve(app=app, actor=approver, lookup=FakeHardshipLookup())
    assert app.hardship_method == "not_required"
    other = received_at_center(items, clerk, reviewer, applicant, center, matter=MatterType.SUPPLEMENTARY,
                               supplementary_subject="housing")
    with pytest.raises(DomainError) as err:
        s.legalaid_approve(app=other, actor=approver, lookup=FakeHardshipLookup())
    assert "范围" in err.value.message


def test_progress_report_is_sent_to_the_recipient_article_46(items, center, clerk, reviewer, approver, lawyers,
                                                             applicant):
    """第四十六条第二款: 法律援助人员应当按照规定向受援人通报法律援助事项办理情况."""
    from fawang.core.models import OutboxMessage

    app = received_at_center(items, clerk, reviewer, applicant, center, no_means_test_ground="good_samaritan")
    s.legalaid_approve(app=app, actor=approver)
    s.legalaid_assign(app=app, actor=approver)
    s.legalaid_report_progress(app=app, actor=approver, content="已向法院提交起诉状。")
    message = OutboxMessage.objects.get(body__contains="已向法院提交起诉状")
    assert message.recipient == "13800138000" and message.channel == "sms"


def test_any_channel_hotline_agent_registers_an_application(items, center, applicant):
    """F2: apply on any channel — a 12348 agent registers it for the caller."""
    agent = staff(Role.HOTLINE_AGENT, center)
    app = s.legalaid_apply(actor=agent, applicant=applicant, channel="hotline", service_point=center,
                           matter=MatterType.PENSION)
    assert app.status == AidStatus.RECEIVED and app.case.channel == "hotline"
    assert CaseEvent.objects.get(case=app.case, type="case.received").actor_name == agent.real_name

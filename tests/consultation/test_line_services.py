"""The consultation business line: staff one-shot answers, escalation, rounds, conversion, rating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fawang.accounts.models import Role, User
from fawang.cases.models import Case, CaseCallback, CaseEvent
from fawang.cases.services import callback_complete, case_rate, party_create
from fawang.consultation import services_line as line
from fawang.consultation.models import ConsultationRecord, ConsultationRound
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.models import OutboxMessage

from .conftest import division, service_point

pytestmark = pytest.mark.django_db

ID_NUMBER = "410102199003071230"


def _user(role: str, *, point=None, division_code: str | None = None, username: str = "") -> User:
    n = User.objects.count() + 1
    return User.objects.create_user(
        username=username or f"line{n}-{role}", password="pw-Test-12345", role=role, real_name=f"人员{n}",
        service_point=point, division=division(division_code) if division_code else None,
    )


@pytest.fixture
def world(db, catalog, laws):
    point = service_point("SP-LINE-01", "410102")
    other = service_point("SP-LINE-02", "410103")
    return {
        "point": point,
        "agent": _user(Role.HOTLINE_AGENT, point=point),
        "clerk": _user(Role.WINDOW_CLERK, point=point),
        "lawyer": _user(Role.LAWYER, division_code="410102"),
        "far_lawyer": _user(Role.LAWYER, division_code="410103"),
        "other_clerk": _user(Role.WINDOW_CLERK, point=other),
        "citizen": _user(Role.CITIZEN),
    }


def _applicant(citizen=None):
    return party_create(name="吴十", id_number=ID_NUMBER, phone="13911112222", region_code="410102", user=citizen)


def _types(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("type", flat=True))


def _pushed(case: Case, channel: str = "sms") -> list[OutboxMessage]:
    """Messages queued for the citizen about ``case`` (recipient is encrypted: compared in Python)."""
    rows = OutboxMessage.objects.filter(channel=channel, related_id=str(case.pk)).order_by("id")
    return [m for m in rows if m.recipient == "13911112222"]


def _last(case: Case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def test_one_shot_window_consultation_recorded_in_full_and_pushed(world):
    record = line.consultation_record(
        actor=world["clerk"], channel="window", question="公司拖欠我三个月工资怎么办？",
        answer="可先与单位协商，协商不成可向劳动保障监察投诉或申请劳动仲裁。",
        citations=["《劳动合同法》第三十条", {"law": "劳动合同法", "article": "第八十五条"},
                   {"law": "某地方条例", "article": "第九条"}],
        applicant=_applicant(),
    )
    case = record.case
    case.refresh_from_db()
    assert record.status == "closed" and case.status == "delivered"
    assert record.category == "劳动纠纷"  # classified when the clerk leaves it blank
    assert record.handler == world["clerk"] and case.region_code == "410102"
    cited = {(c["law"], c["article"]): c for c in record.citations}
    assert cited[("劳动合同法", "第三十条")]["article_id"] is not None
    assert "及时足额支付" in cited[("劳动合同法", "第三十条")]["text"]
    assert cited[("某地方条例", "第九条")]["article_id"] is None  # kept as written
    assert _types(case) == ["case.received", "case.accepted", "consultation.staff_answered", "case.completed",
                            "case.result_delivered"]
    answered = CaseEvent.objects.get(case=case, type="consultation.staff_answered")
    assert answered.payload["answer"].startswith("可先与单位协商") and len(answered.payload["citations"]) == 3
    assert _last(case).actor == world["clerk"]
    assert "劳动仲裁" in _pushed(case)[-1].body
    assert case.steps.get(step="reply").state == "met"


def test_record_validation_saves_nothing(world):
    before = (Case.objects.count(), ConsultationRecord.objects.count())
    for kwargs, code in [
        ({"question": " "}, "question_required"),
        ({"channel": "fax"}, "channel_invalid"),
        ({"category": "外星法"}, "category_invalid"),
        ({"citations": ["劳动合同法三十条"]}, "citation_invalid"),
    ]:
        args = {"actor": world["agent"], "channel": "hotline", "question": "工资拖欠怎么办", **kwargs}
        with pytest.raises(DomainError) as exc:
            line.consultation_record(**args)
        assert exc.value.code == code
    with pytest.raises(NotFoundOrForbidden):
        line.consultation_record(actor=world["citizen"], channel="web", question="工资拖欠怎么办")
    assert (Case.objects.count(), ConsultationRecord.objects.count()) == before


def test_escalation_rules(world):
    record = line.consultation_record(actor=world["agent"], channel="hotline", question="宅基地被占怎么办？")
    assert record.status == "open" and record.case.status == "accepted"
    with pytest.raises(DomainError) as exc:
        line.consultation_escalate(record=record, actor=world["agent"], reason="复杂", lawyer=world["far_lawyer"])
    assert exc.value.code == "lawyer_invalid"
    with pytest.raises(DomainError):
        line.consultation_escalate(record=record, actor=world["agent"], reason="", lawyer=world["lawyer"])
    with pytest.raises(NotFoundOrForbidden):
        line.consultation_escalate(record=record, actor=world["other_clerk"], reason="复杂", lawyer=world["lawyer"])
    assert not ConsultationRound.objects.exists() and record.case.events.count() == 2
    # A one-shot consultation already closed cannot be escalated.
    done = line.consultation_record(actor=world["agent"], channel="hotline", question="工资拖欠", answer="申请仲裁。")
    with pytest.raises(DomainError) as exc:
        line.consultation_escalate(record=done, actor=world["agent"], reason="复杂", lawyer=world["lawyer"])
    assert exc.value.code == "not_escalatable"


def test_escalation_to_expert_library(world):
    from fawang.directory.models import Practitioner

    expert = Practitioner.objects.create(kind="expert", name="钱教授", division=division("41"), region_code="41")
    record = line.consultation_record(actor=world["agent"], channel="hotline", question="集体土地征收补偿标准如何确定？")
    record = line.consultation_escalate(record=record, actor=world["agent"], reason="重大疑难", practitioner=expert)
    assert record.mode == "expert" and record.status == "escalated" and record.case.status == "in_progress"
    event = _last(record.case)
    assert event.type == "consultation.escalated" and event.payload["assignee"] == "钱教授"
    rnd = line.consultation_round_answer(record=record, actor=world["agent"], answer="依土地管理法第四十八条……")
    assert rnd.author_name == "钱教授" and rnd.answered_by == world["agent"]
    assert _last(record.case).type == "consultation.round_answered"


def test_round_deadline_is_two_working_days(world, settings):
    record = line.consultation_record(actor=world["agent"], channel="hotline", question="问题")
    # 2026-09-30 (Wed) + 2 working days skips the National Day holiday (Oct 1-8 in 2026).
    asked = dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC)
    due = line.round_due(asked)
    assert due.date() > dt.date(2026, 10, 8)
    settings.FAWANG_CONSULT_ROUND_DAYS = 5
    assert line.round_due(asked) > due
    assert record.rounds.count() == 0


def test_hotline_to_lawyer_rounds_to_legal_aid_then_rating(world):
    """End to end: hotline → lawyer → two rounds → legal aid application (linked) → close → rating."""
    agent, lawyer, citizen = world["agent"], world["lawyer"], world["citizen"]
    applicant = _applicant(citizen)

    # 1. A hotline call, recorded in full; the agent keeps it open for a lawyer.
    record = line.consultation_record(
        actor=agent, channel="hotline", question="在工地干了半年，包工头跑了，工资一直没拿到，怎么办？",
        answer="先初步告知：可向劳动保障监察投诉；已转律师进一步解答。", keep_open=True,
        citations=["《劳动合同法》第三十条"], applicant=applicant, citizen_user=citizen,
    )
    case = record.case
    assert record.status == "answered" and case.status == "accepted"

    # 2. Escalation to a lawyer of the county.
    record = line.consultation_escalate(record=record, actor=agent, reason="涉及多人欠薪，情况复杂", lawyer=lawyer)
    assert record.case.status == "in_progress" and record.case.handler == lawyer
    first = record.rounds.get()
    assert first.number == 1 and first.due_at > first.asked_at
    assert _last(case).type == "consultation.escalated"

    # 3. Two rounds: the lawyer answers, the citizen asks again, the lawyer answers again.
    line.consultation_round_answer(record=record, actor=lawyer, answer="先固定证据：考勤、转账记录、工友证言。",
                                   citations=["《法律援助法》第四十二条"])
    assert _last(case).type == "consultation.round_answered" and _last(case).actor == lawyer
    with pytest.raises(DomainError):  # nothing open to answer
        line.consultation_round_answer(record=record, actor=lawyer, answer="重复")
    with pytest.raises(NotFoundOrForbidden):  # someone else's consultation
        line.consultation_round_ask(record=record, actor=_user(Role.CITIZEN), question="我也问")
    second = line.consultation_round_ask(record=record, actor=citizen, question="我没有劳动合同，还能要回来吗？")
    assert second.number == 2 and _last(case).type == "consultation.round_asked" and _last(case).actor == citizen
    with pytest.raises(DomainError) as exc:
        line.consultation_close(record=record, actor=lawyer, summary="过早办结")
    assert exc.value.code == "round_open"
    line.consultation_round_answer(record=record, actor=lawyer, answer="没有书面合同也可以用其他证据证明劳动关系。")
    rounds = list(record.rounds.order_by("number").values_list("number", "author_name"))
    assert rounds == [(1, lawyer.real_name), (2, lawyer.real_name)]
    assert ("法律援助法", "第四十二条") in {(c["law"], c["article"]) for c in ConsultationRecord.objects.get(
        pk=record.pk).citations}
    # The replies were pushed to the citizen's channel (phone → SMS on the hotline).
    bodies = [m.body for m in _pushed(case)]
    assert any("固定证据" in b for b in bodies) and any("其他证据" in b for b in bodies)

    # 4. Conversion to a legal aid application: a linked case, nothing re-entered.
    aid_case = line.consultation_convert(record=record, actor=agent, target="legal_aid",
                                         matter="labour_remuneration", facts="共欠薪约3万元。")
    assert aid_case.item.code == "GGFL-FY-001" and aid_case.applicant == applicant
    assert aid_case.region_code == case.region_code and aid_case.channel == "hotline"
    assert aid_case.citizen_user == citizen and aid_case.service_point == case.service_point
    assert aid_case.form_data["from_consultation"] == case.number
    assert aid_case.form_data["question"] == record.question and aid_case.form_data["matter"] == "labour_remuneration"
    assert "其他证据" in aid_case.form_data["consultation_answer"]
    assert "共欠薪约3万元" in aid_case.legal_aid.summary and record.question in aid_case.legal_aid.summary
    assert list(case.linked_cases.all()) == [aid_case] and list(aid_case.linked_cases.all()) == [case]
    assert _last(case).type == "consultation.converted" and _last(case).payload["case_number"] == aid_case.number
    assert _last(aid_case).type == "consultation.converted_from"
    assert aid_case.number in _pushed(case)[-1].body and "法律援助申请" in _pushed(case)[-1].body
    # A second click returns the same case.
    assert line.consultation_convert(record=record, actor=agent, target="legal_aid",
                                     matter="labour_remuneration").pk == aid_case.pk
    assert Case.objects.filter(item__code="GGFL-FY-001").count() == 1

    # 5. The lawyer closes with a summary; it is delivered to the citizen.
    record = line.consultation_close(record=record, actor=lawyer, summary="已答复两轮，已转法律援助申请。")
    assert record.status == "closed" and record.case.status == "delivered"
    assert _types(case)[-2:] == ["case.completed", "case.result_delivered"]
    assert "已转法律援助申请" in _pushed(case)[-1].body

    # 6. The citizen rates: dissatisfied → a 回访 task, done by the agent.
    rating = case_rate(case=record.case, attitude=4, efficiency=2, professionalism=4, rated_by=citizen,
                       channel="hotline", comment="等得有点久")
    assert rating.is_dissatisfied
    callback = CaseCallback.objects.get(case=case)
    assert _types(case)[-2:] == ["case.rated", "case.callback_opened"]
    callback_complete(callback=callback, actor=agent, outcome="已回访，说明了转律师的原因。")
    assert _last(case).type == "case.callback_done"


def test_convert_to_mediation_and_notary(world):
    agent = world["agent"]
    record = line.consultation_record(actor=agent, channel="window", question="邻居占了我家宅基地怎么办？",
                                      answer="可申请人民调解。", applicant=_applicant())
    med = line.consultation_convert(record=record, actor=agent, target="mediation", respondent_name="赵五",
                                    dispute_type="property")
    assert med.item.code == "GGFL-TJ-001" and med.form_data["from_consultation"] == record.case.number
    assert med.mediation.parties.count() == 2
    notary = line.consultation_convert(record=record, actor=agent, target="notary", notary_matter="遗嘱公证")
    assert notary.item.code == "GGFL-GZ-001" and notary.form_data["notary_matter"] == "遗嘱公证"
    assert set(record.case.linked_cases.values_list("pk", flat=True)) == {med.pk, notary.pk}
    # Converting again returns the same case; a new consultation without a respondent is refused.
    assert line.consultation_convert(record=record, actor=agent, target="mediation").pk == med.pk
    fresh = line.consultation_record(actor=agent, channel="window", question="邻里纠纷", applicant=_applicant())
    with pytest.raises(DomainError) as exc:
        line.consultation_convert(record=fresh, actor=agent, target="mediation")
    assert exc.value.code == "respondent_name_required"
    assert fresh.case.linked_cases.count() == 0


def test_convert_needs_applicant_and_scope(world):
    record = line.consultation_record(actor=world["agent"], channel="hotline", question="工资拖欠", answer="仲裁。")
    with pytest.raises(DomainError) as exc:
        line.consultation_convert(record=record, actor=world["agent"], target="legal_aid",
                                  matter="labour_remuneration")
    assert exc.value.code == "applicant_required"
    with pytest.raises(NotFoundOrForbidden):
        line.consultation_convert(record=record, actor=world["other_clerk"], target="notary", notary_matter="x")
    assert record.case.linked_cases.count() == 0


def test_overdue_rounds_are_logged_once(world):
    from fawang.consultation.selectors_line import rounds_overdue

    record = line.consultation_record(actor=world["agent"], channel="hotline", question="征地补偿怎么算？")
    record = line.consultation_escalate(record=record, actor=world["agent"], reason="复杂", lawyer=world["lawyer"])
    rnd = record.rounds.get()
    assert line.rounds_scan_overdue(now=rnd.due_at - dt.timedelta(minutes=1)) == 0
    later = rnd.due_at + dt.timedelta(minutes=1)
    assert list(rounds_overdue(user=world["agent"], now=later)) == [rnd]
    assert list(rounds_overdue(user=world["other_clerk"], now=later)) == []
    assert line.rounds_scan_overdue(now=later) == 1
    event = _last(record.case)
    assert event.type == "consultation.round_overdue" and not event.public and event.payload["round"] == 1
    assert line.rounds_scan_overdue(now=later + dt.timedelta(days=1)) == 0  # once
    # Answered late: the answer records that it was not on time.
    line.consultation_round_answer(record=record, actor=world["lawyer"], answer="按省定标准。")
    assert _last(record.case).payload["on_time"] is (timezone.now() <= rnd.due_at)

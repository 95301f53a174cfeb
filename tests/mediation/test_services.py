"""People's mediation transitions: state, spine status and events together, article by article."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fawang.accounts.models import Role, User
from fawang.cases.choices import CaseStatus
from fawang.cases.models import CaseEvent
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.models import OutboxMessage
from fawang.mediation import rules
from fawang.mediation import services as s
from fawang.mediation.choices import MediationSource, MediationStatus

pytestmark = pytest.mark.django_db


def types(m) -> list[str]:
    return list(CaseEvent.objects.filter(case=m.case).order_by("at", "id").values_list("type", flat=True))


def new(clerk, parties, station, **kw):
    a, b = parties
    return s.mediation_apply(actor=clerk, parties=[(a, "applicant"), (b, "respondent")],
                             summary="邻居装修漏水，赔偿未谈拢", channel="window", service_point=station,
                             dispute_type="neighbour", **kw)


def agree(m, mediator_user, **kw):
    values = {"facts": "李四家装修导致张三家天花板漏水。", "issues": "维修费用的承担。",
              "responsibilities": "李四承担主要责任。", "terms": "李四赔偿张三维修费3000元。",
              "performance_manner": "现金支付", "performance_deadline": dt.date(2026, 12, 31)}
    values.update(kw)
    return s.mediation_agree(mediation=m, actor=mediator_user, **values)


def test_end_to_end_from_application_to_rating(item, station, clerk, mediator_user, committee, mediators, parties):
    """F3 whole line: application (第十七条), mediators (第十九条), invitation (第二十条), record
    (第二十七条), agreement (第二十九条) effective on signature, 第三十三条 reminder, performance
    (第三十一条), result and the citizen's rating."""
    from fawang.cases.services import case_deliver_result, case_rate

    citizen = User.objects.create_user(username="zs", password="pw-Test-12345", role=Role.CITIZEN)
    m = new(clerk, parties, station, committee=committee, citizen_user=citizen)
    assert m.status == MediationStatus.RECEIVED and m.time_limit_days == rules.DEFAULT_MEDIATION_DAYS
    s.mediation_record_consent(mediation=m, actor=mediator_user, party=parties[1], consents=True)
    m = s.mediation_accept(mediation=m, actor=mediator_user)
    assert m.status == MediationStatus.ACCEPTED and m.case.status == CaseStatus.ACCEPTED
    assert m.due_on == rules.mediation_due(timezone.localdate(), 30)

    rows = s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators, selection="chosen",
                                        lead_user=mediator_user)
    assert [r.is_lead for r in rows] == [True, False] and m.status == MediationStatus.IN_MEDIATION
    s.mediation_invite(mediation=m, actor=mediator_user, name="王五", relation="楼长", parties_consented=True)
    s.mediation_record_session(mediation=m, actor=mediator_user, content="双方陈述，初步同意赔偿。", place="调解室")
    agreement = agree(m, mediator_user)
    m.refresh_from_db()
    assert m.status == MediationStatus.AGREED and m.case.status == CaseStatus.COMPLETED
    assert agreement.effective_on is None  # not signed yet

    agreement = s.mediation_sign_agreement(mediation=m, actor=mediator_user, all_parties_signed=True,
                                           mediator_signed=True, committee_sealed=True, on=dt.date(2026, 1, 16))
    assert agreement.effective_on == dt.date(2026, 1, 16)
    assert agreement.confirmation_due_on == dt.date(2026, 2, 24)  # +30 = 02-15, Spring Festival → 02-24
    reminders = OutboxMessage.objects.filter(idempotency_key__startswith=f"mediation-confirmation:{agreement.pk}:")
    assert reminders.count() == 2
    assert {timezone.localtime(r.next_attempt_at).date() for r in reminders} == {dt.date(2026, 2, 17)}
    assert all("司法确认" in r.body and "第三十三条" in r.body for r in reminders)

    s.mediation_check_performance(mediation=m, actor=mediator_user, result="partial", note="已付1000元")
    assert m.status == MediationStatus.AGREED
    s.mediation_check_performance(mediation=m, actor=mediator_user, result="performed")
    assert m.status == MediationStatus.PERFORMED

    case_deliver_result(case=m.case, actor=mediator_user)
    case_rate(case=m.case, attitude=5, efficiency=4, professionalism=5, rated_by=citizen, channel="web")
    assert types(m) == [
        "case.received", "case.accepted", "mediation.mediator_assigned", "mediation.participant_invited",
        "mediation.session_recorded", "mediation.agreed", "mediation.agreement_effective",
        "mediation.performance_checked", "mediation.performance_checked", "case.result_delivered", "case.rated",
    ]


def test_a_party_refusing_ends_it_article_17(item, station, clerk, mediator_user, parties):
    """第十七条: 当事人一方明确拒绝调解的，不得调解."""
    m = new(clerk, parties, station)
    m = s.mediation_record_consent(mediation=m, actor=mediator_user, party=parties[1], consents=False)
    assert m.status == MediationStatus.REFUSED and m.case.status == CaseStatus.REJECTED
    assert "拒绝调解" in m.refusal_note and "李*" in m.refusal_note
    with pytest.raises(DomainError):
        s.mediation_accept(mediation=m, actor=mediator_user)


def test_referral_from_court_or_police_article_18(item, station, clerk, parties):
    with pytest.raises(DomainError) as err:
        new(clerk, parties, station, source=MediationSource.POLICE_REFERRAL)
    assert err.value.field == "referral_body"
    m = new(clerk, parties, station, source=MediationSource.POLICE_REFERRAL, referral_body="某派出所",
            referral_number="公(2025)12号")
    assert types(m) == ["case.received", "mediation.referred"]


def test_invitation_needs_the_parties_consent_article_20(item, station, clerk, mediator_user, mediators, parties):
    m = new(clerk, parties, station)
    s.mediation_accept(mediation=m, actor=mediator_user)
    s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators[:1])
    with pytest.raises(DomainError) as err:
        s.mediation_invite(mediation=m, actor=mediator_user, name="某专家", relation="建筑工程师",
                           parties_consented=False)
    assert "第二十条" in err.value.message


def test_escalation_risk_reported_article_25(item, station, clerk, mediator_user, parties):
    m = new(clerk, parties, station)
    with pytest.raises(DomainError) as err:
        s.mediation_report_risk(mediation=m, actor=mediator_user, level="criminal", description="扬言报复",
                                measures="分开安抚")
    assert err.value.field == "reported_to"
    s.mediation_report_risk(mediation=m, actor=mediator_user, level="criminal", description="扬言报复",
                            measures="分开安抚", reported_to="某派出所")
    m.refresh_from_db()
    assert m.risk_level == "criminal"
    event = CaseEvent.objects.get(case=m.case, type="mediation.risk_reported")
    assert event.public is False and event.payload["reported_to"] == "某派出所"


def test_failure_tells_other_remedies_article_26(item, station, clerk, mediator_user, mediators, parties):
    m = new(clerk, parties, station)
    s.mediation_accept(mediation=m, actor=mediator_user)
    s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators)
    m = s.mediation_fail(mediation=m, actor=mediator_user, note="双方分歧过大。")
    assert m.status == MediationStatus.FAILED and m.case.status == CaseStatus.COMPLETED
    assert "仲裁" in m.remedies_notice and "人民法院" in m.case.result
    # The citizen's notification carries the remedies (O4).
    assert OutboxMessage.objects.filter(body__contains="第二十六条").exists()


def test_agreement_needs_the_contents_of_article_29(item, station, clerk, mediator_user, mediators, parties):
    m = new(clerk, parties, station)
    s.mediation_accept(mediation=m, actor=mediator_user)
    s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators)
    with pytest.raises(DomainError) as err:
        agree(m, mediator_user, performance_deadline=None)
    assert err.value.field == "performance_deadline"
    m.refresh_from_db()
    assert m.status == MediationStatus.IN_MEDIATION  # nothing half-saved


def test_oral_agreement_effective_at_once_article_30(item, station, clerk, mediator_user, mediators, parties):
    """第二十八条/第三十条: an oral agreement is recorded and takes effect when reached."""
    m = new(clerk, parties, station)
    s.mediation_accept(mediation=m, actor=mediator_user)
    s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators)
    agreement = agree(m, mediator_user, form="oral", facts="", issues="", performance_manner="",
                      performance_deadline=None, reached_on=dt.date(2025, 9, 1))
    assert agreement.effective_on == dt.date(2025, 9, 1)
    assert agreement.confirmation_due_on == dt.date(2025, 10, 9)  # +30 = 10-01 National Day → 10-09


def test_region_scope(item, station, clerk, outsider, parties):
    m = new(clerk, parties, station)
    with pytest.raises(NotFoundOrForbidden):
        s.mediation_accept(mediation=m, actor=outsider)


def test_regional_time_limit(item, station, clerk, mediator_user, parties):
    from fawang.mediation.models import MediationTimeLimit

    MediationTimeLimit.objects.create(region_code="4101", days=15)
    m = new(clerk, parties, station)
    assert m.time_limit_days == 15
    m = s.mediation_accept(mediation=m, actor=mediator_user)
    assert m.due_on == rules.mediation_due(timezone.localdate(), 15)


def test_judicial_confirmation_recorded_and_reminders_withdrawn_article_33(item, station, clerk, mediator_user,
                                                                          mediators, parties):
    m = new(clerk, parties, station)
    s.mediation_accept(mediation=m, actor=mediator_user)
    s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators)
    agreement = agree(m, mediator_user)
    with pytest.raises(DomainError):
        s.mediation_record_confirmation(mediation=m, actor=mediator_user, confirmed_on=dt.date(2026, 1, 20))
    s.mediation_sign_agreement(mediation=m, actor=mediator_user, all_parties_signed=True, mediator_signed=True,
                               committee_sealed=True, on=dt.date(2026, 1, 16))
    key = f"mediation-confirmation:{agreement.pk}:"
    assert OutboxMessage.objects.filter(idempotency_key__startswith=key).count() == 2
    agreement = s.mediation_record_confirmation(mediation=m, actor=mediator_user, confirmed_on=dt.date(2026, 2, 2))
    assert agreement.judicially_confirmed_on == dt.date(2026, 2, 2)
    assert OutboxMessage.objects.filter(idempotency_key__startswith=key).count() == 0
    assert "mediation.judicially_confirmed" in types(m)


def test_case_clock_follows_the_regional_time_limit(item, station, clerk, mediator_user, parties):
    """The spine's "mediate" clock uses the region's configured limit, not the catalogue's 30 days."""
    from fawang.cases.models import CaseStep
    from fawang.mediation.models import MediationTimeLimit

    MediationTimeLimit.objects.create(region_code="4101", days=15)
    m = s.mediation_accept(mediation=new(clerk, parties, station), actor=mediator_user)
    step = CaseStep.objects.filter(case=m.case, step="mediate").first()
    assert step is not None
    started = timezone.localtime(step.started_at).date()
    assert timezone.localtime(step.due_at).date() <= started + dt.timedelta(days=16)

"""The statutory clocks of GGFL-FY-001 as shipped in ``catalog/data/items.json``, driven through
the legal aid line: each clock starts and stops on the events the line really emits."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from fawang.accounts.models import Role, User
from fawang.cases.choices import StepState
from fawang.cases.models import CaseStep
from fawang.catalog.services import catalog_load
from fawang.legalaid import rules
from fawang.legalaid import services as s
from fawang.legalaid.choices import MatterType
from fawang.regions.models import Division, DivisionLevel, ServicePoint

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)


def _division(code: str) -> Division:
    level = {2: DivisionLevel.PROVINCE, 4: DivisionLevel.CITY, 6: DivisionLevel.COUNTY,
             9: DivisionLevel.TOWNSHIP}[len(code)]
    parent = _division(code[: {9: 6, 6: 4, 4: 2}[len(code)]]) if len(code) > 2 else None
    obj, _ = Division.objects.get_or_create(code=code, defaults={"name": code, "level": level, "parent": parent})
    return obj


def _point(code: str, region_code: str, kind: str) -> ServicePoint:
    obj, _ = ServicePoint.objects.get_or_create(
        code=code, defaults={"name": f"服务点{code}", "kind": kind, "division": _division(region_code),
                             "region_code": region_code})
    return obj


def _staff(role: str, at: ServicePoint | None = None, division_code: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(
        username=f"clk{n}-{role}", password="pw-Test-12345", role=role, real_name=f"工作人员{n}",
        service_point=at, division=_division(division_code) if division_code else None)


@pytest.fixture
def line(db):
    catalog_load()  # the shipped catalogue, not a test copy of its time limits
    from fawang.cases.services import party_create

    center = _point("FY-410102", "410102", "county_center")
    station = _point("FY-410102001", "410102001", "township_station")
    return {
        "center": center, "station": station,
        "clerk": _staff(Role.WINDOW_CLERK, center), "station_clerk": _staff(Role.WINDOW_CLERK, station),
        "reviewer": _staff(Role.LEGAL_AID_REVIEWER, center), "approver": _staff(Role.LEGAL_AID_APPROVER, center),
        "bureau": _staff(Role.SUPERVISOR, division_code="410102"),
        "applicant": party_create(name="张三", id_number="410102199003071230", phone="13800138000",
                                  region_code="410102"),
    }


def _apply(line, point, clerk, **kw):
    kw.setdefault("matter", MatterType.LABOUR_REMUNERATION)
    kw.setdefault("household_size", 3)
    kw.setdefault("household_monthly_income", "3000")
    return s.legalaid_apply(actor=clerk, applicant=line["applicant"], channel="window", service_point=point,
                            summary="拖欠工资三个月", specialty="labor", honesty_commitment_signed=True, **kw)


def _step(app, name: str) -> CaseStep:
    return CaseStep.objects.get(case=app.case, step=name)


def test_decision_clock_runs_from_the_centers_receipt_article_43(line):
    """第四十三条: 7 days 自收到法律援助申请之日起 — the center's receipt, not the township's."""
    app = _apply(line, line["station"], line["station_clerk"])
    assert not CaseStep.objects.filter(case=app.case, step="decide").exists()
    app = s.legalaid_forward(app=app, actor=line["station_clerk"], to_center=line["center"])
    assert not CaseStep.objects.filter(case=app.case, step="decide").exists()
    received = timezone.now() - dt.timedelta(hours=3)
    app = s.legalaid_receive(app=app, actor=line["reviewer"], at=received)
    decide = _step(app, "decide")
    assert decide.started_at == received
    assert decide.due_at == app.decision_due_at == rules.decision_due(received)
    assert "第四十三条" in decide.article and decide.region_code == "410102"
    s.legalaid_refuse(app=app, actor=line["approver"], reasons="不属于法律援助范围")
    decide.refresh_from_db()
    assert decide.ended_at is not None and decide.state == StepState.MET


def test_fast_track_stops_the_decision_clock_article_44(line):
    """第四十四条: aid given first ends the wait for the decision."""
    from fawang.directory.models import Practitioner

    Practitioner.objects.create(kind="lawyer", name="王律师", division=_division("410102"), region_code="410102",
                                is_legal_aid_lawyer=True, specialties=["labor"], languages=["mandarin"],
                                practice_since=2010, licence_number="14101202010000001")
    app = _apply(line, line["center"], line["clerk"],
                 limitation_ends_on=timezone.localdate() + dt.timedelta(days=5))
    app = s.legalaid_receive(app=app, actor=line["reviewer"])
    assert _step(app, "decide").ended_at is None
    s.legalaid_fast_track(app=app, actor=line["approver"])
    assert _step(app, "decide").ended_at is not None


def test_detained_application_forwarded_within_24_hours_article_39(line):
    """第三十九条: the custodial place forwards within 24 hours (hours: holidays do not extend it)."""
    app = _apply(line, line["station"], line["station_clerk"], is_detained=True, custodial_place="某看守所")
    forward = _step(app, "forward")
    assert forward.rule_hours == 24 and forward.rule_days == 0
    assert forward.due_at == app.forward_due_at == rules.detained_forward_due(forward.started_at)
    assert forward.due_at - forward.started_at == dt.timedelta(hours=24)
    assert "第三十九条" in forward.article
    s.legalaid_forward(app=app, actor=line["station_clerk"], to_center=line["center"])
    forward.refresh_from_db()
    assert forward.ended_at is not None and forward.state == StepState.MET
    # Not detained: no forwarding clock at all.
    other = _apply(line, line["station"], line["station_clerk"], idempotency_key="free-applicant")
    assert not CaseStep.objects.filter(case=other.case, step="forward").exists()


def test_objection_reviewed_within_5_days_article_49(line):
    """第四十九条第二款: the justice bureau decides an objection within 5 days of receiving it."""
    app = _apply(line, line["center"], line["clerk"])
    app = s.legalaid_receive(app=app, actor=line["reviewer"])
    app = s.legalaid_refuse(app=app, actor=line["approver"], reasons="不属于法律援助范围")
    objection = s.legalaid_object(app=app, actor=line["clerk"], grounds="不服")
    step = _step(app, "objection")
    assert step.rule_days == 5 and "第四十九条" in step.article
    assert step.due_at == rules.objection_review_due(step.started_at)
    s.legalaid_decide_objection(objection=objection, actor=line["bureau"], outcome="upheld", note="维持")
    step.refresh_from_db()
    assert step.ended_at is not None and step.state == StepState.MET

"""What the spine offers business lines: their own permission action on intake, accept and
transfer take-over, a backdated acceptance, and a per-case rule for an item's clock."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from fawang.accounts.models import Role
from fawang.cases import services as cs
from fawang.cases.choices import CaseStatus
from fawang.cases.models import CaseEvent, CaseStep
from fawang.core.errors import PermissionDenied

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def aid_item(db):
    # 法律援助法第四十三条: the 7-day decision clock runs from the center's receipt (case.accepted).
    return f.item("GGFL-FY-001", name="法律援助申请", service_type="legal_aid", lowest_level="county", time_limits=[
        {"step": "decide", "name": "审查决定", "days": 7, "article": "法律援助法第四十三条",
         "start_event": "case.accepted", "stop_events": ["legalaid.approved"]}])


def test_intake_under_a_line_action_records_the_actor(aid_item, county_point, applicant):
    """A legal aid reviewer holds ``legalaid.intake``, not ``case.intake``: with ``action`` the line
    registers the case in the reviewer's own name (no system stand-in)."""
    reviewer = f.user(Role.LEGAL_AID_REVIEWER, point=county_point)
    with pytest.raises(PermissionDenied):
        cs.case_create_or_get(item=aid_item, channel="window", applicant=applicant, service_point=county_point,
                              actor=reviewer)
    case, created = cs.case_create_or_get(item=aid_item, channel="window", applicant=applicant,
                                          service_point=county_point, actor=reviewer, action="legalaid.intake")
    assert created and case.first_contact_user == reviewer
    assert CaseEvent.objects.get(case=case, type="case.received").actor_name == reviewer.real_name


def test_accept_at_the_real_receipt_time_starts_the_clock_then(aid_item, county_point, applicant):
    """第四十三条's 7 days count from when the center received the papers, which may be earlier
    than when the acceptance is keyed in."""
    reviewer = f.user(Role.LEGAL_AID_REVIEWER, point=county_point)
    case, _ = cs.case_create_or_get(item=aid_item, channel="window", applicant=applicant,
                                    service_point=county_point, actor=reviewer, action="legalaid.intake")
    with pytest.raises(PermissionDenied):
        cs.case_accept(case=case, actor=reviewer)
    received = timezone.now() - dt.timedelta(days=1)
    event = cs.case_accept(case=case, actor=reviewer, action="legalaid.intake", at=received)
    assert event.at == received and case.status == CaseStatus.ACCEPTED and case.handler == reviewer
    step = CaseStep.objects.get(case=case, step="decide")
    assert step.started_at == received and step.rule_days == 7


def test_transfer_taken_over_under_a_line_action(aid_item, township_point, county_point, applicant):
    station_clerk = f.user(Role.WINDOW_CLERK, point=township_point)
    reviewer = f.user(Role.LEGAL_AID_REVIEWER, point=county_point)
    case, _ = cs.case_create_or_get(item=aid_item, channel="window", applicant=applicant,
                                    service_point=township_point, actor=station_clerk)
    cs.case_transfer(case=case, actor=station_clerk, to_service_point=county_point, reason="转交法律援助机构",
                     escalate=True)
    with pytest.raises(PermissionDenied):
        cs.case_transfer_accept(case=case, actor=reviewer)
    cs.case_transfer_accept(case=case, actor=reviewer, action="legalaid.intake")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.region_code == "410102"
    assert case.responsible_user == reviewer


def test_a_line_supplies_the_clock_rule_per_case(county_point, clerk, applicant):
    """Mediation's limit is regional (``MediationTimeLimit``); the catalogue holds the default."""
    item = f.item("GGFL-TJ-001", name="人民调解申请", service_type="mediation", time_limits=[
        {"step": "mediate", "name": "调解", "days": 30, "article": "服务承诺", "start_event": "case.received",
         "stop_events": ["case.completed"]}])
    seen = []

    def regional(case, limit):
        seen.append((case.region_code, limit.step))
        return dataclasses.replace(limit, days=15) if case.region_code.startswith("410102") else None

    previous = cs._time_limit_resolvers.get("mediation")  # the mediation app's own, from ready()
    cs.register_time_limit_resolver("mediation", regional)
    try:
        case, _ = cs.case_create_or_get(item=item, channel="window", applicant=applicant,
                                        service_point=county_point, actor=clerk)
        other_point = f.service_point("SP-410103", "410103", "county_center")
        other_clerk = f.user(Role.WINDOW_CLERK, point=other_point)
        other, _ = cs.case_create_or_get(item=item, channel="window", applicant=applicant,
                                         service_point=other_point, actor=other_clerk)
    finally:
        if previous is None:
            cs._time_limit_resolvers.pop("mediation", None)
        else:
            cs.register_time_limit_resolver("mediation", previous)
    assert seen == [("410102", "mediate"), ("410103", "mediate")]
    assert CaseStep.objects.get(case=case).rule_days == 15
    assert CaseStep.objects.get(case=other).rule_days == 30  # None: the catalogue's default
    # Other service types are untouched by the mediation resolver.
    consult, _ = cs.case_create_or_get(item=f.item(), channel="window", applicant=applicant,
                                       service_point=county_point, actor=clerk)
    assert CaseStep.objects.get(case=consult).rule_days == 7

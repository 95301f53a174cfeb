"""Property test: random sequences of allowed and forbidden steps never break the invariants.

* events are only ever appended (each history is a prefix of the next);
* the status is reached only through the transition table, and equals the last event's;
* a refused step changes nothing;
* every clock's deadline is what ``core.sla`` gives for its start and closed pauses, pauses only
  extend it, and a calendar-day deadline never ends on a rest day (民法典 第二百零三条), across
  Spring Festival, National Day and 调休.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fawang.cases.choices import TRANSITIONS
from fawang.cases.models import Case, CaseEvent
from fawang.cases.services import (
    case_accept,
    case_complete,
    case_create,
    case_deliver_result,
    case_materials_received,
    case_rate,
    case_reject,
    case_request_materials,
    case_start,
    case_transfer,
    case_transfer_accept,
    case_transfer_refuse,
    case_withdraw,
)
from fawang.core.errors import DomainError
from fawang.core.sla import DayUnit, compute_due
from fawang.core.workdays import is_working_day

from . import factories as f

pytestmark = pytest.mark.django_db

ACTIONS = ["accept", "start", "request", "received", "complete", "deliver", "reject", "withdraw", "transfer",
           "transfer_accept", "transfer_refuse", "rate"]
STARTS = [dt.date(2026, 2, 10), dt.date(2026, 9, 27), dt.date(2025, 12, 29), dt.date(2026, 4, 30),
          dt.date(2026, 6, 15)]


def apply(name, case, clerk, other, other_point):
    """Run one step as the actor who would do it; returns nothing, may raise DomainError."""
    receiver = other if case.transfer_to_id else clerk
    actor = other if case.service_point_id == other_point.pk else clerk
    if name == "accept":
        case_accept(case=case, actor=actor)
    elif name == "start":
        case_start(case=case, actor=actor)
    elif name == "request":
        case_request_materials(case=case, actor=actor, materials=["id_card"])
    elif name == "received":
        case_materials_received(case=case, actor=actor)
    elif name == "complete":
        case_complete(case=case, actor=actor, result="已办结")
    elif name == "deliver":
        case_deliver_result(case=case, actor=actor)
    elif name == "reject":
        case_reject(case=case, actor=actor, reason="不属受理范围")
    elif name == "withdraw":
        case_withdraw(case=case, actor=actor, reason="申请人撤回")
    elif name == "transfer":
        target = other_point if case.service_point_id != other_point.pk else f.service_point(
            "SP-410102", "410102")
        case_transfer(case=case, actor=actor, to_service_point=target, reason="属地管辖", escalate=True)
    elif name == "transfer_accept":
        case_transfer_accept(case=case, actor=receiver)
    elif name == "transfer_refuse":
        case_transfer_refuse(case=case, actor=receiver, reason="不属本地")
    elif name == "rate":
        case_rate(case=case, attitude=2, efficiency=5, professionalism=5, rated_by=actor)


def check_clocks(case):
    for step in case.steps.all():
        rule = step.sla_rule()
        closed = [(dt.datetime.fromisoformat(b), dt.datetime.fromisoformat(e)) for b, e in step.pauses]
        assert step.due_at == compute_due(step.started_at, rule, closed, now=step.started_at)
        assert step.due_at >= compute_due(step.started_at, rule)
        total = sum((e - b for b, e in closed), dt.timedelta())
        assert step.paused_total == total
        assert (step.paused_at is not None) == (step.state == "paused")
        if rule.days and rule.unit == DayUnit.CALENDAR:
            from django.utils import timezone

            assert is_working_day(timezone.localtime(step.due_at).date())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.sampled_from(STARTS),
    steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=1, max_value=240)),
                   min_size=1, max_size=14),
    calendar=st.booleans(),
)
def test_random_sequences_keep_invariants(start, steps, calendar, clerk, other_clerk, other_point, applicant):
    from django.utils import timezone

    item = f.item(code="GGFL-ZX-002" if calendar else "GGFL-ZX-001", time_limits=[
        {"step": "reply", "name": "答复", "days": 7, "unit": "calendar" if calendar else "working",
         "warn_days_before": 2, "article": "测试", "start_event": "case.received",
         "stop_events": ["case.completed"]},
        {"step": "second", "name": "办理", "days": 3, "unit": "calendar", "article": "测试",
         "start_event": "case.accepted", "stop_events": ["case.completed"]},
    ])
    now = timezone.make_aware(dt.datetime.combine(start, dt.time(9, 30)))
    with mock.patch("django.utils.timezone.now", side_effect=lambda: now):
        case = case_create(item=item, channel="window", applicant=applicant,
                           service_point=f.service_point("SP-410102", "410102"), actor=clerk, at=now)
        history = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("id", "type"))
        for name, hours in steps:
            now = now + dt.timedelta(hours=hours)
            before_status = Case.objects.get(pk=case.pk).status
            try:
                apply(name, case, clerk, other_clerk, other_point)
                refused = False
            except DomainError:
                refused = True
            case = Case.objects.get(pk=case.pk)
            after = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("id", "type"))
            assert after[: len(history)] == history  # only appended
            if refused:
                assert after == history and case.status == before_status
            history = after
            events = list(CaseEvent.objects.filter(case=case).order_by("id"))
            status = events[0].to_status
            for e in events[1:]:
                if e.from_status != e.to_status:
                    assert e.from_status == status and e.to_status in TRANSITIONS[status]
                    status = e.to_status
            assert case.status == status
            check_clocks(case)

"""The deadline scan: each rung crossed is logged once; paused and ended steps are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from fawang.cases import events as ev
from fawang.cases.choices import StepState
from fawang.cases.models import CaseEvent, CaseStep
from fawang.cases.services import (
    case_accept,
    case_complete,
    case_create,
    case_request_materials,
    scan_deadlines,
)

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def make(item, clerk, applicant, point, when):
    return case_create(item=item, channel="window", applicant=applicant, service_point=point, actor=clerk, at=when)


def test_rungs_logged_once(consultation_item, clerk, applicant, county_point):
    # 7 working days from Mon 2026-03-02: due end of Wed 2026-03-11, warning 2 working days before.
    case = make(consultation_item, clerk, applicant, county_point, at(2026, 3, 2))
    step = case.steps.get()
    assert timezone.localtime(step.due_at).date() == dt.date(2026, 3, 11)
    assert scan_deadlines(now=at(2026, 3, 5)).warned == 0
    result = scan_deadlines(now=at(2026, 3, 10))
    assert (result.warned, result.overdue) == (1, 0)
    assert scan_deadlines(now=at(2026, 3, 10, 12)).warned == 0  # idempotent
    assert scan_deadlines(now=at(2026, 3, 12)).overdue == 1
    assert scan_deadlines(now=at(2026, 3, 13)) == scan_deadlines(now=at(2026, 3, 14))
    types = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert types == [ev.RECEIVED, ev.SLA_WARNING, ev.SLA_OVERDUE]
    last = CaseEvent.objects.filter(case=case).last()
    assert last.payload["step"] == "reply" and last.actor is None and last.actor_name == "系统"
    step.refresh_from_db()
    assert step.state == StepState.OVERDUE


def test_straight_to_overdue_logs_only_overdue(consultation_item, clerk, applicant, county_point):
    case = make(consultation_item, clerk, applicant, county_point, at(2026, 3, 2))
    assert scan_deadlines(now=at(2026, 4, 1)).overdue == 1
    assert list(CaseEvent.objects.filter(case=case).values_list("type", flat=True)) == [ev.RECEIVED, ev.SLA_OVERDUE]


def test_paused_and_completed_steps_not_flagged(consultation_item, clerk, applicant, county_point):
    paused = make(consultation_item, clerk, applicant, county_point, at(2026, 3, 2))
    case_accept(case=paused, actor=clerk)
    case_request_materials(case=paused, actor=clerk, materials=["id_card"])
    done = make(consultation_item, clerk, applicant, county_point, at(2026, 3, 2))
    case_accept(case=done, actor=clerk)
    case_complete(case=done, actor=clerk, result="已答复")
    assert scan_deadlines(now=at(2026, 5, 1)).overdue == 0
    assert CaseStep.objects.get(case=paused).state == StepState.PAUSED


def test_national_day_holiday_pushes_deadline(consultation_item, clerk, applicant, county_point):
    # Received Tue 2026-09-29: 7 working days skip the National Day holiday (Oct 1-7 2026).
    case = make(consultation_item, clerk, applicant, county_point, at(2026, 9, 29))
    due = timezone.localtime(case.steps.get().due_at).date()
    assert due > dt.date(2026, 10, 8)
    assert scan_deadlines(now=at(2026, 10, 7)).overdue == 0


def test_command(consultation_item, clerk, applicant, county_point, capsys):
    make(consultation_item, clerk, applicant, county_point, at(2026, 1, 5))
    call_command("scan_deadlines")
    assert "超期 1" in capsys.readouterr().out


def test_scan_compares_instants_not_local_text(consultation_item, clerk, applicant, county_point):
    # Due at 24:00 local (16:00 UTC) on 2026-03-11; at 20:00 local that day it is not yet late.
    case = make(consultation_item, clerk, applicant, county_point, at(2026, 3, 2))
    assert scan_deadlines(now=at(2026, 3, 11, 20)).overdue == 0
    assert scan_deadlines(now=at(2026, 3, 12, 0) + dt.timedelta(minutes=30)).overdue == 1
    assert case.steps.get().state == StepState.OVERDUE

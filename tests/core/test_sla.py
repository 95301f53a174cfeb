"""SLA clock on real dates. Times are Asia/Shanghai (settings.TIME_ZONE)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fawang.core.sla import (
    DayUnit,
    SlaRule,
    SlaState,
    compute_due,
    days_left,
    end_of_day,
    sla_state,
    warning_at,
)
from fawang.core.workdays import is_working_day, working_days_between

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=SH)


def eod(y: int, m: int, d: int) -> dt.datetime:
    return end_of_day(dt.date(y, m, d))


def test_calendar_days_start_the_next_day() -> None:
    # 民法典 第二百零一条: received Mon 2025-03-03 at 10:00, 7 days -> ends 24:00 Mon 2025-03-10.
    assert compute_due(at(2025, 3, 3), SlaRule(days=7)) == eod(2025, 3, 10)
    # Even received at 23:59, the same day is day 0.
    assert compute_due(at(2025, 3, 3, 23, 59), SlaRule(days=7)) == eod(2025, 3, 10)


def test_calendar_deadline_on_holiday_moves_to_next_working_day() -> None:
    # 民法典 第二百零三条: received 2025-01-24, 7 days -> Jan 31 (春节 holiday) -> Wed Feb 5.
    assert compute_due(at(2025, 1, 24), SlaRule(days=7)) == eod(2025, 2, 5)
    # Received 2025-09-24, 7 days -> Oct 1 (国庆) -> Thu Oct 9.
    assert compute_due(at(2025, 9, 24), SlaRule(days=7)) == eod(2025, 10, 9)
    # Last day on an ordinary Saturday (2025-03-15) -> Monday 2025-03-17.
    assert compute_due(at(2025, 3, 8), SlaRule(days=7)) == eod(2025, 3, 17)
    # Last day on a make-up working Saturday (2025-02-08) stays.
    assert compute_due(at(2025, 2, 1), SlaRule(days=7)) == eod(2025, 2, 8)
    # 2026 春节 (Feb 15–23): received Feb 10 + 7 -> Feb 17 -> Tue Feb 24.
    assert compute_due(at(2026, 2, 10), SlaRule(days=7)) == eod(2026, 2, 24)


def test_working_days() -> None:
    rule = SlaRule(days=7, unit=DayUnit.WORKING)
    # From Mon 2025-01-20: 21,22,23,24, Sun 26 (make-up), 27, Feb 5.
    assert compute_due(at(2025, 1, 20), rule) == eod(2025, 2, 5)
    # 2026 国庆 (Oct 1–7, make-up Sat Oct 10): from Tue Sep 29: 30, Oct 8, 9, 10, 12, 13, 14.
    assert compute_due(at(2026, 9, 29), rule) == eod(2026, 10, 14)


def test_hours_rule() -> None:
    rule = SlaRule(days=0, hours=24, article="24小时内转交")
    assert compute_due(at(2025, 1, 27, 9), rule) == at(2025, 1, 28, 9)
    assert rule.describe() == "24小时"
    # A 3-hour pause pushes it 3 hours.
    pauses = [(at(2025, 1, 27, 12), at(2025, 1, 27, 15))]
    assert compute_due(at(2025, 1, 27, 9), rule, pauses) == at(2025, 1, 28, 12)


def test_pauses_extend_calendar_rule() -> None:
    start = at(2025, 3, 3)
    rule = SlaRule(days=7)
    # Waiting on the citizen from Mar 4 to Mar 7: 3 days do not count -> Mar 13.
    assert compute_due(start, rule, [(at(2025, 3, 4), at(2025, 3, 7))]) == eod(2025, 3, 13)
    # Overlapping pauses are merged (Mar 4–7 and Mar 5–8 = Mar 4–8: 4 days) -> Mar 14.
    pauses = [(at(2025, 3, 4), at(2025, 3, 7)), (at(2025, 3, 5), at(2025, 3, 8))]
    assert compute_due(start, rule, pauses) == eod(2025, 3, 14)
    # A pause that begins after the deadline passed does not revive it.
    assert compute_due(start, rule, [(at(2025, 3, 20), at(2025, 3, 25))]) == eod(2025, 3, 10)
    # A pause opened before start only counts from start.
    assert compute_due(start, rule, [(at(2025, 3, 1), at(2025, 3, 4))]) == eod(2025, 3, 11)


def test_pauses_extend_working_rule() -> None:
    rule = SlaRule(days=5, unit=DayUnit.WORKING)
    start = at(2025, 9, 22)  # Mon; 5 working days -> 23,24,25,26, Sun 28 (make-up)
    assert compute_due(start, rule) == eod(2025, 9, 28)
    # Paused Sep 24 -> Oct 9: working days in (24, Oct 9] = 25, 26, 28, 29, 30, Oct 9 = 6.
    due = compute_due(start, rule, [(at(2025, 9, 24), at(2025, 10, 9))])
    # 5 + 6 = 11th working day after Sep 22: 23,24,25,26,28,29,30, Oct 9,10,11 (Sat make-up),13.
    assert due == end_of_day(dt.date(2025, 10, 13))


def test_open_pause_runs_until_now() -> None:
    start = at(2025, 3, 3)
    due = compute_due(start, SlaRule(days=7), [(at(2025, 3, 4), None)], now=at(2025, 3, 6))
    assert due == eod(2025, 3, 12)


def test_warning_and_state() -> None:
    rule = SlaRule(days=7)
    due = compute_due(at(2025, 3, 3), rule)
    warn = warning_at(due, rule)
    assert warn == eod(2025, 3, 9)
    assert sla_state(at(2025, 3, 9, 12), due, warn) == SlaState.OK
    assert sla_state(at(2025, 3, 10, 8), due, warn) == SlaState.WARNING
    assert sla_state(at(2025, 3, 11, 0, 1), due, warn) == SlaState.OVERDUE
    assert sla_state(at(2025, 3, 11), due, warn, paused=True) == SlaState.PAUSED
    assert sla_state(at(2025, 3, 20), due, warn, completed_at=at(2025, 3, 10, 17)) == SlaState.MET
    assert sla_state(at(2025, 3, 20), due, warn, completed_at=at(2025, 3, 11, 9)) == SlaState.OVERDUE


def test_working_warning_counts_working_days() -> None:
    rule = SlaRule(days=7, unit=DayUnit.WORKING, warn_days_before=1)
    due = compute_due(at(2025, 1, 20), rule)  # Feb 5
    assert warning_at(due, rule) == eod(2025, 1, 27)  # the working day before Feb 5


def test_warn_ratio_and_hours_warning() -> None:
    rule = SlaRule(days=10, warn_ratio=0.8)
    start = at(2025, 3, 3)
    due = compute_due(start, rule)
    assert warning_at(due, rule, start=start) == start + (due - start) * 0.8
    hourly = SlaRule(days=0, hours=24)
    assert warning_at(at(2025, 3, 4), hourly) == at(2025, 3, 4, 6)  # last fifth: 4 hours before


def test_days_left() -> None:
    due = eod(2025, 2, 5)
    assert days_left(at(2025, 1, 27), due) == 9
    assert days_left(at(2025, 1, 27), due, DayUnit.WORKING) == 1
    assert days_left(at(2025, 2, 7), due) == -2


def test_invalid_rules() -> None:
    with pytest.raises(ValueError):
        SlaRule(days=-1)
    with pytest.raises(ValueError):
        SlaRule(days=1, hours=2)
    with pytest.raises(ValueError):
        compute_due(dt.datetime(2025, 3, 3), SlaRule(days=1))


@given(
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 11, 30)),
    st.integers(1, 30),
    st.sampled_from([DayUnit.CALENDAR, DayUnit.WORKING]),
    st.integers(0, 10),
    st.integers(0, 10),
)
def test_due_properties(day: dt.date, days: int, unit: DayUnit, pause_from: int, pause_len: int) -> None:
    start = at(day.year, day.month, day.day)
    rule = SlaRule(days=days, unit=unit)
    due = compute_due(start, rule)
    last = due.date()
    assert is_working_day(last)  # 第二百零三条 for calendar rules; by construction for working ones
    if unit == DayUnit.WORKING:
        assert working_days_between(day, last) == days
    else:
        assert last >= day + dt.timedelta(days=days)
        assert all(not is_working_day(day + dt.timedelta(days=k)) for k in range(days, (last - day).days))
    pause_start = start + dt.timedelta(days=pause_from)
    paused = compute_due(start, rule, [(pause_start, pause_start + dt.timedelta(days=pause_len))])
    assert paused >= due
    assert warning_at(due, rule) <= due

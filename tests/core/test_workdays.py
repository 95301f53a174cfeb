"""Working-day calendar on real 2025/2026 dates (State Council holiday notices).

Expected dates are written out explicitly, checked against chinese_calendar 1.11:
- 2025 春节: holidays Jan 28 – Feb 4; make-up working days Sun Jan 26 and Sat Feb 8.
- 2025 国庆/中秋: holidays Oct 1 – Oct 8; make-up working days Sun Sep 28 and Sat Oct 11.
- 2026 元旦: Jan 1 – Jan 3; make-up Sun Jan 4.
- 2026 春节: Feb 15 – Feb 23; make-up Sat Feb 14 and Sat Feb 28.
- 2026 国庆: Oct 1 – Oct 7; make-up Sun Sep 20 and Sat Oct 10.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fawang.core.workdays import (
    add_calendar_days,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    "day",
    [D(2025, 1, 28), D(2025, 1, 31), D(2025, 2, 3), D(2025, 2, 4), D(2025, 10, 1), D(2025, 10, 8),
     D(2026, 1, 2), D(2026, 2, 16), D(2026, 2, 23), D(2026, 10, 7), D(2025, 5, 5)],
)
def test_statutory_holidays_on_weekdays_are_not_working_days(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [D(2025, 1, 26), D(2025, 2, 8), D(2025, 9, 28), D(2025, 10, 11),
     D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)],
)
def test_make_up_weekend_days_are_working_days(day: dt.date) -> None:
    assert day.weekday() >= 5
    assert is_working_day(day)


def test_ordinary_days() -> None:
    assert is_working_day(D(2025, 3, 12))  # Wednesday
    assert not is_working_day(D(2025, 3, 15))  # Saturday


def test_add_working_days_across_spring_festival_2025() -> None:
    # Mon Jan 27 2025 is the last working day before the holiday; the next is Wed Feb 5.
    assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    # Fri Jan 24 -> Sun Jan 26 (make-up day) is the 1st working day, Mon Jan 27 the 2nd.
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_working_days(D(2025, 1, 24), 2) == D(2025, 1, 27)
    assert add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    # Feb 5,6,7 (Wed–Fri), Sat Feb 8 (make-up) -> 4th working day after Jan 27 is Feb 8.
    assert add_working_days(D(2025, 1, 27), 4) == D(2025, 2, 8)


def test_add_working_days_across_national_day_2025() -> None:
    # Fri Sep 26 -> Sun Sep 28 (make-up), Mon 29, Tue 30, then Thu Oct 9.
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 26), 3) == D(2025, 9, 30)
    assert add_working_days(D(2025, 9, 26), 4) == D(2025, 10, 9)
    # 7 working days from Sep 30: Oct 9, 10, 11 (Sat make-up), 13, 14, 15, 16.
    assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)


def test_add_working_days_across_spring_festival_2026() -> None:
    # Fri Feb 13 -> Sat Feb 14 (make-up) -> then Tue Feb 24.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    # Feb 24,25,26,27, Sat Feb 28 (make-up) -> 5th working day after Feb 14.
    assert add_working_days(D(2026, 2, 14), 5) == D(2026, 2, 28)


def test_add_working_days_zero_and_negative() -> None:
    assert add_working_days(D(2025, 2, 1), 0) == D(2025, 2, 1)
    assert add_working_days(D(2025, 2, 5), -1) == D(2025, 1, 27)
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)


def test_working_days_between() -> None:
    assert working_days_between(D(2025, 1, 27), D(2025, 2, 5)) == 1
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 16)) == 7
    assert working_days_between(D(2025, 10, 16), D(2025, 9, 30)) == -7
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    # A full ordinary week Mon->Mon is five working days.
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 10)) == 5


def test_next_working_day_and_calendar_days() -> None:
    assert next_working_day(D(2025, 10, 1)) == D(2025, 10, 9)
    assert next_working_day(D(2025, 10, 11)) == D(2025, 10, 11)
    assert add_calendar_days(D(2025, 1, 28), 7) == D(2025, 2, 4)


def test_years_without_data_fall_back_to_weekdays() -> None:
    assert is_working_day(D(2031, 3, 3))  # Monday
    assert not is_working_day(D(2031, 3, 8))  # Saturday


@given(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)), st.integers(0, 40))
def test_between_inverts_add(start: dt.date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n

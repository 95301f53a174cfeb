"""The working-day calendar of mainland China: statutory holidays and 调休 make-up days.

Deadlines in the justice system are counted either in calendar days or in working days
(工作日). A working day is one the State Council's annual holiday notice does not declare a
holiday: ordinary Monday–Friday, minus statutory holidays (法定节假日), plus the weekend days
declared as make-up working days (调休上班). The data comes from ``chinese_calendar``, which
carries each year's notice. For years the library has no data for (the notice for year N+1 is
published in late year N), we fall back to "Monday–Friday are working days": a deadline then
may be a few days early, never silently undefined, and a library upgrade corrects it.

All functions are pure and take ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)
def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day (调休 make-up Saturdays/Sundays count as working days)."""
    if isinstance(d, dt.datetime):  # a datetime is a date subclass: use its calendar date
        d = d.date()
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return d.weekday() < 5


def is_statutory_holiday(d: dt.date) -> bool:
    """Whether ``d`` is a rest day: a statutory holiday or an ordinary weekend (not 调休)."""
    return not is_working_day(d)


def next_working_day(d: dt.date) -> dt.date:
    """``d`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start`` unchanged. Negative ``n`` counts backwards (the n-th working
    day before ``start``), which is how a "warn one working day before" moment is found.
    """
    if isinstance(start, dt.datetime):
        start = start.date()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    d = start
    while remaining:
        d += dt.timedelta(days=step)
        if is_working_day(d):
            remaining -= 1
    return d


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    """``start`` plus ``n`` calendar days (named for symmetry with ``add_working_days``)."""
    return start + dt.timedelta(days=n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]: how many were "used" from start to end.

    So ``working_days_between(d, add_working_days(d, n)) == n``. If ``end`` is before ``start``
    the result is negative (the same count, with the sign flipped).
    """
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if end < start:
        return -working_days_between(end, start)
    count = 0
    d = start
    while d < end:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count

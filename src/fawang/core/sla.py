"""The SLA clock: when a step is due, when to warn, and whether it is late. Pure functions.

Model-agnostic on purpose: a business line stores ``due_at``/``warn_at`` it got from here (and
recomputes them when a pause ends); this module never touches the database.

How a deadline counted in days is computed (民法典):
- 第二百零一条: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。 The day of
  the triggering event (receipt of an application, …) is day 0; day 1 is the next day.
- 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
  期间的最后一日的截止时间为二十四时。 So with a calendar-day rule, a last day falling on a rest
  day (statutory holiday or weekend) moves to the next working day, and the step is due at the
  very end (24:00) of the last day, local time (Asia/Shanghai).
- A working-day rule (e.g. "7个工作日") counts only working days after the event day, so its last
  day is a working day by construction.
- An hour rule (e.g. "24小时内转交") is elapsed time from the event, to the minute.

Pauses (waiting on the citizen: 补正材料, 中止) do not count: for day rules the number of days
(calendar or working, as the rule counts) from the day the pause begins to the day it ends is
added; for hour rules, the exact paused duration. Overlapping pauses are merged; a pause that
starts after the deadline already passed does not revive it; an open pause (end ``None``) runs
until ``now``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.workdays import add_working_days, is_working_day, next_working_day, working_days_between

Pause = tuple[dt.datetime, dt.datetime | None]


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


class SlaState(models.TextChoices):
    OK = "ok", _("正常")
    WARNING = "warning", _("临期")
    OVERDUE = "overdue", _("超期")
    PAUSED = "paused", _("暂停计时")
    MET = "met", _("按期办结")


@dataclass(frozen=True)
class SlaRule:
    """A time limit: ``days`` in ``unit`` (or ``hours`` of elapsed time), and when to warn.

    ``warn_days_before`` counts in the rule's unit (working days for a working-day rule); for an
    hour rule ``warn_hours_before`` applies (default: the last fifth of the period, ≥ 1 hour).
    ``warn_ratio`` (e.g. 0.8) warns once that share of the period has elapsed instead; it needs
    the start, so it is used when ``warning_at`` is given ``start``.
    ``article`` cites the provision that sets the limit (e.g. "法律援助法 第四十三条").
    """

    days: int
    unit: DayUnit = DayUnit.CALENDAR
    warn_days_before: int = 1
    article: str = ""
    hours: int = 0
    warn_hours_before: int | None = None
    warn_ratio: float | None = None

    def __post_init__(self) -> None:
        if self.days < 0 or self.hours < 0:
            raise ValueError("SLA periods cannot be negative")
        if self.days and self.hours:
            raise ValueError("An SLA rule counts either days or hours, not both")
        if self.warn_days_before < 0:
            raise ValueError("warn_days_before cannot be negative")
        if self.warn_ratio is not None and not 0 < self.warn_ratio <= 1:
            raise ValueError("warn_ratio must be in (0, 1]")

    @property
    def is_hourly(self) -> bool:
        return self.hours > 0

    def describe(self) -> str:
        """Human-readable limit, e.g. "7个工作日" / "15日" / "24小时"."""
        if self.is_hourly:
            return f"{self.hours}小时"
        return f"{self.days}个工作日" if self.unit == DayUnit.WORKING else f"{self.days}日"


def _require_aware(value: dt.datetime, name: str) -> None:
    if timezone.is_naive(value):
        raise ValueError(f"{name} must be timezone-aware")


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in local time, represented as its last microsecond (23:59:59.999999)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max), timezone.get_default_timezone())


def _merge(start: dt.datetime, pauses: Sequence[Pause], now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """Pauses clipped to begin no earlier than ``start``, open ends closed at ``now``, merged."""
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for begin, end in pauses:
        _require_aware(begin, "pause start")
        if end is None:
            end = max(now, begin)
        else:
            _require_aware(end, "pause end")
        begin = max(begin, start)
        if end <= begin:
            continue
        spans.append((begin, end))
    spans.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _last_day(start_day: dt.date, rule: SlaRule, extra_days: int) -> dt.date:
    total = rule.days + extra_days
    if rule.unit == DayUnit.WORKING:
        return add_working_days(start_day, total)
    last = start_day + dt.timedelta(days=total)
    if rule.days > 0 and not is_working_day(last):
        last = next_working_day(last)  # 民法典 第二百零三条
    return last


def compute_due(
    start: dt.datetime,
    rule: SlaRule,
    pauses: Sequence[Pause] = (),
    *,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """When a step that began at ``start`` under ``rule`` is due, pauses taken into account.

    ``now`` only matters for an open pause (defaults to the current time).
    """
    _require_aware(start, "start")
    now = now or timezone.now()
    spans = _merge(start, pauses, now)

    if rule.is_hourly:
        due = start + dt.timedelta(hours=rule.hours)
        for begin, end in spans:
            if begin > due:
                break  # already late when the pause began: the pause does not revive the clock
            due += end - begin
        return due

    start_day = _local_date(start)
    extra = 0
    due = end_of_day(_last_day(start_day, rule, extra))
    for begin, end in spans:
        if begin > due:
            break
        b, e = _local_date(begin), _local_date(end)
        if rule.unit == DayUnit.WORKING:
            extra += working_days_between(b, e)
        else:
            extra += (e - b).days
        due = end_of_day(_last_day(start_day, rule, extra))
    return due


def warning_at(due: dt.datetime, rule: SlaRule, *, start: dt.datetime | None = None) -> dt.datetime:
    """From when the step counts as 临期 (about to be late)."""
    _require_aware(due, "due")
    if rule.warn_ratio is not None and start is not None:
        return start + (due - start) * rule.warn_ratio
    if rule.is_hourly:
        hours = rule.warn_hours_before
        if hours is None:
            hours = max(1, rule.hours // 5)
        return due - dt.timedelta(hours=hours)
    if rule.warn_days_before == 0:
        return due
    if rule.unit == DayUnit.WORKING:
        # Warn during the last ``warn_days_before`` working days: from the end of the working
        # day that many working days before the last day.
        return end_of_day(add_working_days(_local_date(due), -rule.warn_days_before))
    return due - dt.timedelta(days=rule.warn_days_before)


def sla_state(
    now: dt.datetime,
    due: dt.datetime,
    warn_at: dt.datetime | None = None,
    *,
    paused: bool = False,
    completed_at: dt.datetime | None = None,
) -> SlaState:
    """The state of the clock at ``now``.

    A completed step is ``met`` if done by ``due`` and stays ``overdue`` otherwise (the record
    of lateness is not erased by finishing). A paused step is ``paused`` whatever the time.
    """
    if completed_at is not None:
        return SlaState.MET if completed_at <= due else SlaState.OVERDUE
    if paused:
        return SlaState.PAUSED
    if now > due:
        return SlaState.OVERDUE
    if warn_at is not None and now >= warn_at:
        return SlaState.WARNING
    return SlaState.OK


def days_left(now: dt.datetime, due: dt.datetime, unit: DayUnit = DayUnit.CALENDAR) -> int:
    """Whole days (in ``unit``) from today to the last day; 0 on the last day, negative when late."""
    today, last = _local_date(now), _local_date(due)
    if unit == DayUnit.WORKING:
        return working_days_between(today, last)
    return (last - today).days

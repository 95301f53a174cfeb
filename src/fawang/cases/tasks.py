"""Periodic SLA scan (huey autodiscovers ``tasks.py`` of installed apps)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fawang.cases.services import scan_deadlines


@db_periodic_task(crontab(minute="*/5"))
def scan_deadlines_periodic() -> dict[str, int]:
    """Every five minutes: record warning/overdue crossings as case events (idempotent)."""
    result = scan_deadlines()
    return {"warned": result.warned, "overdue": result.overdue}

"""Periodic jobs of the consultation line (huey autodiscovers ``tasks.py`` of installed apps)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def consultation_rounds_overdue_periodic() -> int:
    """Every fifteen minutes: log rounds a lawyer or expert has not answered in time (once each)."""
    from fawang.consultation.services_line import rounds_scan_overdue

    return rounds_scan_overdue()

"""Periodic jobs of the legal aid line (huey autodiscovers ``tasks.py`` of installed apps)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def expire_materials_hourly() -> int:
    """第四十三条第二款: applications whose materials deadline passed are deemed withdrawn."""
    from fawang.legalaid.services import legalaid_expire_materials

    return legalaid_expire_materials()

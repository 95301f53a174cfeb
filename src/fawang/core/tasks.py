"""Periodic kernel jobs for the huey consumer (djhuey autodiscovers ``tasks`` modules)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def outbox_dispatch_every_minute() -> None:
    """Catch messages whose on-commit dispatch was lost or that are due for a retry."""
    from fawang.core.outbox import outbox_dispatch_pending

    outbox_dispatch_pending()


@db_periodic_task(crontab(minute="*"))
def sqlite_wal_checkpoint_every_minute() -> None:
    """Keep SQLite's write-ahead log short without checkpointing inside user requests."""
    from fawang.core.services import sqlite_wal_checkpoint

    sqlite_wal_checkpoint()

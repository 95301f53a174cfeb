"""The SQLite write-ahead log is checkpointed by the worker, not inside user requests."""

from __future__ import annotations

import pytest
from django.db import connection

from fawang.core.services import sqlite_wal_checkpoint

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # as in the worker: outside any transaction
def test_checkpoint_runs_on_sqlite_and_is_a_no_op_elsewhere():
    result = sqlite_wal_checkpoint()
    if connection.vendor != "sqlite":
        assert result is None
        return
    busy, log_pages, checkpointed = result
    assert busy in (0, 1) and checkpointed <= log_pages


def test_commits_do_not_checkpoint_before_the_raised_threshold():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cursor.fetchone()
    assert pages == 10000


def test_the_worker_schedules_it_every_minute():
    import datetime as dt

    from huey.contrib.djhuey import HUEY

    import fawang.core.tasks  # noqa: F401  (registers the periodic tasks)

    due = HUEY.read_periodic(dt.datetime(2026, 11, 22, 9, 13))
    assert any(task.name.endswith("sqlite_wal_checkpoint_every_minute") for task in due)

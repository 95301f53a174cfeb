"""A django-tasks backend that runs tasks on huey.

Django's task API (``@task`` + ``.enqueue()``) is what the apps use; huey is the queue the
deployment runs (SQLite file by default, Redis in production). The bridge is one generic huey
task that imports the Django task by its module path and calls it, so apps never import huey.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_module_path, get_random_id
from huey.contrib.djhuey import HUEY
from huey.contrib.djhuey import task as huey_task


@huey_task(retries=3, retry_delay=30, context=False)
def run_django_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run the Django task registered at ``module_path`` (retried by huey on failure)."""
    django_task = import_string(module_path)
    return django_task.call(*args, **kwargs)


class HueyBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        eta: dt.datetime | None = task.run_after if isinstance(task.run_after, dt.datetime) else None
        module_path = get_module_path(task.func)
        if eta is not None and not HUEY.immediate:
            run_django_task.schedule((module_path, result.args, result.kwargs), eta=eta)
        else:
            run_django_task(module_path, result.args, result.kwargs)
        return result

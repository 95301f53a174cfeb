"""Redis as a province runs it: the shared cache (``FAWANG_CACHE_URL``) and the huey queue
(``FAWANG_HUEY_REDIS_URL``), against the throwaway Redis that ``./test`` starts
(``scripts/redis-test-server.sh``). Each check runs in fresh processes configured only by the
environment, as web workers and the huey consumer are."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

REDIS_URL = os.environ.get("FAWANG_TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs FAWANG_TEST_REDIS_URL (./test starts a Redis)")

THROTTLE_SCRIPT = """
import sys
import django
django.setup()
from django.conf import settings
from fawang.core.throttle import Throttled, throttle_hit
assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache"), settings.CACHES
hits = 0
try:
    for _ in range(int(sys.argv[2])):
        throttle_hit("consult", sys.argv[1])
        hits += 1
except Throttled:
    pass
print(hits)
"""

HUEY_SCRIPT = """
import django
django.setup()
from huey.contrib.djhuey import HUEY
from fawang.core.outbox import outbox_dispatch_task
HUEY.flush()
outbox_dispatch_task.enqueue()
print(type(HUEY).__name__, HUEY.pending_count())
task = HUEY.dequeue()
print(task.name, task.args[0])
HUEY.flush()
"""


def _run(script: str, *args: str, tmp_path, **env: str) -> list[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "fawang.settings", "FAWANG_VAR_DIR": str(tmp_path),
                   **env}
    done = subprocess.run([sys.executable, "-c", script, *args], env=environment, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


def test_rate_limits_count_across_processes_with_the_shared_cache(tmp_path):
    """Two web workers see each other's counts: 10 consultations in the window, not 10 each."""
    client = f"203.0.113.{uuid.uuid4().hex[:8]}"  # a fresh counter on every run
    env = {"FAWANG_CACHE_URL": REDIS_URL, "FAWANG_THROTTLE_CONSULT": "10/600"}
    assert _run(THROTTLE_SCRIPT, client, "6", tmp_path=tmp_path, **env) == ["6"]
    assert _run(THROTTLE_SCRIPT, client, "6", tmp_path=tmp_path, **env) == ["4"]


def test_a_cache_url_that_is_not_redis_is_refused(tmp_path):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "fawang.settings", "FAWANG_VAR_DIR": str(tmp_path),
                   "FAWANG_CACHE_URL": "memcached://127.0.0.1:11211"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "FAWANG_CACHE_URL must be a redis://" in done.stderr


def test_tasks_are_queued_on_redis_for_the_huey_consumer(tmp_path):
    """What the web workers enqueue (here the outbox dispatcher) lands in Redis, where the consumer
    takes it: the production queue, not the immediate mode the other tests use."""
    queue_url = REDIS_URL.rsplit("/", 1)[0] + "/1"  # its own database: the flush touches nothing else
    lines = _run(HUEY_SCRIPT, tmp_path=tmp_path, FAWANG_HUEY_REDIS_URL=queue_url, FAWANG_HUEY_IMMEDIATE="0")
    assert lines[0] == "RedisHuey 1"
    name, module_path = lines[1].split()
    assert name.endswith("run_django_task") and module_path == "fawang.core.outbox.outbox_dispatch_task"

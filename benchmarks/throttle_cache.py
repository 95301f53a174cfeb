"""What a rate-limit count costs per request on each cache a deployment may use: the per-process
memory cache (the default), Django's file cache (considered as a shared default for one host, and
dropped) and Redis (``FAWANG_CACHE_URL``), each with ``--keys`` other clients' counters present.

    .venv/bin/python benchmarks/throttle_cache.py [--keys 5000] [--hits 300] [--redis redis://127.0.0.1:63799/0]

One process; the backends are measured in turn, in rounds of alternation, each hit being
``throttle_hit("consult", client)`` for one of 50 clients; prints the median and p95 per hit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=5000, help="other clients' counters in the cache")
    parser.add_argument("--hits", type=int, default=300, help="timed hits per backend and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis", default="", help="a Redis URL to include (e.g. scripts/redis-test-server.sh's)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache

    from fawang.core import throttle
    from fawang.core.throttle import throttle_hit

    folder = tempfile.mkdtemp(prefix="fawang-filecache-")
    backends = {"memory (default)": LocMemCache("bench", {}),
                "file cache": FileBasedCache(folder, {"OPTIONS": {"MAX_ENTRIES": 50000, "CULL_FREQUENCY": 4}})}
    if args.redis:
        from django.core.cache.backends.redis import RedisCache

        backends["redis"] = RedisCache(args.redis, {"KEY_PREFIX": "fawang-bench"})
    for cache in backends.values():
        throttle.cache = cache
        for i in range(args.keys):
            throttle_hit("callback", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    times: dict[str, list[float]] = {name: [] for name in backends}
    for _round in range(args.rounds):
        for name, cache in backends.items():
            throttle.cache = cache
            for i in range(args.hits):
                start = time.perf_counter()
                throttle_hit("consult", f"203.0.113.{i % 50}")
                times[name].append((time.perf_counter() - start) * 1000)
    print(f"{args.keys} other counters, {args.hits} hits x {args.rounds} rounds per backend")
    for name, values in times.items():
        values.sort()
        print(f"{name:18} median {statistics.median(values):7.3f} ms   p95 {values[int(len(values) * 0.95)]:7.3f} ms")
    if args.redis:  # only this run's keys: never FLUSHDB a Redis someone may share
        client = backends["redis"]._cache.get_client(write=True)
        for key in client.scan_iter("fawang-bench:*"):
            client.delete(key)


if __name__ == "__main__":
    main()

"""Benchmark: import the whole country's divisions (five levels, ~665,000 rows).

    .venv/bin/python benchmarks/import_divisions.py [--runs N] [--data DIR] [--database-url URL]

Default target: a fresh SQLite database in a temporary directory, migrated first; each run
starts again from the freshly migrated file, so every run is a first import. With
``--database-url`` (PostgreSQL) the division table is emptied before each run instead.
After the first-import runs, one re-import of the same files is timed (the upsert path,
nothing changes). Prints rows and seconds; the figure is the median of the runs.

``--method bulk_create`` swaps the service's raw upsert for Django's
``bulk_create(update_conflicts=True)`` over model instances (same reading and validation),
to measure what the raw path saves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "../shared/data/divisions"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database-url", default="", help="e.g. postgres://…; default: temp SQLite")
    parser.add_argument("--method", choices=["service", "bulk_create"], default="service")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no division data at {args.data}")

    workdir = Path(tempfile.mkdtemp(prefix="fawang-bench-divisions-"))
    db_file = workdir / "bench.sqlite3"
    os.environ["FAWANG_DATABASE_URL"] = args.database_url or f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fawang.regions import services
    from fawang.regions.models import Division, ServicePoint
    from fawang.regions.services import divisions_import

    if args.method == "bulk_create":

        def bulk_create_upsert(*, rows, result=None):  # type: ignore[no-untyped-def]
            import itertools

            result = result or services.DivisionImportResult()
            iterator = iter(rows)
            while batch := list(itertools.islice(iterator, services.BATCH_SIZE)):
                Division.objects.bulk_create(
                    [Division(code=c, name=n, level=lv, parent_id=p) for c, n, lv, p in batch],
                    update_conflicts=True, unique_fields=["code"], update_fields=["name", "level", "parent"],
                )
                result.rows += len(batch)
            return result

        services.divisions_upsert = bulk_create_upsert  # divisions_import looks it up at call time

    try:
        call_command("migrate", verbosity=0)
        template = workdir / "migrated.sqlite3"
        if connection.vendor == "sqlite":
            connection.close()
            shutil.copyfile(db_file, template)

        def fresh() -> None:
            if connection.vendor == "sqlite":
                connection.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db_file}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(template, db_file)
            else:
                ServicePoint.objects.all().delete()
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {Division._meta.db_table} CASCADE")

        timings = []
        rows = 0
        for run in range(1, args.runs + 1):
            fresh()
            started = time.perf_counter()
            result = divisions_import(directory=args.data)
            seconds = time.perf_counter() - started
            rows = result.rows
            timings.append(seconds)
            print(f"run {run}: {result.rows} rows in {seconds:.1f} s", flush=True)
        started = time.perf_counter()
        again = divisions_import(directory=args.data)
        reimport = time.perf_counter() - started
        print(f"re-import (nothing changed): {again.rows} rows, {again.created} created, "
              f"{again.updated} updated in {reimport:.1f} s")
        print(f"{connection.vendor} ({args.method}): {rows} rows, median {statistics.median(timings):.1f} s "
              f"over {len(timings)} runs (min {min(timings):.1f}, max {max(timings):.1f})")
    finally:
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

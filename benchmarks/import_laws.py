"""Benchmark: import the LawRefBook national collection (1,564 files, ~65,000 articles incl.
case write-ups), search index included.

    .venv/bin/python benchmarks/import_laws.py [--runs N] [--data DIR ...] [--database-url URL]

Default target: a fresh SQLite database in a temporary directory, migrated first; every run
starts from the freshly migrated file, so every run is a first import (parse, write, segment,
index). With ``--database-url`` (PostgreSQL) the law tables are emptied before each run. After
the first-import runs, one re-import of the same files is timed (nothing changes). The figure is
the median of the runs.
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
DEFAULT_DATA = ROOT / "../shared/data/laws/national"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, nargs="+", default=[DEFAULT_DATA])
    parser.add_argument("--database-url", default="", help="e.g. postgres://…; default: temp SQLite")
    args = parser.parse_args()
    for folder in args.data:
        if not folder.is_dir():
            sys.exit(f"no law data at {folder}")

    workdir = Path(tempfile.mkdtemp(prefix="fawang-bench-laws-"))
    db_file = workdir / "bench.sqlite3"
    os.environ["FAWANG_DATABASE_URL"] = args.database_url or f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fawang.knowledge.models import Law
    from fawang.knowledge.search import get_backend
    from fawang.knowledge.services import import_laws

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
                get_backend().clear()
                Law.objects.all().delete()

        timings = []
        report = None
        for run in range(1, args.runs + 1):
            fresh()
            started = time.perf_counter()
            report = import_laws(dirs=args.data)
            seconds = time.perf_counter() - started
            timings.append(seconds)
            print(f"run {run}: {report.files} files, {report.articles} articles, {report.indexed} indexed, "
                  f"{len(report.errors)} errors, {len(report.unmatched_files)} unmatched in {seconds:.1f} s",
                  flush=True)
        started = time.perf_counter()
        again = import_laws(dirs=args.data)
        reimport = time.perf_counter() - started
        print(f"re-import (nothing changed): {again.unchanged} unchanged, {again.updated} updated, "
              f"{again.created} created in {reimport:.1f} s")
        print(f"{connection.vendor}: {report.articles} articles, median {statistics.median(timings):.1f} s "
              f"over {len(timings)} runs (min {min(timings):.1f}, max {max(timings):.1f})")
    finally:
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

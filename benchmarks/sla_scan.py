"""SLA scan benchmark: ``scan_deadlines`` over N open case steps on PostgreSQL.

    FAWANG_DATABASE_URL=postgres://… .venv/bin/python benchmarks/sla_scan.py [--n 1000000] [--crossing 0.01]

Generates N cases with one open step each directly in SQL (``generate_series``; the steps'
states are consistent with "now − 10 minutes", as after the previous scan), of which a share
``--crossing`` cross the warning rung and the same share cross the overdue rung since then —
the rows a 5-minute periodic scan has to act on. Then runs the scan (timed), checks the number
of events it wrote, and runs it again (idempotent: 0 rows, also timed).

DESTRUCTIVE for the cases tables of the target database: it refuses to run unless the
database has no cases or ``--reset`` is given. Use a throwaway database
(``scripts/pg-test-cluster.sh start``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from fawang.cases.models import Case, CaseEvent  # noqa: E402
from fawang.cases.services import scan_deadlines  # noqa: E402
from fawang.catalog.models import ServiceItem  # noqa: E402
from fawang.catalog.services import catalog_load  # noqa: E402

GENERATE_CASES = """
INSERT INTO cases_case (number, item_id, channel, status, region_code, transfer_region_code, resume_status,
                        subject, form_data, result, query_code, received_at, updated_at, is_demo)
SELECT 'B' || lpad(i::text, 12, '0'), %(item)s, 'window', 'accepted',
       '4101' || lpad((i %% 20)::text, 2, '0'), '', '', '基准测试', '{}'::jsonb, '', '000000',
       %(now)s - make_interval(mins => (i %% 43200)), %(now)s, false
FROM generate_series(1, %(n)s) AS i
"""

# Due time of the step of case ``id`` (``k`` = 1 / crossing share; base = now − 10 min, the
# previous scan):
#   id % k == 0  -> warn_at in (base, now]: crosses the warning rung (state ok)
#   id % k == 1  -> due_at in (base, now]: crosses the overdue rung (state warning)
#   otherwise    -> spread over ±30 days around now, state consistent with base.
DUE = """CASE WHEN mod(id, %(k)s) = 0 THEN %(now)s + interval '3 days' - interval '5 minutes'
              WHEN mod(id, %(k)s) = 1 THEN %(now)s - interval '5 minutes'
              ELSE %(now)s + make_interval(secs => mod(id * 7919, 5184000) - 2592000) END"""
STATE = """CASE WHEN {due} <= %(base)s THEN 'overdue' WHEN {due} - interval '3 days' <= %(base)s THEN 'warning'
                ELSE 'ok' END"""

GENERATE_STEPS = f"""
INSERT INTO cases_casestep (case_id, step, name, rule_days, rule_hours, rule_unit, warn_days_before, article,
                            stop_events, started_at, due_at, warn_at, pauses, paused_total, state, region_code)
SELECT id, 'reply', '答复', 15, 0, 'calendar', 3, '基准', '[]'::jsonb, due - interval '15 days', due,
       due - interval '3 days', '[]'::jsonb, interval '0', {STATE.format(due="due")}, region_code
FROM (SELECT id, region_code, {DUE} AS due FROM cases_case WHERE number LIKE 'B%%') s
"""
REARM_STEPS = f"""
UPDATE cases_casestep SET due_at = s.due, warn_at = s.due - interval '3 days',
       started_at = s.due - interval '15 days', state = {STATE.format(due="s.due")}
FROM (SELECT id, {DUE} AS due FROM cases_case WHERE number LIKE 'B%%') s
WHERE cases_casestep.case_id = s.id
"""


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--crossing", type=float, default=0.01,
                        help="share of steps crossing each rung since the previous scan")
    parser.add_argument("--reset", action="store_true", help="wipe the cases tables first")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the generated steps of a previous run; only re-arm the crossing rows")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL (set FAWANG_DATABASE_URL)")
    call_command("migrate", verbosity=0)
    catalog_load()
    if args.reuse and Case.objects.filter(number__startswith="B").exists():
        return run(rearm=True, k=round(1 / args.crossing))
    if Case.objects.exists():
        if not args.reset:
            raise SystemExit("the database already has cases; use --reset on a throwaway database")
        with connection.cursor() as cur:
            cur.execute("TRUNCATE cases_caseevent, cases_casestep, cases_rating, cases_casecallback, "
                        "cases_caseattachment, cases_case_linked_cases, complaints_complaint, cases_case CASCADE")
    item = ServiceItem.objects.get(code="GGFL-ZX-001").pk
    now = timezone.now()
    base = now - timezone.timedelta(minutes=10)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(GENERATE_CASES, {"item": item, "now": now, "n": args.n})
        cur.execute(GENERATE_STEPS, {"now": now, "base": base, "k": round(1 / args.crossing)})
    return run(rearm=False, k=round(1 / args.crossing), generated_s=time.perf_counter() - t0)


def run(*, rearm: bool, k: int, generated_s: float = 0.0) -> dict:
    """Time the scan over the generated steps (``rearm``: reset the timestamps of a previous run)."""
    now = timezone.now()
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        if rearm:
            cur.execute("TRUNCATE cases_caseevent")
            cur.execute(REARM_STEPS, {"now": now, "base": now - timezone.timedelta(minutes=10), "k": k})
            cur.execute("VACUUM ANALYZE cases_casestep")
        cur.execute("ANALYZE cases_case")
        cur.execute("ANALYZE cases_casestep")
        cur.execute("SELECT count(*), count(*) FILTER (WHERE state='ok'), count(*) FILTER (WHERE state='warning'),"
                    " count(*) FILTER (WHERE state='overdue') FROM cases_casestep WHERE ended_at IS NULL")
        total, ok, warning, overdue = cur.fetchone()
    generated_s = generated_s or time.perf_counter() - t0
    events_before = CaseEvent.objects.count()

    t1 = time.perf_counter()
    result = scan_deadlines(now=now)
    scan_s = time.perf_counter() - t1
    written = CaseEvent.objects.count() - events_before
    t2 = time.perf_counter()
    again = scan_deadlines(now=now)
    rescan_s = time.perf_counter() - t2
    out = {
        "open_steps": total, "ok": ok, "warning": warning, "overdue": overdue, "generate_s": round(generated_s, 1),
        "warned": result.warned, "overdue_crossed": result.overdue, "events_written": written,
        "crossing_share": 1 / k, "scan_s": round(scan_s, 3), "rescan_rows": again.warned + again.overdue, "rescan_s": round(rescan_s, 3),
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()

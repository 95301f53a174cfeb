"""Case intake throughput through the API, beside a bare Django JSON endpoint, in one run.

    .venv/bin/python benchmarks/case_intake.py [--n 500]                  # SQLite (fresh temp file)
    FAWANG_DATABASE_URL=postgres://… .venv/bin/python benchmarks/case_intake.py --n 500

Both endpoints go through the same Django stack in-process (Django's test client: URL
resolution, every middleware, session authentication, JSON parsing; no network), one request
at a time, each with a fresh Idempotency-Key:

* ``POST /api/cases/`` — creates the applicant party (encrypted PII + blind indexes), the case
  with its number from the locked per-(region, day) counter, the ``case.received`` event, the
  SLA clock of the item and the citizen's SMS in the outbox, all in one transaction;
* the "ceiling": a bare Django JSON view on the same stack that parses the body and inserts
  one row (an index-light ``CaseSequence`` row) — what one write per request costs with nothing
  of ours in it;
* a second ceiling: the same one-row insert as a django-ninja operation behind ``staff_auth``
  (session user, OTP check, schema parsing) — what the API's own stack costs per request.

Rounds alternate the three endpoints; prints the median (and best) requests per second of each
over the rounds and the ratios of the medians. The target is a ratio ≥ 0.5. On a shared machine
the load changes between rounds, so it also prints the median of the per-round ratios (each
intake round against the bare round right after it) and the same figures in process CPU time
(``time.process_time``: what the request costs this process, without the time spent waiting for
a core other jobs hold; the database's own work is in-process on SQLite, not on PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
if "FAWANG_DATABASE_URL" not in os.environ:
    _tmp = tempfile.mkdtemp(prefix="fawang-intake-bench-")
    os.environ["FAWANG_VAR_DIR"] = _tmp
    os.environ["FAWANG_DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
os.environ.setdefault("FAWANG_AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.db import connection  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402
from ninja import Schema  # noqa: E402

from fawang.cases.models import Case, CaseSequence  # noqa: E402


@require_POST
def bare(request: HttpRequest) -> JsonResponse:
    """The ceiling: parse JSON, one INSERT, answer JSON — on the same middleware stack."""
    data = json.loads(request.body)
    row = CaseSequence.objects.create(region_code=data["region_code"], day=dt.date(2000, 1, 1) + dt.timedelta(
        days=data["n"]))
    return JsonResponse({"id": row.pk}, status=201)


class OneIn(Schema):
    region_code: str
    n: int


def _auth_api() -> object:
    """Second ceiling: the same one-row insert behind the API's own stack (ninja, staff_auth)."""
    from ninja import NinjaAPI

    from fawang.core.api_auth import staff_auth

    api = NinjaAPI(urls_namespace="bench", docs_url=None)

    @api.post("/one", auth=staff_auth)
    def one(request: HttpRequest, payload: OneIn) -> dict:
        row = CaseSequence.objects.create(region_code=payload.region_code,
                                          day=dt.date(2000, 1, 1) + dt.timedelta(days=payload.n))
        return {"id": row.pk}

    return api


urlpatterns = [path("bare/", bare), path("authbare/", _auth_api().urls), path("", include("fawang.urls"))]


def setup() -> tuple[object, str]:
    from django.core.management import call_command

    from fawang.accounts.models import Role, User
    from fawang.catalog.services import catalog_load
    from fawang.regions.models import Division, DivisionLevel, ServicePoint

    call_command("migrate", verbosity=0)
    catalog_load()
    prov, _ = Division.objects.get_or_create(code="41", defaults={"name": "河南省", "level": DivisionLevel.PROVINCE})
    city, _ = Division.objects.get_or_create(code="4101", defaults={"name": "郑州市", "level": DivisionLevel.CITY,
                                                                     "parent": prov})
    county, _ = Division.objects.get_or_create(code="410102", defaults={
        "name": "中原区", "level": DivisionLevel.COUNTY, "parent": city})
    point, _ = ServicePoint.objects.get_or_create(code="BENCH-410102", defaults={
        "name": "基准测试中心", "kind": "county_center", "division": county, "region_code": "410102"})
    clerk = User.objects.filter(username="bench-clerk").first() or User.objects.create_user(
        username="bench-clerk", password="bench-Pass-1234", role=Role.WINDOW_CLERK, real_name="基准",
        service_point=point)
    return clerk, point.code


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; medians are reported")
    args = parser.parse_args(argv)
    clerk, point_code = setup()
    run_id = f"{time.time_ns()}"
    client = Client()
    client.force_login(clerk)
    rates: dict[str, list[float]] = {"api": [], "bare": [], "auth": []}
    cpu_rates: dict[str, list[float]] = {"api": [], "bare": [], "auth": []}

    def timed(kind: str, run: Callable[[int], None]) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(args.n):
            run(i)
        rates[kind].append(args.n / (time.perf_counter() - t0))
        cpu_rates[kind].append(args.n / max(time.process_time() - c0, 1e-9))

    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        for rnd in range(args.rounds):
            def intake(i: int, rnd: int = rnd) -> None:
                body = {"item_code": "GGFL-ZX-001", "channel": "window", "service_point_code": point_code,
                        "applicant": {"name": "测试申请人", "phone": f"139{i % 100000000:08d}"},
                        "form_data": {"question": "工资被拖欠怎么办？", "category": "劳动争议"}}
                r = client.post("/api/cases/", body, content_type="application/json",
                                HTTP_IDEMPOTENCY_KEY=f"bench-{run_id}-{rnd}-{i}")
                if r.status_code != 201:
                    raise SystemExit(f"intake failed: {r.status_code} {r.content[:300]!r}")

            def bare_one(i: int, rnd: int = rnd) -> None:
                r = client.post("/bare/", {"region_code": f"B{rnd}{run_id[-9:]}", "n": i},
                                content_type="application/json")
                if r.status_code != 201:
                    raise SystemExit(f"bare failed: {r.status_code}")

            def auth_one(i: int, rnd: int = rnd) -> None:
                r = client.post("/authbare/one", {"region_code": f"A{rnd}{run_id[-9:]}", "n": i},
                                content_type="application/json")
                if r.status_code != 200:
                    raise SystemExit(f"auth bare failed: {r.status_code} {r.content[:200]!r}")

            timed("api", intake)
            timed("bare", bare_one)
            timed("auth", auth_one)
    import statistics

    med = {k: statistics.median(v) for k, v in rates.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu_rates.items()}
    out = {
        "database": connection.vendor, "n": args.n, "rounds": args.rounds,
        "intake_per_s": round(med["api"], 1), "bare_per_s": round(med["bare"], 1),
        "ratio": round(med["api"] / med["bare"], 3), "auth_bare_per_s": round(med["auth"], 1),
        "ratio_to_auth_bare": round(med["api"] / med["auth"], 3),
        "median_round_ratio": round(statistics.median(a / b for a, b in zip(rates["api"], rates["bare"],
                                                                                strict=True)), 3),
        "cpu_intake_per_s": round(cpu_med["api"], 1), "cpu_bare_per_s": round(cpu_med["bare"], 1),
        "cpu_ratio": round(cpu_med["api"] / cpu_med["bare"], 3),
        "best": {k: round(max(v), 1) for k, v in rates.items()}, "cases_in_db": Case.objects.count(),
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()

"""Benchmark: law search latency over the national collection, both entry points.

    .venv/bin/python benchmarks/search_latency.py [--queries N] [--database-url URL]

Imports ../shared/data/laws/national into a fresh temporary SQLite database (or uses the
PostgreSQL database given, importing if it has no laws), then times, for the first N citizens'
questions of statute-retrieval/train.jsonl:
  * search(question) — the law-page keyword search (all words, falling back to any word),
    20 hits with snippets, total count;
  * candidates(query_terms(question), limit=1000) — candidate generation for the ranker.
and search(keywords) for the first N short `keywords` strings of consultation-answers/train.jsonl
(what a visitor types into the law page's search box). Prints p50 / p95 / max in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAWS = ROOT / "../shared/data/laws/national"
QUESTIONS = ROOT / "../shared/data/benchmarks/statute-retrieval/train.jsonl"
KEYWORDS = ROOT / "../shared/data/benchmarks/consultation-answers/train.jsonl"


def summary(name: str, timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (f"{name}: n={len(ms)} p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, "
            f"max {ms[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if not LAWS.is_dir() or not QUESTIONS.exists():
        sys.exit("shared data absent")
    workdir = Path(tempfile.mkdtemp(prefix="fawang-bench-search-"))
    os.environ["FAWANG_DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fawang.knowledge.models import Law
    from fawang.knowledge.search import get_backend
    from fawang.knowledge.segment import query_terms
    from fawang.knowledge.services import import_laws

    try:
        call_command("migrate", verbosity=0)
        if not Law.objects.exists():
            report = import_laws(dirs=[LAWS])
            print(f"imported {report.articles} articles in {report.seconds:.1f} s")
        questions = [json.loads(line)["question"]
                     for line in QUESTIONS.read_text(encoding="utf-8").splitlines()[:args.queries]]
        backend = get_backend()
        backend.search("预热")  # load the segmenter dictionary once, outside the timings
        search_t, cand_t, totals, sizes = [], [], [], []
        for question in questions:
            started = time.perf_counter()
            result = backend.search(question, limit=20)
            search_t.append(time.perf_counter() - started)
            totals.append(result.total)
            terms = query_terms(question)
            started = time.perf_counter()
            rows = backend.candidates(terms, limit=1000)
            cand_t.append(time.perf_counter() - started)
            sizes.append(len(rows))
        keywords = [k for k in (json.loads(line).get("keywords")
                                for line in KEYWORDS.read_text(encoding="utf-8").splitlines())
                    if isinstance(k, str) and k.strip()][:args.queries]
        keyword_t, keyword_totals = [], []
        for words in keywords:
            started = time.perf_counter()
            keyword_totals.append(backend.search(words, limit=20).total)
            keyword_t.append(time.perf_counter() - started)
        print(f"{connection.vendor} ({backend.__class__.__name__}), {len(questions)} questions")
        print(summary("search(keywords, limit=20)", keyword_t)
              + f", median total hits {statistics.median(keyword_totals):.0f}")
        print(summary("search(question, limit=20)", search_t) + f", median total hits {statistics.median(totals):.0f}")
        print(summary("candidates(terms, limit=1000)", cand_t) + f", median size {statistics.median(sizes):.0f}")
    finally:
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

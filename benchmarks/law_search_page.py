"""What the engine's "best articles for your question" block costs the law search page.

    FAWANG_VAR_DIR=var .venv/bin/python benchmarks/law_search_page.py [--queries 200]

Uses the laws already imported in ``$FAWANG_VAR_DIR`` (``fawang import-laws …/national``) and its
retrieval index. Renders ``GET /laws/?q=<question>`` through Django's test client for the first N
citizens' questions of statute-retrieval/train.jsonl, twice per question in alternating order:
with the block (the shipped page) and without it (``selectors.question_matches`` returning
nothing, i.e. the page before the block). The engine is loaded and one page rendered before
timing. Prints p50 / p95 of each and of the per-question difference, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "../shared/data/benchmarks/statute-retrieval/train.jsonl"


def percentiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return f"p50 {statistics.median(ms):.1f} ms, p95 {ms[min(len(ms) - 1, int(len(ms) * 0.95))]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.test import Client

    from fawang.knowledge import selectors
    from fawang.knowledge.retrieval.engine import get_engine

    if get_engine() is None:
        sys.exit("no retrieval engine: import laws into $FAWANG_VAR_DIR first")
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
                 if line.strip()][: args.queries]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    shipped = selectors.question_matches
    client.get("/laws/", {"q": questions[0]})

    def page(question: str, with_block: bool) -> float:
        selectors.question_matches = shipped if with_block else (lambda **kwargs: [])
        t = time.perf_counter()
        response = client.get("/laws/", {"q": question})
        elapsed = time.perf_counter() - t
        assert response.status_code == 200
        return elapsed

    with_block, without = [], []
    for i, question in enumerate(questions):
        order = (True, False) if i % 2 == 0 else (False, True)
        for flag in order:
            (with_block if flag else without).append(page(question, flag))
    selectors.question_matches = shipped
    print(f"questions: {len(questions)}")
    print(f"page with the block:    {percentiles(with_block)}")
    print(f"page without the block: {percentiles(without)}")
    print(f"difference per question: {percentiles([a - b for a, b in zip(with_block, without, strict=True)])}")


if __name__ == "__main__":
    main()

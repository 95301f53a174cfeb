"""Question classification benchmark: k-fold cross-validation on the dev file, our model beside
simple baselines, in one run.

    .venv/bin/python benchmarks/classify.py [--k 5] [--seed 13] [--data ../shared/data/benchmarks]

The held-out fold is never seen by training (weak supervision and keyword priors do not use the
dev labels). Prints one row per method and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fawang.knowledge.classify.categories import KEYWORD_PRIORS  # noqa: E402
from fawang.knowledge.classify.training import cross_validate, read_faq, read_jsonl, train_model  # noqa: E402


def keyword_baseline(_train_rows):
    """No learning at all: the category with most prior keywords in the question (综合咨询 on ties)."""

    def predict(question: str) -> str:
        best = max(KEYWORD_PRIORS, key=lambda c: (sum(w in question for w in KEYWORD_PRIORS[c]), c == "综合咨询"))
        return best

    return predict


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "../shared/data/benchmarks"))
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13, help="fold assignment seed")
    args = parser.parse_args(argv)
    data = Path(args.data)
    gold = read_jsonl(data / "question-classification/dev.jsonl")
    weak = read_jsonl(data / "statute-retrieval/train.jsonl") + read_jsonl(data / "consultation-answers/train.jsonl")
    faq = read_faq()
    methods = {
        "keyword rules only (baseline)": keyword_baseline,
        "NB, dev questions only (baseline)": lambda tr: train_model(
            tr, weak_weight=0, prior_weight=0, keyword_bonus=0, complement=0).predict,
        "NB + keyword priors": lambda tr: train_model(tr, weak_weight=0, faq_weight=0, complement=0).predict,
        "NB + keyword priors + weak labels": lambda tr: train_model(tr, weak, faq_weight=0, complement=0).predict,
        "NB + priors + weak labels + our FAQ": lambda tr: train_model(tr, weak, faq, complement=0).predict,
        "complement NB, dev questions only": lambda tr: train_model(
            tr, weak_weight=0, prior_weight=0, keyword_bonus=0).predict,
        "complement NB + priors + weak + FAQ (shipped)": lambda tr: train_model(tr, weak, faq).predict,
    }
    results = {}
    for name, fit in methods.items():
        started = time.perf_counter()
        res = cross_validate(gold, fit, k=args.k, seed=args.seed)
        res["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = res
        print(f"{name:48s} acc={res['accuracy']:.4f} macro_f1={res['macro_f1']:.4f} ({res['seconds']}s)")
    print(json.dumps(results, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()

"""Diagnostic (not part of the product): where the package CV loses its gold articles.

Runs exactly ``train.cross_validate`` (the shipped recipe, 5 folds, seed 13) with two wrappers:
``train.rank_keys`` returns every candidate in ranked order instead of the top 100, so each
held-out gold article is either "not a candidate" or has a rank; and ``LinearRanker.fit``
keeps the training lists it was given. Per fold it prints the share of gold articles outside
the candidates, ranked 1-10, 11-100, 101-300 and below; and it pickles, per fold, the ranker's
training lists and the held-out questions' candidates, features and gold flags under
``--out`` so that ranker variants can be refit and scored in minutes instead of 105 minutes.

    FAWANG_VAR_DIR=/tmp/var-s4 nice .venv/bin/python experiments/retrieval/where_lost_cv.py --out /tmp/retr_diag

``--set AROUND_TOP=150`` (repeatable) runs the same with a ranker constant changed.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
import fawang  # noqa: E402,F401 - before numpy: caps the BLAS threads at one, as every entry point does

# isort: split
import numpy as np  # noqa: E402


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    django.setup()
    from fawang.knowledge.retrieval import ranker as ranker_module
    from fawang.knowledge.retrieval import train as training
    from fawang.knowledge.retrieval.engine import get_engine
    from fawang.knowledge.retrieval.metrics import summarize
    from fawang.knowledge.retrieval.text import char_bigrams, tokenize

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "../shared/data/benchmarks"))
    parser.add_argument("--out", default="/tmp/retr_diag")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first folds (already saved)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override an integer constant of ranker.py for this run (e.g. AROUND_TOP=150)")
    args = parser.parse_args()
    for item in args.set:
        name, value = item.split("=", 1)
        if not isinstance(getattr(ranker_module, name, None), int):
            parser.error(f"ranker.{name} is not an integer constant")
        setattr(ranker_module, name, int(value))
        print(f"ranker.{name} = {value}", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    index = get_engine().index
    examples = training.read_examples(Path(args.data) / "statute-retrieval/train.jsonl")
    reference = training.read_reference(index)

    fold_state: dict = {"train": None, "held": []}
    buckets: Counter = Counter()
    fold_no = [args.skip]
    original_folds = training.folds
    n_judged = len([e for e in examples if e.gold])
    # Only the outer split: training also calls folds() for its held-out semantic scores.
    training.folds = lambda n, k, seed: original_folds(n, k, seed)[args.skip:] if (n, k, seed) == (n_judged, 5, 13) \
        else original_folds(n, k, seed)
    original_fit = ranker_module.LinearRanker.fit.__func__

    def fit(cls, Xs, ys, **kwargs):
        if fold_state["train"] is None:
            fold_state["train"] = (Xs, ys)
        return original_fit(cls, Xs, ys, **kwargs)

    def rank_all(index_, model, bound, question, limit=100):
        terms = tokenize(question)
        semantic = model.semantic_scores(index_, terms)
        neighbours = model.question_neighbours(question)
        ranker = model.ranker_for(neighbours)
        cands, X = ranker_module.features(index_, bound, terms, bigrams=char_bigrams(question), semantic=semantic,
                                          neighbours=neighbours)
        order = np.lexsort((cands, -ranker.score(X)))
        keys = [index_.key(int(r)) for r in cands[order]]
        fold_state["held"].append((question, cands, X))
        return keys

    ranker_module.LinearRanker.fit = classmethod(fit)
    training.rank_keys = rank_all

    runs_all = []
    original_summarize = training.summarize

    def summarize_and_record(runs, latencies=None):
        # Called once per fold (progress) and at the end; a fold's new runs are the ones not seen yet.
        new = runs[len(runs_all):]
        if new:
            fold_no[0] += 1
            for keys, gold in new:
                position = {k: p for p, k in enumerate(keys)}
                for g in gold:
                    p = position.get(g)
                    buckets[("not a candidate" if p is None else "1-10" if p < 10 else "11-100" if p < 100
                             else "101-300" if p < 300 else ">300")] += 1
            runs_all.extend(new)
            golds = [[index.key(int(r)) in gold for r in cands] for (_, cands, _), (_, gold) in
                     zip(fold_state["held"], new, strict=True)]
            with open(out / f"fold{fold_no[0]}.pkl", "wb") as fh:
                pickle.dump({"train": fold_state["train"], "held": fold_state["held"], "held_gold": golds,
                             "held_gold_keys": [sorted(g) for _, g in new]}, fh)
            fold_state.update(train=None, held=[])
            total = sum(buckets.values())
            print(f"fold {fold_no[0]}: " + ", ".join(f"{b} {buckets[b] / total:.4f}" for b in
                  ("1-10", "11-100", "101-300", ">300", "not a candidate")) + f" (of {total} gold)", flush=True)
        return original_summarize([(keys[:100], gold) for keys, gold in runs], latencies or ())

    training.summarize = summarize_and_record
    started = time.perf_counter()
    result = training.cross_validate(examples, index, reference=reference, progress=lambda msg: print(msg, flush=True))
    print(f"CV {result} in {time.perf_counter() - started:.0f} s")
    print(summarize([(k[:100], g) for k, g in runs_all]))


if __name__ == "__main__":
    main()

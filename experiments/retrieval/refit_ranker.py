"""Diagnostic (not part of the product): refit the ranker on where_lost_cv.py's saved folds.

Each fold file holds the ranker's training lists (features and gold flags of the 790 training
questions, exactly what ``train.train`` fitted) and the held-out questions' candidates, features
and gold flags. Refitting and re-scoring takes minutes, not the CV's 105 minutes, so ranker
variants can be compared on the very candidates of the package CV. Recall counts every gold
article, also those that are not among the candidates (they can never be found).

    .venv/bin/python experiments/retrieval/refit_ranker.py --folds /tmp/retr_diag [--seeds 1]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
import fawang  # noqa: E402,F401 - before numpy: caps the BLAS threads at one

# isort: split
import numpy as np  # noqa: E402

from fawang.knowledge.retrieval import ranker as R  # noqa: E402


def metrics(scores: list[np.ndarray], gold_flags: list[list[bool]], gold_counts: list[int]) -> dict[str, float]:
    r10 = r100 = mrr = 0.0
    found10 = found100 = total = 0
    for s, flags, n_gold in zip(scores, gold_flags, gold_counts, strict=True):
        flags = np.asarray(flags, dtype=bool)
        order = np.argsort(-s, kind="stable")
        ranked = flags[order]
        total += n_gold
        found10 += int(ranked[:10].sum())
        found100 += int(ranked[:100].sum())
        hits = np.flatnonzero(ranked[:10])
        mrr += 1.0 / (hits[0] + 1) if hits.size else 0.0
    n = len(scores)
    r10, r100 = found10 / total, found100 / total
    return {"R@10": round(r10, 4), "R@100": round(r100, 4), "MRR@10": round(mrr / n, 4), "gold": total}


def fit(Xs, ys, *, seeds: int, hidden: int = R.HIDDEN, iters: int = R.ITERS, l2: float = R.L2) -> R.LinearRanker:
    return R.LinearRanker.average([R.LinearRanker.fit(Xs, ys, hidden=hidden, iters=iters, l2=l2, seed=7 + i)
                                   for i in range(seeds if hidden else 1)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", default="/tmp/retr_diag")
    parser.add_argument("--seeds", type=int, default=R.SEEDS)
    args = parser.parse_args()
    files = sorted(Path(args.folds).glob("fold*.pkl"))
    variants = {
        "shipped recipe": {},
        "iters 600": {"iters": 600},
        "l2 1e-2": {"l2": 1e-2},
        "hidden 16": {"hidden": 16},
    }
    pooled: dict[str, tuple[list, list, list]] = {name: ([], [], []) for name in variants}
    for path in files:
        data = pickle.loads(path.read_bytes())
        Xs, ys = data["train"]
        held_X = [X for _, _, X in data["held"]]
        gold_counts = [len(g) for g in data["held_gold_keys"]]
        for name, kw in variants.items():
            started = time.perf_counter()
            ranker = fit(Xs, ys, seeds=args.seeds, **kw)
            scores = [ranker.score(X) for X in held_X]
            pooled[name][0].extend(scores)
            pooled[name][1].extend(data["held_gold"])
            pooled[name][2].extend(gold_counts)
            print(f"{path.name} {name}: {metrics(scores, data['held_gold'], gold_counts)} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    for name, (scores, flags, counts) in pooled.items():
        print(f"pooled {name}: {metrics(scores, flags, counts)}")


if __name__ == "__main__":
    main()

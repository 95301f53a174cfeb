"""Scratch: the shipped neural recipe with the law-context features of `cv_gbdt.law_context`
appended (31 + 7 columns), 5-fold CV on the same caches. Why: those features helped the trees a
little; if they help the neural ranker they could ship with no new dependency."""
from __future__ import annotations

import pickle
import sys
import time

import numpy as np

sys.path.insert(0, "/work/main/experiments/retrieval/gbdt")
import cv_gbdt as G

from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.index import ArticleIndex
from fawang.knowledge.retrieval.metrics import summarize


def main() -> None:
    ix = ArticleIndex.load(G.Path("/tmp/retr_var/retrieval"))
    ex = [e for e in T.read_examples(G.D / "statute-retrieval/train.jsonl") if e.gold]
    runs, t0 = [], time.time()
    for f, _ in enumerate(T.folds(len(ex), 5, 13)):
        Xs, ys, tests = pickle.loads((G.CACHE / f"gb31_f{f}.pkl").read_bytes())
        nn = R.LinearRanker.fit([np.hstack([X, G.law_context(X)]) for X in Xs], ys, hidden=8, iters=300, l2=1e-3)
        for i, c, X in tests:
            order = np.lexsort((c, -nn.score(np.hstack([X, G.law_context(X)]))))[:100]
            runs.append(([ix.key(int(r)) for r in c[order]], set(ex[i].gold)))
        print(f"fold {f + 1} done {time.time() - t0:.0f}s", flush=True)
    print("neural + law context", summarize(runs), flush=True)


if __name__ == "__main__":
    main()

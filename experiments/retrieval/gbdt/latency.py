"""Scratch: per-query cost of scoring the candidates with trees in numpy (npforest) vs the shipped
neural ranker, on fold 1's held-out questions; also checks npforest == LightGBM's own predict.

CFG=objective:leaves:min_data:trees (default lambdarank:15:50:400), DROP as in cv_gbdt.py.
"""
from __future__ import annotations

import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/experiments/retrieval/gbdt")
import cv_gbdt as G
from npforest import Forest

from fawang.knowledge.retrieval import ranker as R


def main() -> None:
    obj, leaves, md, nt = os.environ.get("CFG", "lambdarank:15:50:400").split(":")
    drop = [d for d in os.environ.get("DROP", "art_prior,law_prior").split(",") if d]
    keep = [j for j, name in enumerate(R.FEATURES) if name not in drop]
    Xs, ys, tests = pickle.loads((G.CACHE / "gb31_f0.pkl").read_bytes())
    cfg = {"objective": obj, "num_leaves": int(leaves), "min_data_in_leaf": int(md)}
    bst = G.fit_trees([X[:, keep] for X in Xs], ys, cfg, int(nt))
    forest = Forest.from_dump(bst.dump_model())
    nn = R.LinearRanker.fit(Xs, ys, hidden=8, iters=300, l2=1e-3)
    dump_bytes = len(json.dumps(bst.dump_model()))
    diffs, t_np, t_lgb, t_nn = [], [], [], []
    for _, _, X in tests:
        Xk = X[:, keep]
        t = time.perf_counter()
        a = forest.score(Xk)
        t_np.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = bst.predict(Xk, num_threads=1)
        t_lgb.append(time.perf_counter() - t)
        t = time.perf_counter()
        nn.score(X)
        t_nn.append(time.perf_counter() - t)
        diffs.append(float(np.abs(a - b).max()))

    def ms(v: list[float]) -> str:
        return f"p50 {np.percentile(v, 50) * 1000:.2f} ms, p95 {np.percentile(v, 95) * 1000:.2f} ms"

    rows = np.mean([X.shape[0] for _, _, X in tests])
    print(f"{cfg} x{nt}: {len(tests)} questions, {rows:.0f} candidates each, forest depth {forest.depth}, "
          f"max |numpy - lightgbm| {max(diffs):.2e}, JSON dump {dump_bytes / 1e6:.2f} MB")
    print(f"numpy forest {ms(t_np)}; lightgbm predict {ms(t_lgb)}; neural ranker {ms(t_nn)}")
    Path(os.environ.get("OUT", "/tmp/gbdt_out")).mkdir(exist_ok=True)


if __name__ == "__main__":
    main()

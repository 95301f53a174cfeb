"""Diagnostic (not part of the product): can a fusion of the ranker with one channel's own
order recover gold articles the ranker puts below 100? On where_lost_cv.py's fold 1: the
shipped ranker (refit, 5 seeds) vs reciprocal-rank fusion with one feature column below the
ranker's own top 10, and a z-score mix with a linear ranker.

    .venv/bin/python experiments/retrieval/fusion_fold.py
"""
import os
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "experiments/retrieval"))
import fawang  # noqa: E402,F401 - before numpy: caps the BLAS threads at one

# isort: split
import numpy as np  # noqa: E402
from refit_ranker import fit, metrics  # noqa: E402

d = pickle.loads(Path("/tmp/retr_diag/fold1.pkl").read_bytes())
Xs, ys = d["train"]
held = [X for _, _, X in d["held"]]
flags = d["held_gold"]
counts = [len(g) for g in d["held_gold_keys"]]
if os.path.exists("/tmp/fold1_scores.pkl"):
    S, SL = pickle.loads(Path("/tmp/fold1_scores.pkl").read_bytes())
else:
    rk = fit(Xs, ys, seeds=5)
    S = [rk.score(X) for X in held]
    lin = fit(Xs, ys, seeds=1, hidden=0)
    SL = [lin.score(X) for X in held]
    Path("/tmp/fold1_scores.pkl").write_bytes(pickle.dumps((S, SL)))
print("shipped", metrics(S, flags, counts))
print("linear", metrics(SL, flags, counts))
def ranks(s):
    r = np.empty(len(s))
    r[np.argsort(-s, kind="stable")] = np.arange(len(s))
    return r
def keep_top10(s, fused):
    # the ranker's own top 10 stay on top; below them, the fused order
    r = ranks(s)
    out = fused.astype(np.float64)
    out[r < 10] = 1e6 - r[r < 10]
    return out
for name, col in [("nb_art", 35), ("knn_art", 5), ("sem", 31), ("all", 0), ("law_score", 27), ("xlat", 20)]:
    for a in (0.3, 0.6, 1.0):
        F = [keep_top10(s, 1 / (60 + ranks(s)) + a / (60 + ranks(X[:, col]))) for s, X in zip(S, held, strict=True)]
        print(f"RRF ranker + {a} x {name}", metrics(F, flags, counts))
for w in (0.3, 0.5):
    F = [keep_top10(s, (1 - w) * (s - s.mean()) / (s.std() + 1e-9) + w * (lin - lin.mean()) / (lin.std() + 1e-9)) for s, lin in zip(S, SL, strict=True)]
    print(f"z-mix ranker + {w} linear", metrics(F, flags, counts))

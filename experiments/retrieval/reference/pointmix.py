"""Listwise softmax + a pointwise logistic term in the ranker's loss: does caring about every
gold article (not only the top of each list) lift R@100?  Same caches and folds as cascade.py;
the listwise-only row is cascade.py's cached stage-1 scores (identical recipe).

    CACHE=ssinf8910 LAMBDAS=0.3,1 OPENBLAS_NUM_THREADS=1 python pointmix.py
"""
import os
import pickle
import sys

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import train as T
import cv2helpers as H
from fawang.knowledge.retrieval.metrics import summarize

ix, ex = H.index_and_examples()
cache = H.CACHE
tag = os.environ.get("CACHE", "ssinf8910")
lams = [float(x) for x in os.environ.get("LAMBDAS", "0.3,1").split(",")]


def fit(Xs, ys, lam, seed, hidden=8, iters=300, l2=1e-3):
    keep = [i for i, y in enumerate(ys) if y.sum() > 0]
    X_all = np.concatenate([Xs[i] for i in keep]).astype(np.float64)
    y_all = np.concatenate([ys[i] for i in keep]).astype(np.float64)
    mean, scale = X_all.mean(0), X_all.std(0)
    scale[scale < 1e-9] = 1.0
    Z = (X_all - mean) / scale
    sizes = np.array([len(ys[i]) for i in keep])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(len(keep)), sizes)
    target = y_all / np.add.reduceat(y_all, starts)[group]
    ng, d = len(keep), Z.shape[1]
    rng = np.random.default_rng(seed)
    P = {"w": np.zeros(d), "w1": rng.normal(0, 0.1, (hidden, d)), "b1": np.zeros(hidden),
         "v": rng.normal(0, 0.1, hidden), "b": np.array([-5.0])}
    m = {k: np.zeros_like(p) for k, p in P.items()}
    vv = {k: np.zeros_like(p) for k, p in P.items()}
    lr, b1_, b2_ = 0.02, 0.9, 0.999
    pos_w = 1.0 / max(y_all.mean(), 1e-9)  # balance positives and negatives in the pointwise term
    for t in range(1, iters + 1):
        H = np.tanh(Z @ P["w1"].T + P["b1"])
        s = Z @ P["w"] + H @ P["v"]
        e = np.exp(s - np.maximum.reduceat(s, starts)[group])
        p = e / np.add.reduceat(e, starts)[group]
        g = (p - target) / ng
        if lam:
            sig = 1 / (1 + np.exp(-(s + P["b"][0])))
            wts = np.where(y_all > 0, pos_w, 1.0)
            gp = lam * wts * (sig - y_all) / wts.sum()
            g = g + gp
            gb = np.array([gp.sum()])
        else:
            gb = np.zeros(1)
        G = {"w": Z.T @ g + l2 * P["w"], "v": H.T @ g + l2 * P["v"], "b": gb}
        dA = (g[:, None] * P["v"][None, :]) * (1 - H * H)
        G["w1"] = dA.T @ Z + l2 * P["w1"]
        G["b1"] = dA.sum(0)
        for k, gr in G.items():
            m[k] = b1_ * m[k] + (1 - b1_) * gr
            vv[k] = b2_ * vv[k] + (1 - b2_) * gr * gr
            P[k] -= lr * (m[k] / (1 - b1_**t)) / (np.sqrt(vv[k] / (1 - b2_**t)) + 1e-8)

    def score(X):
        z = (X - mean) / scale
        return z @ P["w"] + np.tanh(z @ P["w1"].T + P["b1"]) @ P["v"]
    return score


runs = {"listwise (cached)": []} | {f"+ pointwise {lam}": [] for lam in lams}
for f, test in enumerate(T.folds(len(ex), 5, 13)):
    Xs, ys, tests = pickle.loads((cache / f"{tag}_f{f}.pkl").read_bytes())
    _, s1_te = pickle.loads((cache / f"cascade_s1_{tag}_st3_f{f}.pkl").read_bytes())
    res = []
    for (i, c, X), s in zip(tests, s1_te, strict=True):
        res.append(([ix.key(int(r)) for r in c[np.lexsort((c, -s))[:100]]], set(ex[i].gold)))
    runs["listwise (cached)"] += res
    print(f"  fold {f} listwise {summarize(res)}", flush=True)
    for lam in lams:
        scorers = [fit(Xs, ys, lam, 7 + s) for s in range(3)]
        res = []
        for i, c, X in tests:
            s = sum(sc(X) for sc in scorers)
            res.append(([ix.key(int(r)) for r in c[np.lexsort((c, -s))[:100]]], set(ex[i].gold)))
        runs[f"+ pointwise {lam}"] += res
        print(f"  fold {f} pointwise {lam} {summarize(res)}", flush=True)
for k, r in runs.items():
    print(tag, k, summarize(r), flush=True)

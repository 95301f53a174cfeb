"""A second-stage ranker over the first ranker's shortlist: does it lift MRR@10?

The shipped ranker scores every candidate (~450 a question) with one small net and a listwise
softmax; most of its loss is spent pushing clearly wrong candidates down. A second net trained
only on each question's top K (by the first net's score) spends all of its capacity on the hard
choices at the top, and it can see features relative to the shortlist (the candidate's first
score minus the best, its rank, whether its law is the shortlist's leading law, its semantic /
memory / lexical scores relative to the shortlist's best), which the first net, scoring one
candidate at a time, cannot.

Honesty: the first net's scores on the training questions come from inner 4-fold models that
never saw them (else the second net would learn to trust an over-fitted first score). Held-out
questions: first net fitted on the whole training part (exactly `fit_and_rank`), then its top K
re-ordered by the second net; below K the order is unchanged, so R@100 cannot move.

    CACHE=ssinf8910 K=20,30,50 OPENBLAS_NUM_THREADS=1 python cascade.py
"""
import os
import pickle
import sys
import time

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval import train as T
import cv2helpers as H
from fawang.knowledge.retrieval.metrics import summarize

ix, ex = H.index_and_examples()
cache = H.CACHE
tag = os.environ.get("CACHE", "ssinf8910")
Ks = [int(k) for k in os.environ.get("K", "20,30,50").split(",")]
STARTS = int(os.environ.get("STARTS", "3"))
H2 = int(os.environ.get("H2", "8"))
L2_2 = float(os.environ.get("L2B", "0.001"))
ITERS2 = int(os.environ.get("ITERS2", "300"))
BLEND = float(os.environ.get("BLEND", "0"))  # > 0: shortlist order by s2 + BLEND * s1
F = R.FEATURES
col = {n: F.index(n) for n in ("sem", "knn_art_norm", "all_norm", "xlat_norm", "bigram_norm", "lex_sum_norm")}
t0 = time.time()


def fit1(Xs, ys):
    return [R.LinearRanker.fit(Xs, ys, hidden=8, iters=300, l2=0.001, seed=7 + s) for s in range(STARTS)]


def score1(rks, X):
    return sum(r.score(X) for r in rks) / len(rks)


def shortlist_features(c, X, s1, k):
    """Top k by s1 (ties by row), with relative-to-shortlist columns appended."""
    order = np.lexsort((c, -s1))[:k]
    Xk, sk, ck = X[order], s1[order], c[order]
    laws = ix.law_of[ck]
    lead = laws[0]
    law_count = np.array([(laws == law).sum() for law in laws], dtype=np.float32) / len(laws)
    rel = [sk - sk[0], np.log1p(np.arange(len(sk))), (laws == lead).astype(np.float32), law_count]
    for j in col.values():
        v = Xk[:, j]
        rel.append(v - v.max())
    return order, np.hstack([Xk, np.stack(rel, axis=1).astype(np.float32)])


def stage2_data(Xs, ys, cs, s1s, k):
    X2, y2 = [], []
    for X, y, c, s1 in zip(Xs, ys, cs, s1s, strict=True):
        order, Z = shortlist_features(c, X, s1, k)
        X2.append(Z)
        y2.append(y[order])
    return X2, y2


runs = {"stage 1": []} | {f"stage 2 K={k}": [] for k in Ks}
for f, test in enumerate(T.folds(len(ex), 5, 13)):
    Xs, ys, tests = pickle.loads((cache / f"{tag}_f{f}.pkl").read_bytes())
    cands = pickle.loads((cache / f"{tag}_cands_f{f}.pkl").read_bytes())
    sp = cache / f"cascade_s1_{tag}_st{STARTS}_f{f}.pkl"
    if sp.exists():
        s1_tr, s1_te = pickle.loads(sp.read_bytes())
    else:
        # out-of-fold first-stage scores for the training questions
        s1_tr = [None] * len(Xs)
        for inner in T.folds(len(Xs), 4, 29):
            ih = set(inner)
            keep = [j for j in range(len(Xs)) if j not in ih]
            rks = fit1([Xs[j] for j in keep], [ys[j] for j in keep])
            for j in inner:
                s1_tr[j] = score1(rks, Xs[j])
        rks = fit1(Xs, ys)
        print(f"  fold {f} stage 1 fitted {time.time() - t0:.0f}s", flush=True)
        s1_te = [score1(rks, X) for _, _, X in tests]
        sp.write_bytes(pickle.dumps((s1_tr, s1_te)))
    res1 = []
    for (i, c, X), s1 in zip(tests, s1_te, strict=True):
        order = np.lexsort((c, -s1))[:100]
        res1.append(([ix.key(int(r)) for r in c[order]], set(ex[i].gold)))
    runs["stage 1"] += res1
    print(f"  fold {f} stage 1 {summarize(res1)}", flush=True)
    for k in Ks:
        X2, y2 = stage2_data(Xs, ys, cands, s1_tr, k)
        rk2 = [R.LinearRanker.fit(X2, y2, hidden=H2, iters=ITERS2, l2=L2_2, seed=11 + s) for s in range(STARTS)]
        res = []
        for (i, c, X), s1 in zip(tests, s1_te, strict=True):
            full = np.lexsort((c, -s1))[:100]
            order, Z = shortlist_features(c, X, s1, k)
            s2 = sum(r.score(Z) for r in rk2) / len(rk2)
            if BLEND:
                s2 = s2 + BLEND * s1[order]
            top = order[np.lexsort((c[order], -s2))]
            final = np.concatenate([top, full[k:]])[:100]
            res.append(([ix.key(int(r)) for r in c[final]], set(ex[i].gold)))
        runs[f"stage 2 K={k}"] += res
        print(f"  fold {f} stage 2 K={k} {summarize(res)} {time.time() - t0:.0f}s", flush=True)
for name, r in runs.items():
    print(tag, name, summarize(r), flush=True)

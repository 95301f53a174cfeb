"""Semantic neighbours: memory questions near the question in the semantic space vote for their
articles (the lexical kNN of ranker.features, with learned vectors instead of shared words).

Adds columns to cv_ssi_ens.py's cached features (same candidates), so both rows are fitted in one
run on identical candidates. Vectors: the concatenated question vectors of the SEEDS models
(the held-out questions: the fold's models; the training questions: their inner part's models,
the question itself left out of the memory). KNNTAU: neighbour weight exp((sim - best) / KNNTAU).
"""
import os
import pickle
import time
from pathlib import Path

import numpy as np

import ssi as S
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.metrics import summarize
from fawang.knowledge.retrieval.text import tokenize

ix, ex = S.ix, S.ex
import cv2helpers as H  # noqa: E402

seeds = [int(s) for s in os.environ.get("SEEDS", "8,9").split(",")]
tag = os.environ.get("TAG", "ssiens89")
K = int(os.environ.get("KNNK", "30"))
tau = float(os.environ.get("KNNTAU", "0.05"))
fits = [tuple(x.split(":")) for x in os.environ.get("FIT", "8:300:0.001:3").split(",")]
cache = Path("/tmp/retr_cache2")
pcache = cache / "ssiparams"
runs = {(v, f): [] for v in (tag, tag + "+semknn") for f in fits}
t0 = time.time()


def U_of(name):
    return np.hstack([np.load(pcache / f"{name}_s{sd}.npz")["U"] for sd in seeds])


def unit(m):
    n = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(n > 0, n, 1.0)


REF_G = S.gold_rows(S.REF_G)
n_laws = len(ix.law_titles)


def votes(qv, mv, mrows, cands, exclude=None):
    sim = mv @ qv
    if exclude is not None:
        sim[exclude] = -np.inf
    near = np.argpartition(-sim, K)[:K]
    top = sim[near].max()
    art = np.zeros(ix.n, dtype=np.float32)
    law = np.zeros(n_laws, dtype=np.float32)
    for j in near:
        w = np.exp((sim[j] - top) / tau)
        r = mrows[j]
        if len(r):
            art[r] += w / len(r)
            law[np.unique(ix.law_of[r])] += w
    art /= max(art.max(), 1e-9)
    law /= max(law.max(), 1e-9)
    return np.column_stack([art[cands], law[ix.law_of[cands]]]).astype(np.float32)


for f, test in enumerate(T.folds(len(ex), 5, 13)):
    held = set(test)
    tr = [ex[i] for i in range(len(ex)) if i not in held]
    Xs, ys, tests = pickle.loads((cache / f"{tag}_f{f}.pkl").read_bytes())
    tr_cands = pickle.loads((cache / f"{tag}_cands_f{f}.pkl").read_bytes())
    tr_toks = [tokenize(e.question) for e in tr]
    mrows = [np.array(r, dtype=np.int64) for r in S.gold_rows([e.gold for e in tr]) + REF_G]
    Qmem = S.qmat(tr_toks + S.REF_T)
    Xs2 = [None] * len(tr)
    for n, inner in enumerate(T.folds(len(tr), 3, 29)):
        mv = unit(np.asarray(Qmem @ U_of(f"f{f}i{n}")))
        for j in inner:
            Xs2[j] = np.hstack([Xs[j], votes(mv[j], mv, mrows, tr_cands[j], exclude=j)])
    mv = unit(np.asarray(Qmem @ U_of(f"f{f}")))
    qv = unit(np.asarray(S.qmat([tokenize(ex[i].question) for i, _, _ in tests]) @ U_of(f"f{f}")))
    tests2 = [(i, c, np.hstack([X, votes(q, mv, mrows, c)])) for (i, c, X), q in zip(tests, qv)]
    H.rank_variants(runs, f, [(tag, Xs, ys, tests), (tag + "+semknn", Xs2, ys, tests2)], fits, ix, ex)
    print(f"fold {f + 1} {time.time() - t0:.0f}s", flush=True)
for (variant, fit), r in runs.items():
    print(variant, ":".join(fit), summarize(r), flush=True)

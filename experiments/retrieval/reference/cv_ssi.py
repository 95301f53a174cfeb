"""5-fold CV of the SSI channel end to end: candidates + 4 features, against the cached base.

Training questions get their SSI scores from an inner 5-fold model that never saw them (the
same leave-one-out principle as the memory features); held-out questions from the model of the
whole training part. Base = cv2.py's `basekwrefv4` caches, fitted in the same run.
TAG names the cache; SEMN=100 candidates; FIT as cv2.py.
"""
import os
import pickle
import time
from pathlib import Path

import numpy as np

import ssi as S
from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.metrics import summarize
from fawang.knowledge.retrieval.text import char_bigrams, tokenize

ix, ex = S.ix, S.ex
import cv2helpers as H  # noqa: E402  (memory entries exactly as cv2.py MEMX=kwref)

R.SEM_CANDS = int(os.environ.get("SEMN", "100"))
tag = os.environ.get("TAG", "ssi")
fits = [tuple(x.split(":")) for x in os.environ.get("FIT", "8:300:0.001:3").split(",")]
cache = Path("/tmp/retr_cache2")
runs = {(v, f): [] for v in ("base", "ssi") for f in fits}
t0 = time.time()


def gold_rows(golds):
    return [[ix.key_to_row[k] for k in g if k in ix.key_to_row] for g in golds]


REF_G = gold_rows(S.REF_G)
for f, test in enumerate(T.folds(len(ex), 5, 13)):
    held = set(test)
    tr_idx = [i for i in range(len(ex)) if i not in held]
    tr = [ex[i] for i in tr_idx]
    p = cache / f"{tag}_f{f}.pkl"
    if p.exists():
        Xs, ys, tests = pickle.loads(p.read_bytes())
    else:
        tr_toks = [tokenize(e.question) for e in tr]
        tr_gold = gold_rows([e.gold for e in tr])
        # inner models for the training questions
        sem_tr = [None] * len(tr)
        for inner in T.folds(len(tr), int(os.environ.get("INNER", "3")), 29):
            ih = set(inner)
            keep = [j for j in range(len(tr)) if j not in ih]
            U, W = S.fit([tr_toks[j] for j in keep] + S.REF_T, [tr_gold[j] for j in keep] + REF_G)
            DE = (S.Dm @ W).astype(np.float32)
            QE = S.qmat([tr_toks[j] for j in inner]) @ U
            for j, qe in zip(inner, QE):
                sem_tr[j] = DE @ qe
        U, W = S.fit(tr_toks + S.REF_T, tr_gold + REF_G)
        DE = (S.Dm @ W).astype(np.float32)
        print(f"fold {f} ssi fitted {time.time() - t0:.0f}s", flush=True)
        mem = H.memory(tr, ix)
        bound = R.BoundMemory(mem, ix)
        Xs, ys = [], []
        for j, e in enumerate(tr):
            c, X = R.features(ix, bound, tr_toks[j], bigrams=char_bigrams(e.question), exclude=j,
                              semantic=sem_tr[j])
            Xs.append(X)
            ys.append(np.array([ix.key(r) in e.gold for r in c], dtype=np.float32))
        tests = []
        QE = S.qmat([tokenize(ex[i].question) for i in test]) @ U
        for i, qe in zip(test, QE):
            q = ex[i].question
            c, X = R.features(ix, bound, tokenize(q), bigrams=char_bigrams(q), semantic=DE @ qe)
            tests.append((i, c, X))
        p.write_bytes(pickle.dumps((Xs, ys, tests)))
    _, bXs, bys, btests = pickle.loads((cache / f"basekwrefv4_f{f}.pkl").read_bytes())
    for variant, (xs_, ys_, te_) in (("base", (bXs, bys, btests)), ("ssi", (Xs, ys, tests))):
        for fit in fits:
            runs[(variant, fit)] += H.fit_and_rank(xs_, ys_, te_, fit, ix, ex)
    cand = np.mean([len(c) for _, c, _ in tests])
    print(f"fold {f + 1} {time.time() - t0:.0f}s mean cands {cand:.0f}", flush=True)
for (variant, fit), r in runs.items():
    print(tag, variant, ":".join(fit), summarize(r), flush=True)

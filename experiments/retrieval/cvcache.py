"""Scratch: 5-fold CV (seed 13) with per-fold feature caches, so ranker variants can be fitted
without recomputing features. FEAT=tag names the cache (recompute when features change);
FIT=hidden:iters:l2 picks the ranker; NF=number of folds; pool recall is printed too."""
from __future__ import annotations

import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.index import ArticleIndex
from fawang.knowledge.retrieval.metrics import summarize
from fawang.knowledge.retrieval.text import char_bigrams, tokenize

D = Path("/work/shared/data/benchmarks")
ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl") if e.gold]
for kv in os.environ.get("SET", "").split(","):
    if kv:
        k, v = kv.split("=")
        setattr(R, k, type(getattr(R, k))(v))
nf = int(os.environ.get("NF", "5"))
tag = os.environ.get("FEAT", "cur")
cache = Path("/tmp/retr_cache")
cache.mkdir(exist_ok=True)
fits = [tuple(x.split(":")) for x in os.environ.get("FIT", "8:300:0.001").split(",")]
t0 = time.time()
runs = {f: [] for f in fits}
pool = [0, 0]
for f, test in enumerate(T.folds(len(ex), 5, 13)[:nf]):
    path = cache / f"{tag}_f{f}.pkl"
    if path.exists():
        data = pickle.loads(path.read_bytes())
    else:
        held = set(test)
        tr = [e for i, e in enumerate(ex) if i not in held]
        mem = R.Memory([tokenize(e.question) for e in tr], [sorted(e.gold) for e in tr])
        bound = R.BoundMemory(mem, ix)
        Xs, ys = [], []
        for j, e in enumerate(tr):
            c, X = R.features(ix, bound, tokenize(e.question), bigrams=char_bigrams(e.question), exclude=j)
            Xs.append(X)
            ys.append(np.array([ix.key(r) in e.gold for r in c], dtype=np.float32))
        tests = []
        for i in test:
            q = ex[i].question
            c, X = R.features(ix, bound, tokenize(q), bigrams=char_bigrams(q))
            tests.append((i, c, X))
        data = (Xs, ys, tests)
        path.write_bytes(pickle.dumps(data))
    Xs, ys, tests = data
    for fit in fits:
        h, it, l2 = int(fit[0]), int(fit[1]), float(fit[2])
        cols = None
        if len(fit) > 3:  # drop the last N features
            cols = slice(0, Xs[0].shape[1] - int(fit[3]))
        sub = (lambda X: X[:, cols]) if cols else (lambda X: X)
        rk = R.LinearRanker.fit([sub(X) for X in Xs], ys, hidden=h, iters=it, l2=l2)
        for i, c, X in tests:
            order = np.lexsort((c, -rk.score(sub(X))))[:100]
            runs[fit].append(([ix.key(int(r)) for r in c[order]], set(ex[i].gold)))
    for i, c, X in tests:
        cs = {ix.key(int(r)) for r in c}
        pool[0] += sum(g in cs for g in ex[i].gold)
        pool[1] += len(ex[i].gold)
    print(f"fold {f+1} done {time.time()-t0:.0f}s", flush=True)
for fit in fits:
    print(tag, os.environ.get("SET", ""), ":".join(fit), summarize(runs[fit]), flush=True)
print(f"pool recall {pool[0]/pool[1]:.4f}; {time.time()-t0:.0f}s")

"""CV with cached base candidates+features (incl. training cands), plus named extra feature
columns cached separately. EXTRA=a,b picks extras; MEMX=q adds FAQ to memory (separate base tag)."""
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/src")
import cv2helpers as H
import extras as E

from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.index import ArticleIndex
from fawang.knowledge.retrieval.metrics import summarize
from fawang.knowledge.retrieval.text import char_bigrams, tokenize

ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
D = Path("/work/shared/data/benchmarks")
ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl") if e.gold]
titles = set(ix.law_titles)
def full(law):
    for c in (law, "中华人民共和国" + law):
        if c in titles: return c
    return law
FAQ_T, FAQ_G, FAQ_X = [], [], []
memx = os.environ.get("MEMX", "")
if memx:
    for e in json.load(open("/work/main/src/fawang/consultation/data/faq.json"))["entries"]:
        g = sorted({(full(c["law"]), c["article"]) for c in e["citations"]})
        FAQ_T.append(tokenize(e["question"])); FAQ_G.append(g)
        FAQ_X.append(tokenize(" ".join(e.get("keywords", []))) if "kw" in memx else [])
if "ref" in memx:
    import glob
    for path in sorted(glob.glob("/work/main/src/fawang/knowledge/retrieval/data/questions/*.jsonl")):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            FAQ_T.append(tokenize(r["question"])); FAQ_G.append([(r["law"], r["article"])]); FAQ_X.append([])
print("extra memory entries", len(FAQ_T), flush=True)
for kv in os.environ.get("SET", "").split(","):
    if kv:
        k, v = kv.split("=")
        setattr(R, k, type(getattr(R, k))(v))
K = int(os.environ.get("K", "5"))  # folds; the cache name carries it when not 5
base = "base" + memx + os.environ.get("TAG", "") + (f"k{K}" if K != 5 else "")
cache = Path("/tmp/retr_cache2"); cache.mkdir(exist_ok=True)
extras = [x for x in os.environ.get("EXTRA", "").split(",") if x]
fits = [tuple(x.split(":")) for x in os.environ.get("FIT", "8:300:0.001").split(",")]
runs = {f: [] for f in fits}
t0 = time.time()
for f, test in enumerate(T.folds(len(ex), K, 13)):
    held = set(test)
    tr = [e for i, e in enumerate(ex) if i not in held]
    mem = R.Memory([tokenize(e.question) for e in tr] + FAQ_T, [sorted(e.gold) for e in tr] + FAQ_G,
                   [[] for e in tr] + FAQ_X)
    bound = None
    p = cache / f"{base}_f{f}.pkl"
    if p.exists():
        trc, Xs, ys, tests = pickle.loads(p.read_bytes())
    else:
        bound = R.BoundMemory(mem, ix)
        trc, Xs, ys = [], [], []
        for j, e in enumerate(tr):
            c, X = R.features(ix, bound, tokenize(e.question), bigrams=char_bigrams(e.question), exclude=j)
            trc.append(c); Xs.append(X); ys.append(np.array([ix.key(r) in e.gold for r in c], dtype=np.float32))
        tests = []
        for i in test:
            q = ex[i].question
            c, X = R.features(ix, bound, tokenize(q), bigrams=char_bigrams(q))
            tests.append((i, c, X))
        p.write_bytes(pickle.dumps((trc, Xs, ys, tests)))
    cols_tr = [[] for _ in Xs]; cols_te = [[] for _ in tests]
    for name in extras:
        pe = cache / f"{base}_{name}_f{f}.pkl"
        if pe.exists():
            a, b = pickle.loads(pe.read_bytes())
        else:
            if bound is None:
                bound = R.BoundMemory(mem, ix)
            ctx = E.Ctx(ix, bound, mem)
            a = [getattr(E, name)(ctx, tr[j].question, trc[j], j) for j in range(len(tr))]
            b = [getattr(E, name)(ctx, ex[i].question, c, None) for i, c, _ in tests]
            pe.write_bytes(pickle.dumps((a, b)))
        for j in range(len(Xs)): cols_tr[j].append(a[j])
        for j in range(len(tests)): cols_te[j].append(b[j])
    if extras:
        Xs = [np.column_stack([X] + cs).astype(np.float32) for X, cs in zip(Xs, cols_tr)]
        tests = [(i, c, np.column_stack([X] + cs).astype(np.float32)) for (i, c, X), cs in zip(tests, cols_te)]
    for fit in fits:
        runs[fit] += H.fit_and_rank(Xs, ys, tests, fit, ix, ex)
    print(f"fold {f+1} {time.time()-t0:.0f}s", flush=True)
for fit in fits:
    print(base, "+".join(extras) or "-", ":".join(fit), summarize(runs[fit]), flush=True)

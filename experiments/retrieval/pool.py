"""Scratch: CV (5 folds, seed 13) with candidate-pool recall, split by whether a gold article is
cited by some training question of the fold. Env: SET=K=V,... overrides ranker constants."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import ranker as R  # noqa: E402
from fawang.knowledge.retrieval import train as T  # noqa: E402
from fawang.knowledge.retrieval.index import ArticleIndex  # noqa: E402
from fawang.knowledge.retrieval.metrics import summarize  # noqa: E402
from fawang.knowledge.retrieval.text import char_bigrams, tokenize  # noqa: E402

D = Path("/work/shared/data/benchmarks")
ix = ArticleIndex.load(Path(os.environ.get("IX", "/tmp/retr_var/retrieval")))
ans = D / "consultation-answers/train.jsonl" if os.environ.get("ANS", "0") == "1" else None
ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl", ans) if e.gold]
for kv in os.environ.get("SET", "").split(","):
    if kv:
        k, v = kv.split("=")
        setattr(R, k, type(getattr(R, k))(v))
nf = int(os.environ.get("NF", "5"))
t0 = time.time()
runs, lat = [], []
pool = {"seen": [0, 0], "unseen": [0, 0]}
top100 = {"seen": [0, 0], "unseen": [0, 0]}
sizes = []
for f, test in enumerate(T.folds(len(ex), 5, 13)[:nf]):
    held = set(test)
    tr = [e for i, e in enumerate(ex) if i not in held]
    model = T.train(tr, ix)
    bound = R.BoundMemory(model.memory, ix)
    seen = {k for e in tr for k in e.gold}
    for i in test:
        q = ex[i].question
        s = time.perf_counter()
        cands, X = R.features(ix, bound, tokenize(q), bigrams=char_bigrams(q))
        order = np.lexsort((cands, -model.ranker.score(X)))[:100]
        lat.append((time.perf_counter() - s) * 1000)
        ranked = [ix.key(int(r)) for r in cands[order]]
        cset = {ix.key(int(r)) for r in cands}
        sizes.append(cands.size)
        for g in ex[i].gold:
            kind = "seen" if g in seen else "unseen"
            pool[kind][0] += g in cset
            pool[kind][1] += 1
            top100[kind][0] += g in ranked
            top100[kind][1] += 1
        runs.append((ranked, set(ex[i].gold)))
    print(f"fold {f+1}: {summarize(runs)}", flush=True)
allp = (pool["seen"][0] + pool["unseen"][0]) / (pool["seen"][1] + pool["unseen"][1])
print(os.environ.get("TAG", ""), os.environ.get("SET", ""), summarize(runs, lat))
print(f"pool recall {allp:.4f} seen {pool['seen'][0]/pool['seen'][1]:.4f} ({pool['seen'][1]}) "
      f"unseen {pool['unseen'][0]/pool['unseen'][1]:.4f} ({pool['unseen'][1]}); "
      f"top100 seen {top100['seen'][0]/top100['seen'][1]:.4f} unseen {top100['unseen'][0]/top100['unseen'][1]:.4f}; "
      f"mean cands {np.mean(sizes):.0f}; {time.time()-t0:.0f}s", flush=True)

import pickle, sys, numpy as np
from pathlib import Path
sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import ranker as R, train as T
from fawang.knowledge.retrieval.index import ArticleIndex
ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
D = Path("/work/shared/data/benchmarks")
ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl") if e.gold]
F = R.FEATURES
buckets = {}
def add(k, v):
    buckets.setdefault(k, []).append(v)
for f, test in enumerate(T.folds(len(ex), 5, 13)):
    Xs, ys, tests = pickle.loads(Path(f"/tmp/retr_cache/gb31_f{f}.pkl").read_bytes())
    rk = R.LinearRanker.fit(Xs, ys, hidden=8, iters=300, l2=1e-3)
    held = set(test)
    cited = set()
    for i, e in enumerate(ex):
        if i not in held: cited |= set(e.gold)
    for i, c, X in tests:
        s = rk.score(X)
        order = np.lexsort((c, -s))
        keys = [ix.key(int(r)) for r in c[order]]
        for g in ex[i].gold:
            seen = g in cited
            if g in keys:
                r = keys.index(g)
                b = "top10" if r < 10 else ("top100" if r < 100 else "pool")
                row = X[order[r]]
                add(("law_rank_feat", b, seen), row[F.index("law_rank")])
            else:
                b = "missing"
            add((b, seen), 1)
tot = sum(len(v) for k, v in buckets.items() if len(k) == 2)
for k in sorted(k for k in buckets if len(k) == 2):
    print(k, len(buckets[k]), round(len(buckets[k]) / tot, 3))
for k in sorted(k for k in buckets if len(k) == 3):
    v = np.array(buckets[k]); print(k, len(v), "law top1", round(float((v >= 0.99).mean()), 3), "top3", round(float((v >= 1/np.log2(4) - 1e-6).mean()), 3))

"""Scratch: CV of the package ranker on the DB-built index (/tmp/retr_var/retrieval)."""
from __future__ import annotations
import os, sys, time
from pathlib import Path
sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval.index import ArticleIndex
from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval.train import read_examples, cross_validate

D = Path("/work/shared/data/benchmarks")
ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
ans = D / "consultation-answers/train.jsonl" if os.environ.get("ANS", "1") == "1" else None
ex = read_examples(D / "statute-retrieval/train.jsonl", ans)
for kv in os.environ.get("SET", "").split(","):
    if kv:
        k, v = kv.split("=")
        setattr(R, k, type(getattr(R, k))(v))
k = int(os.environ.get("K", "5"))
t = time.time()
# NF folds of a k-fold split only (faster): monkeypatch folds
import fawang.knowledge.retrieval.train as T
orig = T.folds
nf = int(os.environ.get("NF", str(k)))
T.folds = lambda n, kk, seed=13: orig(n, kk, seed)[:nf]
print(os.environ.get("TAG", ""), os.environ.get("SET", ""), cross_validate(ex, ix, k=k), round(time.time() - t), flush=True)

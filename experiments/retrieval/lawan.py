"""Scratch: for held-out questions of fold 1, where do gold articles missed by the candidate pool
sit: rank of their law under law scores, rank inside their law under lexical scores."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import ranker as R  # noqa: E402
from fawang.knowledge.retrieval import train as T  # noqa: E402
from fawang.knowledge.retrieval.index import ArticleIndex  # noqa: E402
from fawang.knowledge.retrieval.text import char_bigrams, tokenize  # noqa: E402

D = Path("/work/shared/data/benchmarks")
ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl") if e.gold]
test = T.folds(len(ex), 5, 13)[0]
held = set(test)
tr = [e for i, e in enumerate(ex) if i not in held]
from fawang.knowledge.retrieval.ranker import Memory  # noqa: E402
mem = Memory([tokenize(e.question) for e in tr], [sorted(e.gold) for e in tr])
bound = R.BoundMemory(mem, ix)
N = R._norm
lawranks = {k: Counter() for k in ("knn", "title", "lawtext", "combo", "combo2")}
from collections import defaultdict
inlaw = defaultdict(Counter)
missed = 0
def bucket(r):
    for b in (1, 2, 3, 5, 10, 30):
        if r <= b:
            return b
    return 999
for i in test:
    q = ex[i].question
    terms = tokenize(q)
    cands, _ = R.features(ix, bound, terms, bigrams=char_bigrams(q))
    cset = set(cands.tolist())
    s_all = ix.fields["all"].score(terms)
    s_text = ix.fields["text"].score(terms)
    s_big = ix.fields["bigram"].score(char_bigrams(q))
    boosts = bound.expansion(terms)
    s_x = ix.fields["text"].score(boosts, boosts) if boosts else np.zeros(ix.n, np.float32)
    sim = mem.postings.score(terms)
    near = R._top(sim, R.KNN_K)
    knn_law = np.zeros(len(ix.law_titles))
    knn_art = np.zeros(ix.n)
    if near.size:
        top = sim[near].max()
        for j in near:
            knn_law[bound.laws[j]] += (sim[j] / top) ** 2
            if bound.rows[j].size:
                knn_art[bound.rows[j]] += (sim[j] / top) ** 2 / bound.rows[j].size
    cs = np.concatenate([[0.0], np.cumsum(N(knn_art))])
    idx = np.arange(ix.n)
    win = {w: cs[np.minimum(idx + w + 1, ix.n)] - cs[np.maximum(idx - w, 0)] for w in (3, 6, 12, 25)}
    title = ix.title_postings.score(terms)
    lawtext = np.maximum.reduceat(s_all, ix.law_starts)
    lawbig = np.maximum.reduceat(s_big, ix.law_starts)
    prior = np.log1p(bound.law_count)
    scores = {"knn": N(knn_law), "title": N(title), "lawtext": N(lawtext),
              "combo": N(knn_law) + 0.5 * N(title) + 0.5 * N(lawtext),
              "combo2": N(knn_law) + 0.5 * N(title) + 0.5 * N(lawtext) + 0.3 * N(lawbig) + 0.1 * N(prior)}
    for g in ex[i].gold:
        r = ix.key_to_row.get(g)
        if r is None or r in cset:
            continue
        missed += 1
        law = ix.law_of[r]
        for k, s in scores.items():
            lawranks[k][bucket(int((s > s[law]).sum()) + 1)] += 1
        lo = ix.law_starts[law]
        hi = ix.law_starts[law + 1] if law + 1 < len(ix.law_starts) else ix.n
        for k, s in {"all": s_all, "text": s_text, "big": s_big, "xlat": s_x,
                     "sum": N(s_all) + N(s_big) + N(s_x), "w3": win[3], "w6": win[6], "w12": win[12], "w25": win[25],
                     "w6+sum": N(win[6]) + 0.5 * (N(s_all) + N(s_big) + N(s_x)),
                     "w12+sum": N(win[12]) + 0.5 * (N(s_all) + N(s_big) + N(s_x))}.items():
            seg = s[lo:hi]
            inlaw[k][bucket(int((seg > seg[r - lo]).sum()) + 1) if seg[r - lo] > 0 else 999] += 1
print("missed gold (not in pool):", missed)
for k, c in lawranks.items():
    print("law rank", k, sorted(c.items()))
for k, c in inlaw.items():
    print("in-law rank", k, sorted(c.items()))

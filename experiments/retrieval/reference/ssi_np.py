"""Fold-0 standalone check of fawang.knowledge.retrieval.semantic (numpy) against ssi.py (scipy)."""
import pickle, time
import numpy as np
import ssi as S
from fawang.knowledge.retrieval import semantic as SM
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.text import tokenize
ix, ex = S.ix, S.ex
test = T.folds(len(ex), 5, 13)[0]; held = set(test)
tr = [e for i, e in enumerate(ex) if i not in held]
toks = [tokenize(e.question) for e in tr] + S.REF_T
gold = [[ix.key_to_row[k] for k in e.gold if k in ix.key_to_row] for e in tr]
gold += [[ix.key_to_row[k] for k in g if k in ix.key_to_row] for g in S.REF_G]
t0 = time.time(); m = SM.fit(toks, gold, ix); t1 = time.time()
DE = m.article_vectors(ix); t2 = time.time()
print(f"fit {t1-t0:.1f}s vectors {t2-t1:.1f}s qwords {len(m.question_words)}")
trc, Xs, ys, tests = pickle.loads(open("/tmp/retr_cache2/basekwrefv4_f0.pkl", "rb").read())
n = r10 = r100 = u100 = 0; ts = []
for i, c, _ in tests:
    a = time.perf_counter(); s = DE @ m.question_vector(tokenize(ex[i].question)); ts.append(time.perf_counter() - a)
    order = np.argsort(-s); cset = set(c.tolist())
    for k in ex[i].gold:
        r = ix.key_to_row.get(k); n += 1
        if r is None: continue
        rank = int(np.flatnonzero(order == r)[0])
        r10 += rank < 10; r100 += rank < 100; u100 += (rank < 100) or (r in cset)
print(f"ssi_r10 {r10/n:.4f} ssi100 {r100/n:.4f} union100 {u100/n:.4f} query p50 {np.median(ts)*1000:.2f} ms")

"""R@100 is bounded by the candidates (~0.925 of the gold) but lands ~2 points lower: which
channel ranks the in-pool gold articles the ranker leaves below 100 near its own top, and does
reserving the last m slots of the top 100 for the channels' best articles help?  Reads
cascade.py's cached first-stage scores: `OPENBLAS_NUM_THREADS=1 python reserve_slots.py 0,1,2,3,4`."""
import collections
import pickle
import sys

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import ranker as R
import cv2helpers as H
from fawang.knowledge.retrieval.metrics import summarize

ix, ex = H.index_and_examples()
cache = H.CACHE
F = R.FEATURES
chans = ["all_norm", "knn_art_norm", "sem", "xlat_norm", "bigram_norm", "lex_sum_norm", "text_norm", "knn_window"]
folds = [int(x) for x in sys.argv[1].split(",")]
hit = collections.Counter(); nlow = 0
variants = {"base": []}
for m in (5, 10, 20):
    for ch in ("sem", "knn_art_norm", "all_norm", "mix"):
        variants[f"reserve {m} {ch}"] = []
for f in folds:
    Xs, ys, tests = pickle.loads((cache / f"ssinf8910_f{f}.pkl").read_bytes())
    _, s1_te = pickle.loads((cache / f"cascade_s1_ssinf8910_st3_f{f}.pkl").read_bytes())
    for (i, c, X), s in zip(tests, s1_te):
        order = np.lexsort((c, -s))
        gold = {ix.key_to_row[g] for g in ex[i].gold if g in ix.key_to_row}
        pos = {int(r): k for k, r in enumerate(c[order])}
        for g in gold:
            if g in pos and pos[g] >= 100:
                nlow += 1
                j = int(np.flatnonzero(c == g)[0])
                for ch in chans:
                    v = X[:, F.index(ch)]
                    rk = int((v > v[j]).sum())
                    for t in (5, 10, 20):
                        if rk < t:
                            hit[(ch, t)] += 1
        variants["base"].append(([ix.key(int(r)) for r in c[order[:100]]], set(ex[i].gold)))
        for m in (5, 10, 20):
            for ch in ("sem", "knn_art_norm", "all_norm", "mix"):
                top = list(order[:100 - m])
                seen = set(top)
                extra = []
                srcs = ["sem", "knn_art_norm", "all_norm"] if ch == "mix" else [ch]
                lists = [np.lexsort((c, -X[:, F.index(x)])) for x in srcs]
                k = 0
                while len(extra) < m and k < len(c):
                    for L in lists:
                        if k < len(L) and L[k] not in seen and len(extra) < m:
                            extra.append(L[k]); seen.add(L[k])
                    k += 1
                # fill any remaining slots with the ranker's next
                for r in order[100 - m:]:
                    if len(extra) >= m: break
                    if r not in seen: extra.append(r); seen.add(r)
                fin = np.array(top + extra)
                variants[f"reserve {m} {ch}"].append(([ix.key(int(r)) for r in c[fin]], set(ex[i].gold)))
print("gold ranked below 100 (in pool):", nlow)
for ch in chans:
    print(f"  {ch:15s}", [hit[(ch, t)] for t in (5, 10, 20)])
for k, v in variants.items():
    s = summarize(v); print(f"{k:28s} R@10={s['recall@10']:.4f} R@100={s['recall@100']:.4f} MRR={s['mrr@10']:.4f}")

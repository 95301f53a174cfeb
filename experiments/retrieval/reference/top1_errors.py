"""Fold f's held-out questions whose gold article is not ranked first: what is ranked first
(same law and adjacent, same law farther, another law), with examples.  Reads cascade.py's
cached first-stage scores: `python top1_errors.py 0`."""
import collections
import pickle
import sys

import numpy as np

sys.path.insert(0, "/work/main/src")
import cv2helpers as H

ix, ex = H.index_and_examples()
cache = H.CACHE
f = int(sys.argv[1]) if len(sys.argv) > 1 else 0
Xs, ys, tests = pickle.loads((cache / f"ssinf8910_f{f}.pkl").read_bytes())
s1_tr, s1_te = pickle.loads((cache / f"cascade_s1_ssinf8910_st3_f{f}.pkl").read_bytes())
kinds = collections.Counter()
ex_lines = []
for (i, c, X), s in zip(tests, s1_te):
    order = np.lexsort((c, -s))
    rows = c[order]
    gold = {ix.key_to_row[g] for g in ex[i].gold if g in ix.key_to_row}
    ranks = [k for k, r in enumerate(rows) if r in gold]
    if not ranks:
        kinds["gold not candidate"] += 1; continue
    r0 = ranks[0]
    if r0 == 0:
        kinds["rank1"] += 1; continue
    top = rows[0]
    g = rows[r0]
    bucket = "2-3" if r0 < 3 else "4-10" if r0 < 10 else "11-100" if r0 < 100 else ">100"
    samelaw = ix.law_of[top] == ix.law_of[g]
    dist = abs(int(top) - int(g)) if samelaw else None
    kind = f"{bucket} " + ("same law, adjacent (<=2)" if samelaw and dist <= 2 else "same law, far" if samelaw else "other law")
    kinds[kind] += 1
    if r0 < 10 and len(ex_lines) < 40:
        ex_lines.append(f"[{r0+1}] {ex[i].question[:50]} | top={ix.key(int(top))} gold={ix.key(int(g))} ngold={len(gold)}")
for k, v in sorted(kinds.items()):
    print(f"{k:40s} {v}")
print("\n".join(ex_lines))

"""5-fold CV of the SSI channel end to end (candidates + 4 features), one model or several
(different seeds, scores averaged), against cached feature sets, all rankers fitted in one run.

Training questions get their SSI scores from inner models that never saw them (INNER=3 folds,
the same leave-one-out principle as the memory features); held-out questions from the models of
the whole training part. Each fitted (U, W) is cached per fold / inner part / seed in
/tmp/retr_cache2/ssiparams, so adding a seed later costs only its own fits. SEEDS=8,9 averages
those seeds' scores; COMPARE=ssid (comma-separated cache tags, "" for none) adds those cached
feature sets as rows, e.g. cv_ssi.py's single model (TAG=ssid, seed 7); the base row is cv2.py's
`basekwrefv4` caches. TAG names this run's cache; SEMN semantic candidates (100); FIT as cv2.py.
NEGFIX=1 fits with ssi.py's corrected negatives (parameters cached with a `_negfix` suffix);
BASE=0 leaves out the no-channel row. HARD=k HARDPOOL=n add ssi.py's lexical hard negatives.
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
import cv2helpers as H  # noqa: E402

R.SEM_CANDS = int(os.environ.get("SEMN", str(R.SEM_CANDS)))
# SEMLAW=1|2 ran with semlaw.diff applied to ranker.py (law-level semantic features; no gain)
R.SEM_LAW = int(os.environ.get("SEMLAW", "0"))
if R.SEM_LAW:
    R.FEATURES = [*R.FEATURES, "law_sem", "in_law_sem_rank", "sem_gap_in_law"]
base = os.environ.get("BASE", "1") == "1"  # BASE=0 leaves out the no-channel row
seeds = [int(s) for s in os.environ.get("SEEDS", "8,9").split(",")]
tag = os.environ.get("TAG", "ssiens")
fits = [tuple(x.split(":")) for x in os.environ.get("FIT", "8:300:0.001:3").split(",")]
cache = Path("/tmp/retr_cache2")
pcache = cache / "ssiparams"
pcache.mkdir(exist_ok=True)
# fitted parameters differ with ssi.NEGFIX and the temperature (0.1 before these suffixes)
ptag = (("_negfix" if S.NEGFIX else "") + (f"_tau{S.TAU:g}" if S.TAU != 0.1 else "")
        + (f"_hard{S.HARD}p{S.HARDPOOL}" if S.HARD else ""))
compare = [c for c in os.environ.get("COMPARE", "ssid").split(",") if c]
runs = {(v, f): [] for v in (*(["base"] if base else []), *compare, tag) for f in fits}
t0 = time.time()


def fitted(name, toks, golds, seed):
    p = pcache / f"{name}{ptag}_s{seed}.npz"
    if p.exists():
        z = np.load(p)
        return z["U"], z["W"]
    U, W = S.fit(toks, golds, seed=seed)
    np.savez(p, U=U, W=W)
    print(f"  fitted {name} seed {seed} {time.time() - t0:.0f}s", flush=True)
    return U, W


REF_G = S.gold_rows(S.REF_G)
for f, test in enumerate(T.folds(len(ex), 5, 13)):
    held = set(test)
    tr_idx = [i for i in range(len(ex)) if i not in held]
    tr = [ex[i] for i in tr_idx]
    p = cache / f"{tag}_f{f}.pkl"
    if p.exists():
        Xs, ys, tests = pickle.loads(p.read_bytes())
    else:
        tr_toks = [tokenize(e.question) for e in tr]
        tr_gold = S.gold_rows([e.gold for e in tr])
        sem_tr = [None] * len(tr)
        for n, inner in enumerate(T.folds(len(tr), int(os.environ.get("INNER", "3")), 29)):
            ih = set(inner)
            keep = [j for j in range(len(tr)) if j not in ih]
            QI = S.qmat([tr_toks[j] for j in inner])
            acc = np.zeros((len(inner), ix.n), dtype=np.float32)
            for sd in seeds:
                U, W = fitted(f"f{f}i{n}", [tr_toks[j] for j in keep] + S.REF_T,
                              [tr_gold[j] for j in keep] + REF_G, sd)
                acc += (QI @ U) @ (S.Dm @ W).astype(np.float32).T
            for j, row in zip(inner, acc / len(seeds)):
                sem_tr[j] = row
        QT = S.qmat([tokenize(ex[i].question) for i in test])
        acc_te = np.zeros((len(test), ix.n), dtype=np.float32)
        for sd in seeds:
            U, W = fitted(f"f{f}", tr_toks + S.REF_T, tr_gold + REF_G, sd)
            acc_te += (QT @ U) @ (S.Dm @ W).astype(np.float32).T
        acc_te /= len(seeds)
        mem = H.memory(tr, ix)
        bound = R.BoundMemory(mem, ix)
        Xs, ys, tr_cands = [], [], []
        for j, e in enumerate(tr):
            c, X = R.features(ix, bound, tr_toks[j], bigrams=char_bigrams(e.question), exclude=j,
                              semantic=sem_tr[j])
            Xs.append(X)
            tr_cands.append(c)
            ys.append(np.array([ix.key(r) in e.gold for r in c], dtype=np.float32))
        tests = []
        for i, sc in zip(test, acc_te):
            q = ex[i].question
            c, X = R.features(ix, bound, tokenize(q), bigrams=char_bigrams(q), semantic=sc)
            tests.append((i, c, X))
        p.write_bytes(pickle.dumps((Xs, ys, tests)))
        (cache / f"{tag}_cands_f{f}.pkl").write_bytes(pickle.dumps(tr_cands))
        del sem_tr, acc_te
    rows = []
    if base:
        _, bXs, bys, btests = pickle.loads((cache / f"basekwrefv4_f{f}.pkl").read_bytes())
        rows.append(("base", bXs, bys, btests))
    rows += [(c, *pickle.loads((cache / f"{c}_f{f}.pkl").read_bytes())) for c in compare]
    H.rank_variants(runs, f, [*rows, (tag, Xs, ys, tests)], fits, ix, ex)
    print(f"fold {f + 1} {time.time() - t0:.0f}s", flush=True)
for (variant, fit), r in runs.items():
    print(tag, variant, ":".join(fit), summarize(r), flush=True)

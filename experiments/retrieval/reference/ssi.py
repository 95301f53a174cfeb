"""Supervised semantic indexing (Bai et al. 2009) as a candidate channel: a diagnostic.

score(q, d) = (q U) . (d W), q = idf-weighted question terms, d = BM25 row of the article's
"all" field, both L2-normalised; U, W learned from the memory (judged questions of the fold's
training part + FAQ + written reference questions) with a softmax over in-batch articles plus
articles of the same law (hard negatives). Question: does its top-N reach the gold articles the
lexical/memory candidates miss?  FOLDS=0,1 DIM=64 EPOCHS=8 NEG=4 TOPN=100,150,300.
"""
import glob
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/src")
sys.path.append("/tmp/scipy_site")
import scipy.sparse as sp  # noqa: E402
from cv2helpers import full_title  # noqa: E402

from fawang.knowledge.retrieval import train as T  # noqa: E402
from fawang.knowledge.retrieval.index import ArticleIndex  # noqa: E402
from fawang.knowledge.retrieval import semantic  # noqa: E402
from fawang.knowledge.retrieval.semantic import _other_gold  # noqa: E402  (the shipped mask)
from fawang.knowledge.retrieval.text import tokenize  # noqa: E402

ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
D = Path("/work/shared/data/benchmarks")
ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl") if e.gold]
titles = set(ix.law_titles)


def full(law):
    return full_title(law, titles)


REF_T, REF_G = [], []
for e in json.load(open("/work/main/src/fawang/consultation/data/faq.json"))["entries"]:
    REF_T.append(tokenize(e["question"] + " " + " ".join(e.get("keywords", []))))
    REF_G.append(sorted({(full(c["law"]), c["article"]) for c in e["citations"]}))
for path in sorted(glob.glob("/work/main/src/fawang/knowledge/retrieval/data/questions/*.jsonl")):
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        REF_T.append(tokenize(r["question"]))
        REF_G.append([(r["law"], r["article"])])

# Article matrix from the "all" postings (term -> docs CSR, transposed).
P = ix.fields["all"]
V = len(P.vocab)
term_of = np.repeat(np.arange(V), np.diff(P.indptr))
Dm = sp.csr_matrix((P.weights, (P.docs, term_of)), shape=(ix.n, V), dtype=np.float32)
norm = np.sqrt(np.asarray(Dm.multiply(Dm).sum(1)).ravel()) + 1e-9
Dm = sp.diags(1 / norm).astype(np.float32) @ Dm
df = np.diff(P.indptr)
idf = np.log(1 + (ix.n - df + 0.5) / (df + 0.5)).astype(np.float32)
qvocab = dict(P.vocab)
for toks in REF_T + [tokenize(e.question) for e in ex]:
    for t in toks:
        qvocab.setdefault(t, len(qvocab))
VQ = len(qvocab)
qidf = np.full(VQ, float(idf.max()), dtype=np.float32)
qidf[:V] = idf


def qmat(tok_lists):
    rows, cols, vals = [], [], []
    for i, toks in enumerate(tok_lists):
        ids = sorted({qvocab[t] for t in toks if t in qvocab})
        if not ids:
            continue
        w = qidf[ids]
        w = w / np.linalg.norm(w)
        rows += [i] * len(ids)
        cols += ids
        vals += w.tolist()
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(tok_lists), VQ), dtype=np.float32)


def gold_rows(golds):
    """(law, article) keys -> index rows, keys the index lacks dropped."""
    return [[ix.key_to_row[k] for k in g if k in ix.key_to_row] for g in golds]


law_start = {}
law_end = {}
for i in range(ix.n):
    lw = int(ix.law_of[i])
    law_start.setdefault(lw, i)
    law_end[lw] = i + 1

DIM = int(os.environ.get("DIM", "64"))
EPOCHS = int(os.environ.get("EPOCHS", "8"))
NEG = int(os.environ.get("NEG", "4"))
LR = float(os.environ.get("LR", "0.01"))
TAU = float(os.environ.get("TAU", "0.05"))
BATCH = 256
DECAY = int(os.environ.get("DECAY", "0"))
# NEGFIX=1: a question's own same-law negatives count against it (only its other gold articles
# are masked). Without it every column owned by the same question is masked, so the same-law
# negatives only ever act on the *other* questions of the batch.
NEGFIX = int(os.environ.get("NEGFIX", "0"))
# HARD=k: k more negatives per pair drawn from the question's HARDPOOL best BM25 articles
# ("all" field) that are not cited for it: the lexical look-alikes the ranker must tell apart.
HARD = int(os.environ.get("HARD", "0"))
HARDPOOL = int(os.environ.get("HARDPOOL", "30"))


def hard_pools(tok_lists, gold_rows):
    """The shipped `semantic._lexical_pools` with HARDPOOL as its pool size (until the seventh
    session's measurements were written up this was a copy of it; ties may come out in another
    order, so a rerun draws slightly different negatives)."""
    semantic.LEXICAL_POOL = HARDPOOL
    return semantic._lexical_pools(tok_lists, gold_rows, ix)


def fit(tok_lists, gold_rows, seed=7):
    rng = np.random.default_rng(seed)
    Q = qmat(tok_lists)
    pairs = [(i, g) for i, gs in enumerate(gold_rows) for g in gs]
    pairs = np.array(pairs, dtype=np.int64)
    pair_keys = np.unique(pairs[:, 0] * ix.n + pairs[:, 1])
    if HARD:
        t_h = time.time()
        pool = hard_pools(tok_lists, gold_rows)
        print(f"  hard pools {time.time() - t_h:.0f}s", flush=True)
    U = (rng.standard_normal((VQ, DIM)) * 0.1).astype(np.float32)
    W = U[:V].copy()  # tied start: shared words begin with the same vector
    mU = np.zeros_like(U); vU = np.zeros_like(U); mW = np.zeros_like(W); vW = np.zeros_like(W)
    step = 0
    total_steps = EPOCHS * ((len(pairs) + BATCH - 1) // BATCH)
    for ep in range(EPOCHS):
        rng.shuffle(pairs)
        tot = 0.0
        for s in range(0, len(pairs), BATCH):
            b = pairs[s:s + BATCH]
            qi, gi = b[:, 0], b[:, 1]
            negs = []
            for g in gi:
                lw = int(ix.law_of[g])
                negs.append(rng.integers(law_start[lw], law_end[lw], NEG))
            docs = np.concatenate([gi, np.concatenate(negs)])
            if HARD:
                hn = pool[qi[:, None], rng.integers(0, HARDPOOL, (len(qi), HARD))]
                docs = np.concatenate([docs, hn.ravel()])
            Qb = Q[qi]
            Db = Dm[docs]
            qe = Qb @ U
            de = Db @ W
            S = (qe @ de.T) / TAU
            # the same question's other gold articles are not negatives
            if NEGFIX:
                same = _other_gold(qi, docs, pair_keys, ix.n)
            else:
                same = (qi[:, None] == np.concatenate([qi, np.repeat(qi, NEG), np.repeat(qi, HARD)])[None, :])
            Y = np.zeros_like(S)
            Y[np.arange(len(b)), np.arange(len(b))] = 1
            S = np.where(same & (Y == 0), -1e9, S)
            S -= S.max(1, keepdims=True)
            Pm = np.exp(S)
            Pm /= Pm.sum(1, keepdims=True)
            tot += float(-np.log(Pm[np.arange(len(b)), np.arange(len(b))] + 1e-12).sum())
            G = (Pm - Y) / (TAU * len(b))
            gU = Qb.T @ (G @ de)
            gW = Db.T @ (G.T @ qe)
            step += 1
            lr = LR * (0.5 + 0.5 * np.cos(np.pi * step / total_steps)) if DECAY else LR
            for p_, g_, m_, v_ in ((U, gU, mU, vU), (W, gW, mW, vW)):
                g_ = np.asarray(g_, dtype=np.float32)
                m_ *= 0.9; m_ += 0.1 * g_
                v_ *= 0.999; v_ += 0.001 * g_ * g_
                p_ -= lr * (m_ / (1 - 0.9 ** step)) / (np.sqrt(v_ / (1 - 0.999 ** step)) + 1e-8)
        print(f"  epoch {ep} loss {tot / len(pairs):.3f}", flush=True)
    return U, W


def main():
    folds = [int(x) for x in os.environ.get("FOLDS", "0").split(",")]
    topns = [int(x) for x in os.environ.get("TOPN", "100,150,300").split(",")]
    cache = Path("/tmp/retr_cache2")
    t0 = time.time()
    agg = {"n": 0, "base": 0, **{f"ssi{n}": 0 for n in topns}, **{f"union{n}": 0 for n in topns},
           "ssi_r10": 0}
    for f, test in enumerate(T.folds(len(ex), 5, 13)):
        if f not in folds:
            continue
        held = set(test)
        tr = [e for i, e in enumerate(ex) if i not in held]
        toks = [tokenize(e.question) for e in tr] + REF_T
        gold = gold_rows([e.gold for e in tr]) + gold_rows(REF_G)
        U, W = fit(toks, gold)
        DE = (Dm @ W).astype(np.float32)
        print(f"fold {f} fitted {time.time() - t0:.0f}s", flush=True)
        trc, Xs, ys, tests = pickle.loads((cache / f"basekwrefv4_f{f}.pkl").read_bytes())
        QE = qmat([tokenize(ex[i].question) for i, _, _ in tests]) @ U
        for (i, c, _), qe in zip(tests, QE):
            s = DE @ qe
            order = np.argsort(-s)
            cset = set(c.tolist())
            for k in ex[i].gold:
                r = ix.key_to_row.get(k)
                agg["n"] += 1
                if r is None:
                    continue
                agg["base"] += r in cset
                rank = int(np.flatnonzero(order == r)[0])
                agg["ssi_r10"] += rank < 10
                for n in topns:
                    agg[f"ssi{n}"] += rank < n
                    agg[f"union{n}"] += (r in cset) or rank < n
    n = agg.pop("n")
    print({k: round(v / n, 4) for k, v in agg.items()}, "n", n, flush=True)


if __name__ == "__main__":
    main()

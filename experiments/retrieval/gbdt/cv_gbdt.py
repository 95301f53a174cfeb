"""Scratch: does a gradient-boosted-tree ranker (LightGBM) beat the shipped neural ranker on the
same candidates and features? 5-fold CV (seed 13) on the per-fold feature caches written by
`experiments/retrieval/cvcache.py` (leave-one-out features on the training folds, plain features
on the held-out fold: exactly what `train.train` / `train.cross_validate` compute).

Per outer fold, everything is chosen on an inner split of the TRAINING folds only (20 % of the
training questions, `train.folds(n_train, 5, seed=7)[0]`): the tree configuration (objective,
leaves, min data in leaf, number of trees) and the blend weight. Selection criterion: inner
R@10 + MRR@10. Then the neural ranker (shipped recipe) and the chosen trees are refitted on all
training questions of the fold and rank the held-out fold; the blend is a per-question z-scored sum.

Environment: FEAT=cache tag (default gb31), NF=number of folds, EXTRA=1 appends the cheap
"law context" features computed from the cached matrices (see `law_context`), GRID=small for a
quick check, OUT=directory for the per-fold log (JSON lines).

LightGBM lives outside the project venv (`pip install --target /tmp/lgbm lightgbm scipy`); it is
appended to sys.path so the venv's numpy is the one imported.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main/src")
sys.path.append("/tmp/lgbm")
import lightgbm as lgb

from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.index import ArticleIndex
from fawang.knowledge.retrieval.metrics import summarize

D = Path("/work/shared/data/benchmarks")
CACHE = Path("/tmp/retr_cache")
TREES = (100, 200, 300, 400)
COL = {name: i for i, name in enumerate(R.FEATURES)}
EXTRA_NAMES = ["law_vote_share", "law_cand_share", "law_knn_mass_share", "law_lex_mass_share",
               "q_knn_top", "q_all_top", "knn_rank_in_law"]


def law_context(X: np.ndarray) -> np.ndarray:
    """Extra features from the cached matrix alone (no index, no memory recomputation).

    Why: the neural ranker sees each candidate's law only through max-normalised values; how the
    memory vote and the lexical mass *split* between the candidate laws (is this law the clear
    winner or one of many?) and how strong the question's best matches are overall are
    query-level context a tree can condition on. The law of a candidate is identified inside its
    question by its `law_rank` value (ranks are distinct per law); the memory-vote share is taken
    over the candidate laws, which hold (nearly) every voted law because the memory channel adds
    the voted articles themselves.
    """
    n = X.shape[0]
    if n == 0:
        return np.zeros((0, len(EXTRA_NAMES)), dtype=np.float32)
    _, law = np.unique(X[:, COL["law_rank"]], return_inverse=True)
    n_laws = int(law.max()) + 1
    knn_law = np.zeros(n_laws)
    knn_law[law] = X[:, COL["knn_law_norm"]]
    vote = knn_law[law] / knn_law.sum() if knn_law.sum() > 0 else np.zeros(n)
    count = np.bincount(law, minlength=n_laws)
    knn = X[:, COL["knn_art_norm"]].astype(np.float64)
    lex = X[:, COL["lex_sum_norm"]].astype(np.float64)
    knn_mass = np.bincount(law, weights=knn, minlength=n_laws)
    lex_mass = np.bincount(law, weights=lex, minlength=n_laws)
    knn_share = knn_mass[law] / knn.sum() if knn.sum() > 0 else np.zeros(n)
    lex_share = lex_mass[law] / lex.sum() if lex.sum() > 0 else np.zeros(n)
    order = np.lexsort((np.arange(n), -knn, law))
    first = np.searchsorted(law[order], law[order], side="left")
    rank_in_law = np.empty(n)
    rank_in_law[order] = np.arange(n) - first
    knn_rank = np.where(knn > 0, 1.0 / np.log2(2.0 + rank_in_law), 0.0)
    return np.column_stack([
        vote, count[law] / n, knn_share, lex_share,
        np.full(n, X[:, COL["knn_art"]].max()), np.full(n, X[:, COL["all_log"]].max()), knn_rank,
    ]).astype(np.float32)


def thin_priors(X: np.ndarray, rng: np.random.Generator, keep_p: float) -> np.ndarray:
    """Citation priors with each citation kept at random with probability keep_p (rescaled).

    Why: training features are leave-one-out, so a law cited L times has law_prior log1p(L-1)
    in exactly the training questions that cite it and log1p(L) in all others. A tree can split
    on those exact values (the neural ranker cannot, being smooth), learns "this value means gold",
    and fails on held-out questions, where the prior is never reduced. Random thinning makes the
    value a noisy function of the count, so the one-citation difference no longer identifies the
    label; held-out rows are thinned the same way so both sides see the same distribution.
    """
    X = X.copy()
    for name in ("art_prior", "law_prior"):
        j = COL[name]
        count = np.rint(np.expm1(X[:, j].astype(np.float64))).astype(np.int64)
        X[:, j] = np.log1p(rng.binomial(count, keep_p) / keep_p)
    return X


def label_metrics(scores: list[np.ndarray], ys: list[np.ndarray], n_gold: list[int]) -> dict:
    """R@10, R@100, MRR@10, nDCG@10 from candidate labels (inner split: no candidate rows cached).

    Ties by candidate order = row order, as `np.lexsort((cands, -score))` does at run time.
    """
    r10 = r100 = mrr = ndcg = 0.0
    for s, y, g in zip(scores, ys, n_gold, strict=True):
        order = np.argsort(-s, kind="stable")
        hit = y[order] > 0
        r10 += hit[:10].sum() / g
        r100 += hit[:100].sum() / g
        top = np.flatnonzero(hit[:10])
        mrr += 1.0 / (top[0] + 1) if top.size else 0.0
        dcg = sum(1.0 / math.log2(i + 2) for i in top)
        ndcg += dcg / sum(1.0 / math.log2(i + 2) for i in range(min(10, g)))
    n = len(scores)
    return {"recall@10": r10 / n, "recall@100": r100 / n, "mrr@10": mrr / n, "ndcg@10": ndcg / n}


def crit(m: dict) -> float:
    return m["recall@10"] + m["mrr@10"]


def zsum(a: np.ndarray, b: np.ndarray, w: float) -> np.ndarray:
    """Blend of two scorers for one question: z-score each over the question's candidates."""
    def z(x: np.ndarray) -> np.ndarray:
        sd = float(x.std())
        return (x - x.mean()) / sd if sd > 1e-12 else x - x.mean()
    return (1.0 - w) * z(a) + w * z(b)


def fit_trees(Xs: list[np.ndarray], ys: list[np.ndarray], cfg: dict, n_trees: int) -> lgb.Booster:
    keep = [i for i, y in enumerate(ys) if y.sum() > 0]  # no gold among candidates: no gradient
    X = np.concatenate([Xs[i] for i in keep])
    y = np.concatenate([ys[i] for i in keep]).astype(np.int32)
    data = lgb.Dataset(X, y, group=[len(ys[i]) for i in keep], params={"verbose": -1})
    params = {
        "objective": cfg["objective"], "num_leaves": cfg["num_leaves"],
        "min_data_in_leaf": cfg["min_data_in_leaf"], "learning_rate": 0.05,
        "num_threads": 1, "seed": 13, "deterministic": True, "verbose": -1,
        "force_row_wise": True,
    }
    return lgb.train(params, data, num_boost_round=n_trees)


def grid() -> list[dict]:
    """Objective x (leaves, min data in leaf); the number of trees is read off each fit."""
    if os.environ.get("GRID") == "small":
        return [{"objective": "lambdarank", "num_leaves": 15, "min_data_in_leaf": 50}]
    return [{"objective": o, "num_leaves": nl, "min_data_in_leaf": md}
            for o, (nl, md) in itertools.product(("lambdarank", "rank_xendcg"), ((15, 50), (31, 20)))]


def neural_scores(tag: str, f: int, Xs: list, ys: list, tests: list, itr: list[int],
                  iva: list[int]) -> tuple[list, list]:
    """Shipped recipe (8 hidden, 300 steps, L2 1e-3) on the inner split and on the whole fold;
    cached, since it does not depend on the tree variant."""
    path = Path(os.environ.get("OUT", "/tmp/gbdt_out")) / f"nn_{tag}_f{f}.pkl"
    lock = path.with_suffix(".lock")
    while lock.exists() and not path.exists():  # another variant is fitting it right now
        time.sleep(5)
    if path.exists():
        return pickle.loads(path.read_bytes())
    lock.touch()
    nn_in = R.LinearRanker.fit([Xs[j] for j in itr], [ys[j] for j in itr], hidden=8, iters=300, l2=1e-3)
    nn = R.LinearRanker.fit(Xs, ys, hidden=8, iters=300, l2=1e-3)
    out = ([nn_in.score(Xs[j]) for j in iva], [nn.score(X) for _, _, X in tests])
    path.write_bytes(pickle.dumps(out))
    lock.unlink()
    return out


def main() -> None:
    ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
    ex = [e for e in T.read_examples(D / "statute-retrieval/train.jsonl") if e.gold]
    tag = os.environ.get("FEAT", "gb31")
    nf = int(os.environ.get("NF", "5"))
    extra = os.environ.get("EXTRA", "0") == "1"
    drop = [d for d in os.environ.get("DROP", "").split(",") if d]
    keep = [j for j, name in enumerate(R.FEATURES) if name not in drop]
    thin = float(os.environ.get("THIN", "0"))  # > 0: thin the priors (see thin_priors)
    variant = os.environ.get("NAME", f"{tag}{'_extra' if extra else ''}{'_no-' + '-'.join(drop) if drop else ''}"
                             f"{f'_thin{thin}' if thin else ''}")
    out = Path(os.environ.get("OUT", "/tmp/gbdt_out"))
    out.mkdir(parents=True, exist_ok=True)
    log = (out / f"folds_{variant}.jsonl").open("w")
    t0 = time.time()
    runs: dict[str, list] = {"neural": [], "trees": [], "blend": []}
    for f, test in enumerate(T.folds(len(ex), 5, 13)[:nf]):
        Xs, ys, tests = pickle.loads((CACHE / f"{tag}_f{f}.pkl").read_bytes())
        held = set(test)
        n_gold = [len(ex[i].gold) for i in range(len(ex)) if i not in held]
        iva = T.folds(len(Xs), 5, 7)[0]
        inner = set(iva)
        itr = [j for j in range(len(Xs)) if j not in inner]
        nn_val, nn_test = neural_scores(tag, f, Xs, ys, tests, itr, iva)

        rng = np.random.default_rng(13 + f)

        def tree_x(X: np.ndarray, rng: np.random.Generator = rng) -> np.ndarray:
            if thin:
                X = thin_priors(X, rng, thin)
            return np.hstack([X[:, keep], law_context(X)]) if extra else X[:, keep]

        Tx = [tree_x(X) for X in Xs]
        yv = [ys[j] for j in iva]
        gv = [n_gold[j] for j in iva]
        rec = {"fold": f + 1, "variant": variant, "inner_neural": label_metrics(nn_val, yv, gv), "inner_trees": []}
        best = None
        for cfg in grid():
            bst = fit_trees([Tx[j] for j in itr], [ys[j] for j in itr], cfg, max(TREES))
            for nt in TREES:
                sv = [bst.predict(Tx[j], num_iteration=nt) for j in iva]
                m = label_metrics(sv, yv, gv)
                rec["inner_trees"].append({**cfg, "trees": nt, **{k: round(v, 4) for k, v in m.items()}})
                if best is None or crit(m) > best[0]:
                    best = (crit(m), cfg, nt, sv)
        _, cfg, nt, sv = best
        # Blend weight of the trees: best inner R@10 + MRR@10; ties go to the smaller weight.
        blend_w = max((crit(label_metrics([zsum(a, b, w) for a, b in zip(nn_val, sv, strict=True)], yv, gv)), -w, w)
                      for w in np.round(np.arange(0.0, 1.01, 0.1), 2))[2]
        rec.update(chosen={**cfg, "trees": nt}, blend_w=float(blend_w))
        print(f"fold {f+1}: inner neural {crit(rec['inner_neural']):.4f}, chosen {cfg} x{nt} "
              f"{best[0]:.4f}, blend w={blend_w} ({time.time()-t0:.0f}s)", flush=True)
        bst = fit_trees(Tx, ys, cfg, nt)
        for (i, c, X), s_nn in zip(tests, nn_test, strict=True):
            s_tr = bst.predict(tree_x(X))
            for name, s in (("neural", s_nn), ("trees", s_tr), ("blend", zsum(s_nn, s_tr, blend_w))):
                order = np.lexsort((c, -s))[:100]
                runs[name].append(([ix.key(int(r)) for r in c[order]], set(ex[i].gold)))
        rec["fold_test"] = {name: summarize(r[-len(tests):]) for name, r in runs.items()}
        log.write(json.dumps(rec, ensure_ascii=False) + "\n")
        log.flush()
        print(f"fold {f+1} done {time.time()-t0:.0f}s " + json.dumps(rec["fold_test"]), flush=True)
    for name, r in runs.items():
        print(variant, name, summarize(r), flush=True)
    print(f"{time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()

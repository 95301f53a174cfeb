"""Scratch experiment (not part of the product): the statute-retrieval memory as extra supervision.

The retrieval engine's memory holds ~12,300 questions with the statutes they were answered with
(the judged STARD questions, our FAQ, the written reference questions). A question's nearest
memory questions by multilingual-e5-small (the retrieval engine's own neighbour vote: K = 100,
weight exp((cos - best) / 0.02)) vote for laws; this script asks whether that law vote, mapped
to the crowd's categories by a softmax regression learned on the dev labels (not by the rule
table), adds to the shipped classifier (0.6 NB + 0.4 E5 head). Needs views_cv.py's cache and
the memory's vectors from experiments/retrieval/encoder/embed_all.py (/tmp/e5r/emb.npz).

    OMP_NUM_THREADS=1 .venv/bin/python experiments/classify/lawvote_cv.py
"""

from __future__ import annotations

import glob
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from views_cv import CAT_INDEX, OUT, ROOT, head_probs, nb_logprobs, print_rows, sources

K, TAU = 100, 0.02


def norm(law: str) -> str:
    return law.removeprefix("中华人民共和国")


def memory() -> tuple[np.ndarray, list[set[str]]]:
    d = np.load("/tmp/e5r/emb.npz")
    pos = {t: i for i, t in enumerate(d["text"])}
    items: list[tuple[str, set[str]]] = []
    for line in open(ROOT / "../shared/data/benchmarks/statute-retrieval/train.jsonl", encoding="utf-8"):
        r = json.loads(line)
        items.append((r["question"], {norm(x["law"]) for x in r["relevant"]}))
    faq = json.load(open(ROOT / "src/fawang/consultation/data/faq.json", encoding="utf-8"))
    faq = faq["entries"] if isinstance(faq, dict) else faq
    items += [(e["question"], {norm(c["law"]) for c in e.get("citations", [])}) for e in faq]
    for f in sorted(glob.glob(str(ROOT / "src/fawang/knowledge/retrieval/data/questions/*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                items.append((r["question"], {norm(r["law"])}))
    items = [(q, laws) for q, laws in items if q in pos and laws]
    return d["emb"][[pos[q] for q, _ in items]].astype(np.float32), [laws for _, laws in items]


def law_votes(queries: np.ndarray, mem: np.ndarray, mem_laws: list[set[str]], law_index: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(queries), len(law_index)), dtype=np.float32)
    sims = queries @ mem.T
    for r, s in enumerate(sims):
        s = np.where(s > 0.999, -1.0, s)  # a question never votes for itself (FAQ rows are in the memory)
        top = np.argpartition(-s, K)[:K]
        best = s[top].max()
        vote: dict[int, float] = defaultdict(float)
        for j in top:
            w = float(np.exp((s[j] - best) / TAU))
            for law in mem_laws[j]:
                vote[law_index[law]] += w / len(mem_laws[j])
        total = sum(vote.values()) or 1.0
        for k, v in vote.items():
            out[r, k] = v / total
    return out


def main() -> None:
    gold, weak_rows, faq = sources()
    views = dict(np.load(OUT / "views.npz"))
    n_dev = int(views["n_dev"])
    q = views["q"]
    mem, mem_laws = memory()
    law_index = {law: i for i, law in enumerate(sorted(set().union(*mem_laws)))}
    votes = law_votes(q, mem, mem_laws, law_index)
    print(f"memory {len(mem_laws)} questions, {len(law_index)} laws; voted laws per question "
          f"{np.median((votes > 0).sum(axis=1)):.0f}", flush=True)
    labels = np.array([r["category"] for r in gold])
    y = np.array([CAT_INDEX[c] for c in labels])
    faq_labels = [e["category"] for e in faq]
    concat = np.hstack([q, votes])
    rows: dict[str, list[float]] = {}

    def score(name: str, probs: np.ndarray) -> None:
        rows.setdefault(name, []).append(float((probs.argmax(axis=1) == y).mean()))

    for seed in (13, 1, 2, 3):
        nb = nb_logprobs(gold, weak_rows, faq, seed, 5)
        head = head_probs(q, n_dev, labels, faq_labels, gold, seed, 5, 0.1)
        shipped = 0.6 * nb + 0.4 * head
        score("shipped 0.6 NB + 0.4 head", shipped)
        for l2 in (0.1, 1.0):
            lv = head_probs(votes, n_dev, labels, faq_labels, gold, seed, 5, l2)
            score(f"law-vote head l2={l2} alone", lv)
            for w in (0.1, 0.2, 0.3):
                score(f"shipped x (1-{w}) + law-vote head l2={l2} x {w}", (1 - w) * shipped + w * lv)
            cc = head_probs(concat, n_dev, labels, faq_labels, gold, seed, 5, l2)
            score(f"[q, law votes] head l2={l2} alone", cc)
            for w in (0.4, 0.5):
                score(f"0.6 NB + 0.4 [q, law votes] head l2={l2} (w {w})", (1 - w) * nb + w * cc)
    print_rows(rows)


if __name__ == "__main__":
    main()

"""Memory questions nearest in meaning: the sentence encoder's view of the memory.

The memory's neighbour vote (``ranker.features``) finds earlier questions by the words they
share with the new one (BM25 over question terms). A citizen rarely uses the words of the
question we wrote for an article, let alone of the statute: "房东不退押金" and "出租人扣留租赁保证金"
share nothing. The sentence encoder (``fawang.knowledge.encoder``, multilingual-e5-small) puts
such paraphrases close together. Here every memory entry (judged and reference questions) keeps
its encoder vector; a new question's cosine to each of them picks the ``K`` nearest, and they vote
for their articles and laws like the lexical neighbours do, weighted exp((sim − best) / TAU).

Measured alone, as a retriever over the memory (5-fold split of the training file, the memory of
each fold = the other folds' judged questions + our reference questions): the encoder's 100
nearest questions put a gold article in their vote's top 10 / top 100 for 0.627 / 0.852 of the
gold articles, against 0.477 / 0.621 for the lexical neighbours (docs/benchmarks.md).

Stored beside ``model.json`` as ``model.neighbours.npz`` (int8 rows with one scale each, like the
semantic vectors). Without the encoder at run time the engine uses the ranker trained without
these features (``RetrievalModel.fallback``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

K = 100  # nearest memory questions that vote
TAU = 0.02  # vote weight exp((sim - best) / TAU): the encoder's cosines sit close together


@dataclass
class MemoryVectors:
    """One unit vector per memory entry, in memory order."""

    vectors: np.ndarray  # (entries, dim) float32

    def similarities(self, question_vector: np.ndarray) -> np.ndarray:
        return self.vectors @ np.asarray(question_vector, dtype=np.float32)

    def to_bytes(self) -> bytes:
        scale = np.abs(self.vectors).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        q = np.round(self.vectors / scale).astype(np.int8)
        buf = io.BytesIO()
        np.savez_compressed(buf, q=q, scale=scale.astype(np.float32))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, raw: bytes) -> MemoryVectors:
        with np.load(io.BytesIO(raw)) as data:
            return cls((data["q"].astype(np.float32) * data["scale"]).astype(np.float32))

    def save(self, path: Path) -> None:
        path.write_bytes(self.to_bytes())


def votes(sim: np.ndarray, rows: list[np.ndarray], laws: list[np.ndarray], n_articles: int, n_laws: int,
          exclude: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Article and law votes of the ``K`` memory entries nearest by cosine ``sim``.

    ``rows`` / ``laws``: each entry's cited index rows and their laws (``BoundMemory``);
    ``exclude`` leaves one entry out (training, as for the lexical neighbours)."""
    art = np.zeros(n_articles, dtype=np.float32)
    law = np.zeros(n_laws, dtype=np.float32)
    if sim.size == 0:
        return art, law
    sim = sim.astype(np.float32, copy=True)
    if exclude is not None:
        sim[exclude] = -np.inf
    k = min(K, int(np.isfinite(sim).sum()))
    if k <= 0:
        return art, law
    near = np.argpartition(-sim, k - 1)[:k]
    near = near[np.lexsort((near, -sim[near]))]
    best = float(sim[near[0]])
    for j in near:
        w = float(np.exp((float(sim[j]) - best) / TAU))
        r = rows[j]
        if r.size:
            art[r] += w / r.size
            law[laws[j]] += w
    return art, law

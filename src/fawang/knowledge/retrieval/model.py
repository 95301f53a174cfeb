"""The shipped learned model: ranker weights + the memory of judged training questions.

Stored as one JSON file in the repository (`data/model.json`), produced by
`fawang train-retrieval TRAIN.jsonl`. The memory holds each training question only as its bag of
search terms (sorted, stopwords removed) with the cited articles, never the question text.
It refers to articles by (law title, label), so it survives re-imports of the corpus.

The semantic channel's word vectors (`semantic.py`) are binary and stored beside it as
`model.semantic.npz`; `model.json` records that file's SHA-256, so a model never runs with the
vectors of another training run (a mismatch is a stale model: lexical ranking and a warning).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .index import ArticleIndex
from .ranker import FEATURES, LinearRanker, Memory
from .semantic import SemanticModel

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
MODEL_VERSION = 2
SEMANTIC_SUFFIX = ".semantic.npz"


def semantic_path(model_path: Path) -> Path:
    """`model.json` → `model.semantic.npz` (one pair of files per model, wherever it is saved)."""
    return model_path.with_suffix(SEMANTIC_SUFFIX)


@dataclass
class RetrievalModel:
    ranker: LinearRanker
    memory: Memory
    info: dict
    semantic: SemanticModel | None = None
    # (index, its article vectors): computed for the index last used, kept while it is in use.
    _article_vectors: list = field(default_factory=list, repr=False, compare=False)

    def semantic_scores(self, index: ArticleIndex, terms: list[str]) -> np.ndarray | None:
        """The semantic model's score of every index row (None without one); the article
        vectors are computed once per index and kept."""
        if self.semantic is None:
            return None
        if not self._article_vectors or self._article_vectors[0] is not index:
            self._article_vectors[:] = [index, self.semantic.article_vectors(index)]
        return self._article_vectors[1] @ self.semantic.question_vector(terms)

    def to_json(self, semantic_sha256: str | None = None) -> str:
        return json.dumps({
            "version": MODEL_VERSION,
            "semantic_sha256": semantic_sha256,
            "features": FEATURES,
            "info": self.info,
            "mean": [round(float(x), 6) for x in self.ranker.mean],
            "scale": [round(float(x), 6) for x in self.ranker.scale],
            "weights": [round(float(x), 6) for x in self.ranker.weights],
            "hidden": None if self.ranker.w1 is None else {
                "w1": [[round(float(x), 6) for x in row] for row in self.ranker.w1],
                "b1": [round(float(x), 6) for x in self.ranker.b1],
                "v": [round(float(x), 6) for x in self.ranker.v]},
            "memory": [{"t": sorted(t), "a": sorted(a), "g": [list(k) for k in g]}
                       for t, a, g in zip(self.memory.terms, self.memory.extra, self.memory.gold, strict=True)],
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, semantic: SemanticModel | None = None) -> RetrievalModel:
        data = json.loads(text)
        if data.get("version") != MODEL_VERSION or data.get("features") != FEATURES:
            raise ValueError("retrieval model does not match this code; run `fawang train-retrieval`")
        ranker = LinearRanker(mean=np.array(data["mean"], dtype=np.float32),
                              scale=np.array(data["scale"], dtype=np.float32),
                              weights=np.array(data["weights"], dtype=np.float32))
        if data.get("hidden"):
            h = data["hidden"]
            ranker.w1 = np.array(h["w1"], dtype=np.float32)
            ranker.b1 = np.array(h["b1"], dtype=np.float32)
            ranker.v = np.array(h["v"], dtype=np.float32)
        memory = Memory([m["t"] for m in data["memory"]],
                        [[(law, label) for law, label in m["g"]] for m in data["memory"]],
                        [m.get("a", []) for m in data["memory"]])
        return cls(ranker=ranker, memory=memory, info=data.get("info", {}), semantic=semantic)

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = None
        vectors = semantic_path(path)
        if self.semantic is not None:
            self.semantic.save(vectors)
            digest = hashlib.sha256(vectors.read_bytes()).hexdigest()
        else:
            vectors.unlink(missing_ok=True)
        path.write_text(self.to_json(digest) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> RetrievalModel | None:
        if not path.exists():
            return None
        text = path.read_text(encoding="utf-8")
        digest = json.loads(text).get("semantic_sha256")
        semantic = None
        if digest:
            vectors = semantic_path(path)
            raw = vectors.read_bytes() if vectors.exists() else b""
            if hashlib.sha256(raw).hexdigest() != digest:
                raise ValueError(f"{vectors.name} is missing or from another training run")
            semantic = SemanticModel.from_bytes(raw)
        return cls.from_json(text, semantic)


def untrained_ranker() -> LinearRanker:
    """Used when no model has been trained (or it is stale): plain lexical weights."""
    return LinearRanker.lexical()

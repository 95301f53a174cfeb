"""The shipped learned model: ranker weights + the memory of judged training questions.

Stored as one JSON file in the repository (`data/model.json`), produced by
`fawang train-retrieval TRAIN.jsonl`. The memory holds each training question only as its bag of
search terms (sorted, stopwords removed) with the cited articles, never the question text.
It refers to articles by (law title, label), so it survives re-imports of the corpus.

The semantic channel's word vectors (`semantic.py`) are binary and stored beside it as
`model.semantic.npz`; `model.json` records that file's SHA-256, so a model never runs with the
vectors of another training run (a mismatch is a stale model: lexical ranking and a warning).
The same holds for the sentence encoder's vectors of the memory questions (`neighbours.py`),
`model.neighbours.npz`. A model trained with them also carries a `fallback` ranker trained
without them, used where the encoder is not installed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fawang.knowledge.encoder import get_encoder

from .index import DERIVED_PREFIX, ArticleIndex
from .neighbours import MemoryVectors
from .ranker import FEATURES, LinearRanker, Memory
from .semantic import SemanticModel

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
MODEL_VERSION = 2
SEMANTIC_SUFFIX = ".semantic.npz"
NEIGHBOURS_SUFFIX = ".neighbours.npz"


def semantic_path(model_path: Path) -> Path:
    """`model.json` → `model.semantic.npz` (one pair of files per model, wherever it is saved)."""
    return model_path.with_suffix(SEMANTIC_SUFFIX)


def neighbours_path(model_path: Path) -> Path:
    """`model.json` → `model.neighbours.npz`."""
    return model_path.with_suffix(NEIGHBOURS_SUFFIX)


def _ranker_to_json(ranker: LinearRanker) -> dict:
    return {
        "mean": [round(float(x), 6) for x in ranker.mean],
        "scale": [round(float(x), 6) for x in ranker.scale],
        "weights": [round(float(x), 6) for x in ranker.weights],
        "hidden": None if ranker.w1 is None else {
            "w1": [[round(float(x), 6) for x in row] for row in ranker.w1],
            "b1": [round(float(x), 6) for x in ranker.b1],
            "v": [round(float(x), 6) for x in ranker.v]},
    }


def _ranker_from_json(data: dict) -> LinearRanker:
    ranker = LinearRanker(mean=np.array(data["mean"], dtype=np.float32),
                          scale=np.array(data["scale"], dtype=np.float32),
                          weights=np.array(data["weights"], dtype=np.float32))
    if data.get("hidden"):
        h = data["hidden"]
        ranker.w1 = np.array(h["w1"], dtype=np.float32)
        ranker.b1 = np.array(h["b1"], dtype=np.float32)
        ranker.v = np.array(h["v"], dtype=np.float32)
    return ranker


def _save_beside(part: SemanticModel | MemoryVectors | None, path: Path) -> str | None:
    """Write one binary part next to `model.json` (or remove a stale one); its SHA-256."""
    if part is None:
        path.unlink(missing_ok=True)
        return None
    part.save(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checked_bytes(path: Path, digest: str) -> bytes:
    raw = path.read_bytes() if path.exists() else b""
    if hashlib.sha256(raw).hexdigest() != digest:
        raise ValueError(f"{path.name} is missing or from another training run")
    return raw


@dataclass
class RetrievalModel:
    ranker: LinearRanker
    memory: Memory
    info: dict
    semantic: SemanticModel | None = None
    # Sentence-encoder vectors of the memory entries, and the ranker to use without an encoder.
    neighbours: MemoryVectors | None = None
    fallback: LinearRanker | None = None
    # SHA-256 of the semantic vectors file (from model.json): names the stored article vectors.
    semantic_digest: str | None = None
    # (index, its article vectors): computed for the index last used, kept while it is in use.
    _article_vectors: list = field(default_factory=list, repr=False, compare=False)

    def prepare_article_vectors(self, index: ArticleIndex, directory: Path | None = None) -> None:
        """Make the semantic article vectors for ``index`` ready before the first search.

        Computing them is a sparse product over every posting (about 9 s for the default
        library's 25,000 articles on one core), which every web worker would repeat at each
        start. With ``directory`` (the saved index's folder) they are stored there once per
        index build and semantic model, and later processes map the file instead (shared page
        cache, no copy per worker)."""
        if self.semantic is None:
            return
        path = None
        if directory is not None and index.build_id and self.semantic_digest:
            path = directory / f"{DERIVED_PREFIX}semantic-{self.semantic_digest[:16]}-{index.build_id}.npy"
            try:
                vectors = np.load(path, mmap_mode="r")
                if vectors.shape == (index.n, self.semantic.statute_vectors.shape[1]):
                    self._article_vectors[:] = [index, vectors]
                    return
            except (OSError, ValueError):
                pass  # missing or unreadable: compute it again
        vectors = self.semantic.article_vectors(index)
        self._article_vectors[:] = [index, vectors]
        if path is not None:
            tmp = path.with_name(f"{path.stem}.tmp-{os.getpid()}-{threading.get_ident()}.npy")
            try:
                np.save(tmp, vectors)
                tmp.replace(path)
                for other in directory.glob(f"{DERIVED_PREFIX}semantic-*-{index.build_id}.npy"):
                    if other != path:  # a retrained model's predecessor
                        other.unlink(missing_ok=True)
            except OSError as exc:  # a read-only index folder only costs the next start the time
                tmp.unlink(missing_ok=True)
                logger.warning("semantic article vectors not stored: %s", exc)

    def semantic_scores(self, index: ArticleIndex, terms: list[str]) -> np.ndarray | None:
        """The semantic model's score of every index row (None without one); the article
        vectors are computed once per index and kept."""
        if self.semantic is None:
            return None
        if not self._article_vectors or self._article_vectors[0] is not index:
            self.prepare_article_vectors(index)
        return self._article_vectors[1] @ self.semantic.question_vector(terms)

    def question_neighbours(self, question: str) -> np.ndarray | None:
        """The encoder's cosine of `question` to every memory entry; None without the stored
        vectors or without an encoder in this process."""
        if self.neighbours is None:
            return None
        encoder = get_encoder()
        if encoder is None:
            return None
        return self.neighbours.similarities(encoder.encode([question])[0])

    def ranker_for(self, neighbours: np.ndarray | None) -> LinearRanker:
        """The ranker that matches the features at hand: the fallback when the neighbour
        features are missing (no encoder) and the model has one."""
        if neighbours is None and self.fallback is not None:
            return self.fallback
        return self.ranker

    def to_json(self, semantic_sha256: str | None = None, neighbours_sha256: str | None = None) -> str:
        return json.dumps({
            "version": MODEL_VERSION,
            "semantic_sha256": semantic_sha256,
            "neighbours_sha256": neighbours_sha256,
            "features": FEATURES,
            "info": self.info,
            **_ranker_to_json(self.ranker),
            "fallback": None if self.fallback is None else _ranker_to_json(self.fallback),
            "memory": [{"t": sorted(t), "a": sorted(a), "g": [list(k) for k in g]}
                       for t, a, g in zip(self.memory.terms, self.memory.extra, self.memory.gold, strict=True)],
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, semantic: SemanticModel | None = None,
                  neighbours: MemoryVectors | None = None) -> RetrievalModel:
        data = json.loads(text)
        if data.get("version") != MODEL_VERSION or data.get("features") != FEATURES:
            raise ValueError("retrieval model does not match this code; run `fawang train-retrieval`")
        ranker = _ranker_from_json(data)
        fallback = _ranker_from_json(data["fallback"]) if data.get("fallback") else None
        memory = Memory([m["t"] for m in data["memory"]],
                        [[(law, label) for law, label in m["g"]] for m in data["memory"]],
                        [m.get("a", []) for m in data["memory"]])
        if neighbours is not None and neighbours.vectors.shape[0] != len(memory):
            raise ValueError("neighbour vectors do not match the memory; run `fawang train-retrieval`")
        return cls(ranker=ranker, memory=memory, info=data.get("info", {}), semantic=semantic,
                   neighbours=neighbours, fallback=fallback)

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = _save_beside(self.semantic, semantic_path(path))
        nb_digest = _save_beside(self.neighbours, neighbours_path(path))
        path.write_text(self.to_json(digest, nb_digest) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> RetrievalModel | None:
        if not path.exists():
            return None
        text = path.read_text(encoding="utf-8")
        head = json.loads(text)
        semantic = neighbours = None
        if digest := head.get("semantic_sha256"):
            semantic = SemanticModel.from_bytes(_checked_bytes(semantic_path(path), digest))
        if digest := head.get("neighbours_sha256"):
            neighbours = MemoryVectors.from_bytes(_checked_bytes(neighbours_path(path), digest))
        model = cls.from_json(text, semantic, neighbours)
        model.semantic_digest = head.get("semantic_sha256")
        return model


def untrained_ranker() -> LinearRanker:
    """Used when no model has been trained (or it is stale): plain lexical weights."""
    return LinearRanker.lexical()

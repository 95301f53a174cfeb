"""The shipped learned model: ranker weights + the memory of judged training questions.

Stored as one JSON file in the repository (`data/model.json`), produced by
`fawang train-retrieval TRAIN.jsonl`. The memory holds each training question only as its bag of
search terms (sorted, stopwords removed) with the cited articles, never the question text.
It refers to articles by (law title, label), so it survives re-imports of the corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .ranker import FEATURES, LinearRanker, Memory

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
MODEL_VERSION = 1


@dataclass
class RetrievalModel:
    ranker: LinearRanker
    memory: Memory
    info: dict

    def to_json(self) -> str:
        return json.dumps({
            "version": MODEL_VERSION,
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
    def from_json(cls, text: str) -> RetrievalModel:
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
        return cls(ranker=ranker, memory=memory, info=data.get("info", {}))

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> RetrievalModel | None:
        if not path.exists():
            return None
        return cls.from_json(path.read_text(encoding="utf-8"))


def untrained_ranker() -> LinearRanker:
    """Used when no model has been trained (or it is stale): plain lexical weights."""
    return LinearRanker.lexical()

"""Training the ranker from judged questions (JSONL: {"question", "relevant": [{law, article}]}).

Each training question's features are computed leave-one-out (its own memory entry hidden), so
the ranker learns how much to trust the memory for a question it has *not* seen, which is the
situation of every real citizen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .index import ArticleIndex
from .model import RetrievalModel
from .ranker import BoundMemory, LinearRanker, Memory, features
from .text import tokenize

Key = tuple[str, str]


@dataclass(frozen=True)
class Example:
    question: str
    gold: frozenset[Key]
    # Optional lawyer answer (consultation-answers): its terms enrich the memory entry.
    answer: str = ""

    def memory_terms(self) -> list[str]:
        return tokenize(self.question) + tokenize(self.answer)


def read_examples(path: Path, answers: Path | None = None) -> list[Example]:
    """Judged questions from JSONL; answers joined by the numeric part of the id (lecoqa-7 ~ stard-7)."""
    by_num: dict[str, str] = {}
    if answers is not None:
        for line in answers.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                by_num[str(row["id"]).rsplit("-", 1)[-1]] = row.get("answer", "")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = frozenset((r["law"], r["article"]) for r in row.get("relevant", []))
        num = str(row.get("id", "")).rsplit("-", 1)[-1]
        out.append(Example(row["question"], gold, by_num.get(num, "")))
    return out


def train(examples: Iterable[Example], index: ArticleIndex, *, info: dict | None = None) -> RetrievalModel:
    examples = [e for e in examples if e.gold]
    memory = Memory([e.memory_terms() for e in examples], [sorted(e.gold) for e in examples])
    bound = BoundMemory(memory, index)
    Xs, ys = [], []
    for j, e in enumerate(examples):
        cands, X = features(index, bound, tokenize(e.question), exclude=j)
        Xs.append(X)
        ys.append(np.array([index.key(r) in e.gold for r in cands], dtype=np.float32))
    ranker = LinearRanker.fit(Xs, ys)
    return RetrievalModel(ranker=ranker, memory=memory, info={"n_examples": len(examples), **(info or {})})

"""Question classification into the 20 consultation categories.

``classify_question(text)`` loads the model shipped in ``data/model.json`` (built by
``fawang train-classifier``) once per process; a fresh clone classifies without ``../shared``.
The artifact carries its own query-expansion term map (``expansion.py``), so classifying needs
neither the law corpus nor the retrieval index.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fawang.knowledge.classify.categories import CATEGORIES
from fawang.knowledge.classify.model import NaiveBayes

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
FALLBACK_CATEGORY = "综合咨询"

__all__ = ["CATEGORIES", "MODEL_PATH", "classify_question", "get_model", "reset_model_cache"]


@lru_cache(maxsize=1)
def get_model() -> NaiveBayes:
    return NaiveBayes.load(MODEL_PATH)


def reset_model_cache() -> None:
    """After ``train-classifier`` rewrote the artifact in this process."""
    get_model.cache_clear()


def classify_question(text: str) -> tuple[str, float, list[tuple[str, float]]]:
    """(category, probability, top-3 [(category, probability)]) for one question.

    Empty text is 综合咨询 with score 0: the hotline still files it somewhere.
    """
    if not (text or "").strip():
        return FALLBACK_CATEGORY, 0.0, [(FALLBACK_CATEGORY, 0.0)]
    ranked = get_model().scores(text)
    top3 = [(c, round(p, 4)) for c, p in ranked[:3]]
    return top3[0][0], top3[0][1], top3

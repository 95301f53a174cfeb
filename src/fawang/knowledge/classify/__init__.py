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
# Below this probability the top category is more often wrong than right, so a citizen is shown
# the three likeliest instead of one. Measured on the dev questions' held-out folds (5-fold CV,
# seeds 13 and 1, shipped mix): about two thirds of questions reach 0.3 and their top category is
# right 69 % of the time; for the third below it, 31-36 % (top 3: 57-61 %).
CONFIDENT_SCORE = 0.3

__all__ = ["CATEGORIES", "CONFIDENT_SCORE", "MODEL_PATH", "classify_question", "get_model", "likely_categories",
           "reset_model_cache"]


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


def likely_categories(score: float, top3: list[tuple[str, float]] | list[list]) -> list[str]:
    """The category alone when the classifier is confident, else its three likeliest (as stored in
    ``SmartConsultation.category_top3``), best first; empty when nothing was stored."""
    names = [str(pair[0]) for pair in top3 if pair]
    return names[:1] if score >= CONFIDENT_SCORE else names[:3]

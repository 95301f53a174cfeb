"""Sentence-embedding head of the question classifier: an optional second opinion beside the NB.

Why: the naive Bayes learns from 15 labelled questions per category and a table of words; a
citizen who says "孩子在学校被打了" and one who says "未成年人校园欺凌" share no word. The sentence
encoder (``fawang.knowledge.encoder``, multilingual-e5-small) places both near each other. A
softmax regression over the 384 numbers of each question (``EmbeddingHead``) gives a second
probability vector, and the classifier mixes the two (``NaiveBayes.scores``). Nested
cross-validation measured +3.5 accuracy points for the mix over the NB alone
(experiments/classify/README.md, docs/benchmarks.md).

Without the encoder (not installed, or ``FAWANG_SENTENCE_ENCODER=0``) the classifier is the NB
alone, exactly as before; a model trained without it has no head.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fawang.knowledge.encoder import ENCODER_NAME, get_encoder

__all__ = ["ENCODER_NAME", "EmbeddingHead", "get_encoder"]


def _rounded(values: np.ndarray) -> list[float]:
    """Six significant digits: the artifact stays small (float32 carries about seven)."""
    return [float(f"{v:.6g}") for v in np.asarray(values, dtype=np.float64)]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class EmbeddingHead:
    """Softmax regression from a question's embedding to the categories, on standardised inputs.

    The recipe is the one measured in experiments/classify/e5_cv.py (full-batch Adam, 300 steps,
    rate 0.05, L2 on the weights), so the benchmark figures are this code's.
    """

    categories: list[str]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # dim x categories
    bias: np.ndarray
    l2: float

    @classmethod
    def fit(cls, x: np.ndarray, labels: Sequence[str], categories: Sequence[str], *, l2: float = 0.1,
            steps: int = 300, rate: float = 0.05, sample_weight: np.ndarray | None = None,
            targets: np.ndarray | None = None) -> EmbeddingHead:
        """``sample_weight`` (rows' shares of the loss) and soft ``targets`` (rows of category
        probabilities instead of ``labels``) serve experiments (experiments/classify/selftrain_cv.py);
        the shipped head uses neither."""
        index = {c: i for i, c in enumerate(categories)}
        y = np.array([index[c] for c in labels])
        x = np.asarray(x, dtype=np.float64)
        mean = x.mean(axis=0)
        scale = x.std(axis=0) + 1e-6
        xs = ((x - mean) / scale).astype(np.float32)
        if targets is None:
            onehot = np.zeros((len(y), len(categories)), dtype=np.float32)
            onehot[np.arange(len(y)), y] = 1.0
        else:
            onehot = np.asarray(targets, dtype=np.float32)
        if sample_weight is None:
            share = np.float32(1.0 / len(y))
        else:
            share = (np.asarray(sample_weight) / np.sum(sample_weight)).astype(np.float32)[:, None]
        weights = np.zeros((x.shape[1], len(categories)), dtype=np.float32)
        bias = np.zeros(len(categories), dtype=np.float32)
        m_w, v_w = np.zeros_like(weights), np.zeros_like(weights)
        m_b, v_b = np.zeros_like(bias), np.zeros_like(bias)
        for t in range(1, steps + 1):
            g = (_softmax(xs @ weights + bias) - onehot) * share
            g_w = xs.T @ g + l2 * weights
            g_b = g.sum(axis=0)
            m_w = 0.9 * m_w + 0.1 * g_w
            v_w = 0.999 * v_w + 0.001 * g_w * g_w
            m_b = 0.9 * m_b + 0.1 * g_b
            v_b = 0.999 * v_b + 0.001 * g_b * g_b
            c1, c2 = 1 - 0.9 ** t, 1 - 0.999 ** t
            weights = weights - rate * (m_w / c1) / (np.sqrt(v_w / c2) + 1e-8)
            bias = bias - rate * (m_b / c1) / (np.sqrt(v_b / c2) + 1e-8)
        return cls(list(categories), mean, scale, weights, bias, l2)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """One row of category probabilities per embedding row."""
        z = ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale).astype(np.float32) @ self.weights + self.bias
        return _softmax(z.astype(np.float64))

    def to_json(self) -> dict:
        return {"encoder": ENCODER_NAME, "categories": self.categories, "l2": self.l2,
                "mean": _rounded(self.mean), "scale": _rounded(self.scale),
                "weights": [_rounded(row) for row in self.weights], "bias": _rounded(self.bias)}

    @classmethod
    def from_json(cls, data: dict) -> EmbeddingHead:
        return cls(list(data["categories"]), np.array(data["mean"], dtype=np.float64),
                   np.array(data["scale"], dtype=np.float64), np.array(data["weights"], dtype=np.float32),
                   np.array(data["bias"], dtype=np.float32), float(data["l2"]))

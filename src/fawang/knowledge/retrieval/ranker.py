"""Candidate generation, features and the learned linear ranker.

Three signals, combined by a logistic-regression ranker trained on lawyer-judged questions:

* lexical: BM25 of the question over article text / chapter / law title (words the citizen
  shares with the statute);
* memory: the question's nearest *training* questions (BM25 over their terms) vote for the
  articles and laws a lawyer cited for them. Citizens word things their own way ("老板不给工资"),
  and a similar earlier question bridges that gap better than any synonym list;
* priors: how often an article / a law was cited in training, the law's level, expired flag.

Everything is deterministic: ties are broken by row order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .index import ArticleIndex, Postings

KNN_K = 30
CAND_PER_CHANNEL = 150

FEATURES = [
    "all_norm", "all_log", "text_norm", "chapter_norm", "title_norm", "knn_art_norm", "knn_art",
    "knn_law_norm", "art_prior", "law_prior", "expired", "knn_neighbour", "law_text_norm",
    "all_rank", "lvl_law", "lvl_ji", "lvl_reg", "all_x_knn_law", "text_x_knn_law", "knn_art_rank",
]


@dataclass
class Memory:
    """Training questions as bags of terms with the articles a lawyer cited for them."""

    terms: list[list[str]]
    gold: list[list[tuple[str, str]]]
    postings: Postings = field(init=False)

    def __post_init__(self) -> None:
        self.postings = Postings.build(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


class BoundMemory:
    """A memory resolved against one index: gold keys become row numbers (missing ones dropped)."""

    def __init__(self, memory: Memory, index: ArticleIndex) -> None:
        self.memory = memory
        self.rows = [np.array(sorted({index.key_to_row[k] for k in g if k in index.key_to_row}),
                              dtype=np.int64) for g in memory.gold]
        self.laws = [np.unique(index.law_of[r]) for r in self.rows]
        self.art_count = np.zeros(index.n, dtype=np.float32)
        self.law_count = np.zeros(len(index.law_titles), dtype=np.float32)
        for r, laws in zip(self.rows, self.laws, strict=True):
            self.art_count[r] += 1
            self.law_count[laws] += 1


def _norm(x: np.ndarray) -> np.ndarray:
    m = float(x.max()) if x.size else 0.0
    return x / m if m > 0 else x


def _top(x: np.ndarray, k: int) -> np.ndarray:
    k = min(k, x.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-x, k - 1)[:k]
    return part[x[part] > 0]


def features(index: ArticleIndex, memory: BoundMemory | None, terms: Sequence[str], *,
             exclude: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Candidate rows and their feature matrix (len(FEATURES) columns) for one question.

    `exclude` leaves one memory entry out: training computes a question's features as if it had
    never been seen, exactly as a new question will be at run time.
    """
    n_laws = len(index.law_titles)
    s_all = index.fields["all"].score(terms)
    s_text = index.fields["text"].score(terms)
    s_chap = index.fields["chapter"].score(terms)
    s_title = index.title_postings.score(terms)
    knn_art = np.zeros(index.n, dtype=np.float32)
    knn_law = np.zeros(n_laws, dtype=np.float32)
    art_count = np.zeros(index.n, dtype=np.float32)
    law_count = np.zeros(n_laws, dtype=np.float32)
    if memory is not None and len(memory.memory):
        sim = memory.memory.postings.score(terms)
        art_count = memory.art_count
        law_count = memory.law_count
        if exclude is not None:
            sim[exclude] = 0.0
            art_count = art_count.copy()
            law_count = law_count.copy()
            art_count[memory.rows[exclude]] -= 1
            law_count[memory.laws[exclude]] -= 1
        near = _top(sim, KNN_K)
        near = near[np.argsort(-sim[near], kind="stable")]
        if near.size:
            top = float(sim[near[0]])
            for j in near:
                w = (float(sim[j]) / top) ** 2
                rows = memory.rows[j]
                if rows.size:
                    knn_art[rows] += w / rows.size
                    knn_law[memory.laws[j]] += w
    all_n, text_n, chap_n = _norm(s_all), _norm(s_text), _norm(s_chap)
    title_n, knn_law_n, knn_art_n = _norm(s_title), _norm(knn_law), _norm(knn_art)
    law_text = np.maximum.reduceat(s_all, index.law_starts)
    law_text_n = _norm(law_text)

    near_art = _top(knn_art, CAND_PER_CHANNEL)
    # Articles next to the ones similar questions cited: gold sets are often runs (990, 991, 992).
    src = np.tile(near_art[:50], 4)
    around = src + np.repeat(np.array([-2, -1, 1, 2]), min(50, near_art.size))
    ok = (around >= 0) & (around < index.n)
    src, around = src[ok], around[ok]
    around = around[index.law_of[around] == index.law_of[src]]
    cands = np.unique(np.concatenate([
        _top(s_all, CAND_PER_CHANNEL),
        near_art,
        around,
        _top(all_n + knn_law_n[index.law_of], CAND_PER_CHANNEL),
        _top(text_n + title_n[index.law_of], CAND_PER_CHANNEL // 3),
    ]))
    if cands.size == 0:
        return cands, np.zeros((0, len(FEATURES)), dtype=np.float32)
    law = index.law_of[cands]
    # Rank among candidates approximates rank in the whole corpus (top lexical are all inside).
    all_rank = np.empty(cands.size)
    all_rank[np.argsort(-s_all[cands], kind="stable")] = np.arange(cands.size)
    knn_rank = np.empty(cands.size)
    knn_rank[np.argsort(-knn_art[cands], kind="stable")] = np.arange(cands.size)
    prev = np.where(index.prev_same[cands], knn_art_n[np.maximum(cands - 1, 0)], 0.0)
    nxt = np.where(index.next_same[cands], knn_art_n[np.minimum(cands + 1, index.n - 1)], 0.0)
    lvl = index.law_level[law]
    X = np.column_stack([
        all_n[cands], np.log1p(s_all[cands]), text_n[cands], chap_n[cands], title_n[law],
        knn_art_n[cands], np.minimum(knn_art[cands], 3.0), knn_law_n[law],
        np.log1p(art_count[cands]), np.log1p(law_count[law]), (~index.in_force[cands]).astype(np.float32),
        prev + nxt, law_text_n[law], 1.0 / np.log2(2.0 + all_rank),
        lvl == 0, lvl == 1, lvl == 2, all_n[cands] * knn_law_n[law], text_n[cands] * knn_law_n[law],
        np.where(knn_art[cands] > 0, 1.0 / np.log2(2.0 + knn_rank), 0.0),
    ]).astype(np.float32)
    return cands, X


@dataclass
class LinearRanker:
    """Standardised features -> weights; score = w . (x - mean) / scale."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    def score(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean) / self.scale) @ self.weights

    @classmethod
    def fit(cls, Xs: list[np.ndarray], ys: list[np.ndarray], *, l2: float = 1e-3,
            iters: int = 400) -> LinearRanker:
        """Listwise softmax loss per question (each question's gold share a softmax over its
        candidates): optimises the top of the ranking, not the calibration of every pair.

        Plain full-batch gradient descent with Adam: deterministic and numpy-only.
        """
        X_all = np.concatenate(Xs).astype(np.float64)
        mean = X_all.mean(axis=0)
        scale = X_all.std(axis=0)
        scale[scale < 1e-9] = 1.0
        groups = [((X.astype(np.float64) - mean) / scale, y.astype(np.float64))
                  for X, y in zip(Xs, ys, strict=True) if y.sum() > 0]
        w = np.zeros(X_all.shape[1])
        m = np.zeros_like(w)
        v = np.zeros_like(w)
        lr, b1, b2 = 0.05, 0.9, 0.999
        for t in range(1, iters + 1):
            grad = l2 * w
            for Z, y in groups:
                s = Z @ w
                p = np.exp(s - s.max())
                p /= p.sum()
                target = y / y.sum()
                grad += Z.T @ (p - target) / len(groups)
            m = b1 * m + (1 - b1) * grad
            v = b2 * v + (1 - b2) * grad * grad
            w -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + 1e-8)
        return cls(mean=mean.astype(np.float32), scale=scale.astype(np.float32),
                   weights=w.astype(np.float32))

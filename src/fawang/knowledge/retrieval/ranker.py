"""Candidate generation, features and the learned linear ranker.

Four signals, combined by a small neural ranker trained on lawyer-judged questions:

* lexical: BM25 of the question over article text / chapter / law title (words the citizen
  shares with the statute);
* memory: the question's nearest *training* questions (BM25 over their terms) vote for the
  articles and laws a lawyer cited for them. Citizens word things their own way ("老板不给工资"),
  and a similar earlier question bridges that gap better than any synonym list;
* semantic: learned word vectors (`semantic.py`) score every article by meaning, so an article
  that shares no word with the question can still become a candidate;
* neighbours by meaning: the memory questions nearest to the question by the sentence encoder
  (`neighbours.py`, when it is installed) vote for their articles and laws, as the lexical
  neighbours do;
* priors: how often an article / a law was cited in training, the law's level, expired flag.

Everything is deterministic: ties are broken by row order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import neighbours as _neighbours
from .index import ArticleIndex, Postings

KNN_K = 30
KNN_POWER = 2.0  # a neighbour votes with (its similarity / the nearest one's) ** KNN_POWER
CAND_PER_CHANNEL = 150
HIDDEN = 8  # hidden units of the ranker (0 = linear); 8 measured better in CV
ITERS = 300
SEEDS = 5  # rankers fitted from different random starts and averaged (one net of SEEDS x HIDDEN units)
L2 = 1e-3
XLAT_MIN = 2  # a question word needs this many judged pairs before it is translated
XLAT_P = 0.3  # min P(statute word | question word)
XLAT_TERMS = 20
LAW_TOP = 3  # law channel: the best-scoring laws of a question ...
LAW_CANDS = 30  # ... contribute this many of their own best lexical matches as candidates
SEM_CANDS = 100  # candidates from the semantic channel (semantic.py)

FEATURES = [
    "all_norm", "all_log", "text_norm", "chapter_norm", "title_norm", "knn_art_norm", "knn_art",
    "knn_law_norm", "art_prior", "law_prior", "expired", "knn_neighbour", "law_text_norm",
    "all_rank", "lvl_law", "lvl_ji", "lvl_reg", "all_x_knn_law", "text_x_knn_law", "knn_art_rank",
    "xlat_norm", "xlat_log", "xlat_x_knn_law", "knn_window", "knn_window_x_all",
    "bigram_norm", "bigram_x_knn_law",
    "law_score_norm", "law_rank", "in_law_rank", "lex_sum_norm",
    "sem", "sem_gap", "sem_rank", "sem_x_knn_law",
    "nb_art_norm", "nb_art_rank", "nb_law_norm", "nb_window",
]
NEIGHBOUR_FEATURES = 4  # the last columns: zero when there is no encoder
AROUND_TOP = 50  # candidates: articles around the memory's best articles ...
AROUND_SPAN = 2  # ... this many either side
WINDOW = 6  # articles either side that count as "the same part of the law"


@dataclass
class Memory:
    """Training questions as bags of terms with the articles a lawyer cited for them.

    `extra` holds further terms of an entry used only for question similarity (the terms of a
    lawyer's answer to it), never for the term map, which links *question* words to statute words.
    """

    terms: list[list[str]]
    gold: list[list[tuple[str, str]]]
    extra: list[list[str]] | None = None
    postings: Postings = field(init=False)

    def __post_init__(self) -> None:
        if self.extra is None:
            self.extra = [[] for _ in self.terms]
        self.postings = Postings.build([t + e for t, e in zip(self.terms, self.extra, strict=True)])

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
        self._learn_term_map(index)

    def _learn_term_map(self, index: ArticleIndex) -> None:
        """Question word -> statute words that co-occur with it across judged pairs.

        For each training question, its (distinct) terms are paired with the distinct text terms
        of the articles cited for it: "老板" ends up linked to "用人单位", "工资" to "劳动报酬".
        Only counts are kept, so one entry's own contribution can be subtracted (leave-one-out).
        """
        text = index.fields["text"]
        gold_rows = np.unique(np.concatenate(self.rows)) if self.rows else np.zeros(0, dtype=np.int64)
        term_of_entry = np.repeat(np.arange(len(text.indptr) - 1), np.diff(text.indptr))
        mask = np.isin(text.docs, gold_rows)
        row_terms: dict[int, set[int]] = {}
        for d, t in zip(text.docs[mask].tolist(), term_of_entry[mask].tolist(), strict=True):
            row_terms.setdefault(d, set()).add(t)
        self.art_terms = [set().union(*(row_terms.get(int(r), set()) for r in rows)) if rows.size else set()
                          for rows in self.rows]
        self.q_count: dict[str, int] = {}
        self.co: dict[str, dict[int, int]] = {}
        for terms, aterms in zip(self.memory.terms, self.art_terms, strict=True):
            if not aterms:
                continue
            for t in set(terms):
                self.q_count[t] = self.q_count.get(t, 0) + 1
                row = self.co.setdefault(t, {})
                for a in aterms:
                    row[a] = row.get(a, 0) + 1
        df = np.diff(text.indptr)
        self.text_idf = np.log(1 + (index.n - df + 0.5) / (df + 0.5))
        self.text_vocab = sorted(text.vocab, key=text.vocab.__getitem__)

    def expansion(self, terms: Sequence[str], exclude: int | None = None) -> dict[str, float]:
        """Statute words for a question's words, weighted by P(statute word | question word)."""
        own_q = set(self.memory.terms[exclude]) if exclude is not None else set()
        own_a = self.art_terms[exclude] if exclude is not None else set()
        boosts: dict[int, float] = {}
        for t in dict.fromkeys(terms):
            row = self.co.get(t)
            if not row:
                continue
            nq = self.q_count[t] - (t in own_q)
            if nq < XLAT_MIN:
                continue
            for a, c in row.items():
                c -= t in own_q and a in own_a
                if c < XLAT_MIN:
                    continue
                w = c / nq
                if w >= XLAT_P and w > boosts.get(a, 0.0):
                    boosts[a] = w
        ranked = sorted(boosts.items(), key=lambda kv: (-kv[1] * self.text_idf[kv[0]], kv[0]))[:XLAT_TERMS]
        query = set(terms)
        return {self.text_vocab[a]: w for a, w in ranked if self.text_vocab[a] not in query}


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
             bigrams: Sequence[str] = (), exclude: int | None = None,
             semantic: np.ndarray | None = None,
             neighbours: np.ndarray | Callable[[], np.ndarray | None] | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Candidate rows and their feature matrix (len(FEATURES) columns) for one question.

    `exclude` leaves one memory entry out: training computes a question's features as if it had
    never been seen, exactly as a new question will be at run time. `semantic` is the semantic
    model's score of every index row for this question (None: no such channel, its features 0).
    `neighbours` is the sentence encoder's cosine of the question to every memory entry (None:
    no encoder, its features 0), or a function giving it: it is called only after the lexical
    scores, so the engine can encode the question in another thread meanwhile.
    """
    n_laws = len(index.law_titles)
    s_all = index.fields["all"].score(terms)
    s_text = index.fields["text"].score(terms)
    s_chap = index.fields["chapter"].score(terms)
    s_title = index.title_postings.score(terms)
    s_big = index.fields["bigram"].score(bigrams)
    knn_art = np.zeros(index.n, dtype=np.float32)
    s_xlat = np.zeros(index.n, dtype=np.float32)
    knn_law = np.zeros(n_laws, dtype=np.float32)
    art_count = np.zeros(index.n, dtype=np.float32)
    law_count = np.zeros(n_laws, dtype=np.float32)
    if memory is not None and len(memory.memory):
        sim = memory.memory.postings.score(terms)
        boosts = memory.expansion(terms, exclude)
        if boosts:
            s_xlat = index.fields["text"].score(boosts, boosts)
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
                w = (float(sim[j]) / top) ** KNN_POWER
                rows = memory.rows[j]
                if rows.size:
                    knn_art[rows] += w / rows.size
                    knn_law[memory.laws[j]] += w
    if callable(neighbours):
        neighbours = neighbours()
    nb_art = np.zeros(index.n, dtype=np.float32)
    nb_law = np.zeros(n_laws, dtype=np.float32)
    if neighbours is not None and memory is not None and len(memory.memory):
        nb_art, nb_law = _neighbours.votes(neighbours, memory.rows, memory.laws, index.n, n_laws, exclude)
    nb_art_n, nb_law_n = _norm(nb_art), _norm(nb_law)
    all_n, text_n, chap_n = _norm(s_all), _norm(s_text), _norm(s_chap)
    title_n, knn_law_n, knn_art_n = _norm(s_title), _norm(knn_law), _norm(knn_art)
    xlat_n = _norm(s_xlat)
    big_n = _norm(s_big)
    law_text = np.maximum.reduceat(s_all, index.law_starts)
    law_text_n = _norm(law_text)
    # Law channel: most gold articles sit in a handful of laws, and inside the right law a
    # lexical match is far less ambiguous than across 58k articles. A law is scored by the
    # memory's law vote, its title and its best article match; its best articles by a combined
    # lexical score (word, bigram, term-map fields) join the candidates even when they are too
    # weak corpus-wide.
    lex = all_n + big_n + xlat_n
    law_score = (knn_law_n + nb_law_n + 0.5 * title_n + 0.5 * law_text_n
                 + 0.3 * _norm(np.maximum.reduceat(s_big, index.law_starts)))
    law_score_n = _norm(law_score)
    law_ends = np.append(index.law_starts[1:], index.n)
    top_laws = _top(law_score, LAW_TOP)
    top_laws = top_laws[np.lexsort((top_laws, -law_score[top_laws]))]
    in_law = [index.law_starts[law] + _top(lex[index.law_starts[law]:law_ends[law]], LAW_CANDS)
              for law in top_laws]

    near_art = _top(knn_art, CAND_PER_CHANNEL)
    # Articles next to the ones similar questions cited: gold sets are often runs (990, 991, 992).
    near_art = near_art[np.lexsort((near_art, -knn_art[near_art]))]
    offsets = np.array([d for d in range(-AROUND_SPAN, AROUND_SPAN + 1) if d])
    src = np.tile(near_art[:AROUND_TOP], offsets.size)
    around = src + np.repeat(offsets, min(AROUND_TOP, near_art.size))
    ok = (around >= 0) & (around < index.n)
    src, around = src[ok], around[ok]
    around = around[index.law_of[around] == index.law_of[src]]
    cands = np.unique(np.concatenate([
        _top(s_all, CAND_PER_CHANNEL),
        near_art,
        around,
        _top(all_n + knn_law_n[index.law_of], CAND_PER_CHANNEL),
        _top(text_n + title_n[index.law_of], CAND_PER_CHANNEL // 3),
        _top(xlat_n + knn_law_n[index.law_of], CAND_PER_CHANNEL // 2),
        _top(big_n + knn_law_n[index.law_of], CAND_PER_CHANNEL // 2),
        *in_law,
        # Semantic channel: articles the question's meaning points at, whatever their words.
        *([] if semantic is None else [_top(semantic - semantic.min() + 1e-6, SEM_CANDS)]),
        # Articles the questions nearest in meaning were answered with.
        _top(nb_art, CAND_PER_CHANNEL),
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
    law_rank = np.empty(len(index.law_titles))
    law_rank[np.argsort(-law_score, kind="stable")] = np.arange(law_rank.size)
    # Rank inside its own law among the candidates (candidates hold each top law's best matches).
    by_law = np.lexsort((-lex[cands], law))
    first = np.searchsorted(law[by_law], law[by_law], side="left")
    in_law_rank = np.empty(cands.size)
    in_law_rank[by_law] = np.arange(cands.size) - first
    # Memory mass in the surrounding articles of the same law: similar questions cited this
    # part of the law (same chapter, in practice) even if not this very article.
    start = index.law_starts[law]
    end = law_ends[law]

    def window_mass(votes: np.ndarray) -> np.ndarray:
        csum = np.concatenate([[0.0], np.cumsum(votes, dtype=np.float64)])
        return np.log1p(csum[np.minimum(cands + WINDOW + 1, end)] - csum[np.maximum(cands - WINDOW, start)])

    window = window_mass(knn_art_n)
    nb_window = window_mass(nb_art_n)
    nb_rank = np.empty(cands.size)
    nb_rank[np.argsort(-nb_art[cands], kind="stable")] = np.arange(cands.size)
    nb_cols = np.column_stack([nb_art_n[cands], np.where(nb_art[cands] > 0, 1.0 / np.log2(2.0 + nb_rank), 0.0),
                               nb_law_n[law], nb_window]).astype(np.float32)
    X = np.column_stack([
        all_n[cands], np.log1p(s_all[cands]), text_n[cands], chap_n[cands], title_n[law],
        knn_art_n[cands], np.minimum(knn_art[cands], 3.0), knn_law_n[law],
        np.log1p(art_count[cands]), np.log1p(law_count[law]), (~index.in_force[cands]).astype(np.float32),
        prev + nxt, law_text_n[law], 1.0 / np.log2(2.0 + all_rank),
        lvl == 0, lvl == 1, lvl == 2, all_n[cands] * knn_law_n[law], text_n[cands] * knn_law_n[law],
        np.where(knn_art[cands] > 0, 1.0 / np.log2(2.0 + knn_rank), 0.0),
        xlat_n[cands], np.log1p(s_xlat[cands]), xlat_n[cands] * knn_law_n[law],
        window, window * all_n[cands],
        big_n[cands], big_n[cands] * knn_law_n[law],
        law_score_n[law], 1.0 / np.log2(2.0 + law_rank[law]), 1.0 / np.log2(2.0 + in_law_rank),
        lex[cands] / 3.0,
    ]).astype(np.float32)
    if semantic is None:
        sem_cols = np.zeros((cands.size, 4), dtype=np.float32)
    else:
        sem = semantic[cands]
        sem_rank = np.empty(cands.size)
        sem_rank[np.argsort(-sem, kind="stable")] = np.arange(cands.size)
        sem_cols = np.column_stack([sem, sem - float(semantic.max()), 1.0 / np.log2(2.0 + sem_rank),
                                    sem * knn_law_n[law]])
    return cands, np.column_stack([X, sem_cols, nb_cols]).astype(np.float32)


@dataclass
class LinearRanker:
    """Standardised features z = (x - mean) / scale; score = w.z + v.tanh(W1 z + b1).

    The hidden layer (optional, `hidden` units) lets the ranker learn interactions such as
    "trust the memory only when the nearest question is really close"; with hidden=0 it is a
    plain linear model.
    """

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    w1: np.ndarray | None = None  # (hidden, features)
    b1: np.ndarray | None = None
    v: np.ndarray | None = None

    def score(self, X: np.ndarray) -> np.ndarray:
        z = (X - self.mean) / self.scale
        out = z @ self.weights
        if self.w1 is not None and self.w1.size:
            out = out + np.tanh(z @ self.w1.T + self.b1) @ self.v
        return out

    @classmethod
    def lexical(cls) -> LinearRanker:
        """No training: BM25 over all fields first, the text field as tie-breaker."""
        weights = np.zeros(len(FEATURES), dtype=np.float32)
        weights[FEATURES.index("all_norm")] = 1.0
        weights[FEATURES.index("text_norm")] = 0.2
        weights[FEATURES.index("expired")] = -0.5
        return cls(mean=np.zeros(len(FEATURES), dtype=np.float32),
                   scale=np.ones(len(FEATURES), dtype=np.float32), weights=weights)

    @classmethod
    def average(cls, rankers: Sequence[LinearRanker]) -> LinearRanker:
        """The mean of several rankers' scores, as one ranker: their hidden units side by side.

        Rankers fitted on the same data share `mean` and `scale`; a small net's result depends on
        its random start, and the average of a few starts ranks better than any one of them
        (5-fold CV in docs/benchmarks.md), at no cost in format or much in speed.
        """
        first = rankers[0]
        n = len(rankers)
        weights = np.mean([r.weights for r in rankers], axis=0).astype(np.float32)
        if first.w1 is None:
            return cls(mean=first.mean, scale=first.scale, weights=weights)
        return cls(mean=first.mean, scale=first.scale, weights=weights,
                   w1=np.concatenate([r.w1 for r in rankers]), b1=np.concatenate([r.b1 for r in rankers]),
                   v=(np.concatenate([r.v for r in rankers]) / n).astype(np.float32))

    @classmethod
    def fit(cls, Xs: list[np.ndarray], ys: list[np.ndarray], *, l2: float = 1e-3,
            iters: int = 400, hidden: int = 0, seed: int = 7) -> LinearRanker:
        """Listwise softmax loss per question (its gold articles share the target mass): it
        optimises the top of each question's ranking rather than every pair's calibration.

        Full-batch Adam over all questions at once, numpy-only and deterministic (fixed seed).
        """
        keep = [i for i, y in enumerate(ys) if y.sum() > 0]
        if not keep:  # nothing learnable (no gold among any candidates): plain lexical order
            return cls.lexical()
        X_all = np.concatenate([Xs[i] for i in keep]).astype(np.float64)
        y_all = np.concatenate([ys[i] for i in keep]).astype(np.float64)
        mean = X_all.mean(axis=0)
        scale = X_all.std(axis=0)
        scale[scale < 1e-9] = 1.0
        Z = (X_all - mean) / scale
        sizes = np.array([len(ys[i]) for i in keep])
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        group = np.repeat(np.arange(len(keep)), sizes)
        target = y_all / np.add.reduceat(y_all, starts)[group]
        n_groups = len(keep)
        d = Z.shape[1]
        rng = np.random.default_rng(seed)
        params = {"w": np.zeros(d)}
        if hidden:
            params.update(w1=rng.normal(0, 0.1, (hidden, d)), b1=np.zeros(hidden), v=rng.normal(0, 0.1, hidden))
        m = {k: np.zeros_like(p) for k, p in params.items()}
        vv = {k: np.zeros_like(p) for k, p in params.items()}
        lr, b1_, b2_ = 0.05 if not hidden else 0.02, 0.9, 0.999
        for t in range(1, iters + 1):
            s = Z @ params["w"]
            if hidden:
                H = np.tanh(Z @ params["w1"].T + params["b1"])
                s = s + H @ params["v"]
            e = np.exp(s - np.maximum.reduceat(s, starts)[group])
            p = e / np.add.reduceat(e, starts)[group]
            g = (p - target) / n_groups
            grads = {"w": Z.T @ g + l2 * params["w"]}
            if hidden:
                grads["v"] = H.T @ g + l2 * params["v"]
                dA = (g[:, None] * params["v"][None, :]) * (1 - H * H)
                grads["w1"] = dA.T @ Z + l2 * params["w1"]
                grads["b1"] = dA.sum(axis=0)
            for k, gr in grads.items():
                m[k] = b1_ * m[k] + (1 - b1_) * gr
                vv[k] = b2_ * vv[k] + (1 - b2_) * gr * gr
                params[k] -= lr * (m[k] / (1 - b1_**t)) / (np.sqrt(vv[k] / (1 - b2_**t)) + 1e-8)
        f32 = np.float32
        return cls(mean=mean.astype(f32), scale=scale.astype(f32), weights=params["w"].astype(f32),
                   w1=params["w1"].astype(f32) if hidden else None,
                   b1=params["b1"].astype(f32) if hidden else None,
                   v=params["v"].astype(f32) if hidden else None)

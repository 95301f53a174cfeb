"""A learned semantic channel: supervised semantic indexing (Bai et al., 2009), numpy only.

Citizens and statutes rarely share words ("机票退不了" against 民法典 第五百零九条's "当事人应当
按照约定全面履行自己的义务"), and the term map only translates one word into another. Here every
question word gets a vector U[w] and every statute word a vector W[w] (64 numbers each), learned
so that a question's vector (the idf-weighted sum of its words') points at the articles cited for
it: score(q, d) = (q U) . (d W), with d the article's normalised BM25 row. Training pairs are the
memory's questions (judged and reference) with their articles; each is contrasted with the other
articles of its batch and with random articles of the same law, so the model learns both "which
law" and "which article in it". Optionally (LEXICAL_NEGATIVES) also with the question's best BM25
articles that are not cited for it: off, because it sharpened the channel's own top 10 but not
the ranking end to end (docs/benchmarks.md, "Lexical hard negatives").

The model gives every article a score, so it is both a candidate channel (articles no word of
the question reaches) and a feature of the ranker. MODELS such models from different random
starts are averaged: each learns a slightly different geometry from the same few thousand
questions, and their mean ranks better than any one (docs/benchmarks.md). Query cost: one
59k x (MODELS x 64) product (~3-4 ms for four models, one thread). The article vectors are
computed when the engine loads (a few seconds for the national corpus) and never stored: they
follow the index.

Stored next to `model.json` as `model.semantic.npz` (int8 rows with one scale each, ~12 MB for
four models), words as strings, so it survives re-imports like the memory does.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .index import ArticleIndex

DIM = 64  # per model; a stored model of MODELS averaged models has MODELS x DIM numbers a word
MODELS = 4  # models from different random starts, averaged (2nd, 3rd: better in CV; 4th: better on 3 of 4 metrics)
EPOCHS = 8
BATCH = 256
SAME_LAW_NEGATIVES = 4  # per pair: random articles of the gold article's law
# Per pair: random draws among the question's LEXICAL_POOL best BM25 articles that are not cited
# for it -- the lexical look-alikes the ranker has to tell apart. 0 turns them off.
LEXICAL_NEGATIVES = 0
LEXICAL_POOL = 30
LEARNING_RATE = 0.003  # Adam, cosine-decayed to zero: a constant rate let the loss climb back
TEMPERATURE = 0.1
INIT_SCALE = 0.1
CHUNK = 400_000  # postings per block when computing article vectors (bounds memory to ~100 MB)


def _doc_major(index: ArticleIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The "all" field as doc-major CSR (indptr, term ids, weights), rows L2-normalised."""
    postings = index.fields["all"]
    terms = np.repeat(np.arange(len(postings.vocab), dtype=np.int32), np.diff(postings.indptr))
    order = np.argsort(postings.docs, kind="stable")
    docs = postings.docs[order]
    terms, weights = terms[order], postings.weights[order].astype(np.float32)
    indptr = np.zeros(index.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=index.n), out=indptr[1:])
    norms = np.sqrt(np.add.reduceat(weights * weights, indptr[:-1])) if weights.size else np.zeros(0)
    norms = np.where(np.diff(indptr) > 0, norms, 1.0)
    weights /= np.repeat(norms, np.diff(indptr)).astype(np.float32)
    return indptr, terms, weights


def _rows_times(indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, rows: np.ndarray,
               matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Selected CSR rows times a dense matrix, and the selection as (row position, col, value)."""
    starts, ends = indptr[rows], indptr[rows + 1]
    lens = ends - starts
    pos = np.repeat(np.arange(rows.size), lens)
    offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
    flat = np.repeat(starts - offsets, lens) + np.arange(int(lens.sum()))
    c, v = cols[flat], vals[flat]
    out = np.zeros((rows.size, matrix.shape[1]), dtype=np.float32)
    if c.size:
        _segment_sum(out, pos, matrix[c] * v[:, None])
    return out, pos, c, v


def _segment_sum(out: np.ndarray, pos: np.ndarray, contrib: np.ndarray) -> None:
    """out[pos[i]] += contrib[i] for sorted `pos` (reduceat, much faster than np.add.at)."""
    uniq, first = np.unique(pos, return_index=True)
    out[uniq] += np.add.reduceat(contrib, first, axis=0)


def _scatter_rows(n_rows: int, cols: np.ndarray, contrib: np.ndarray) -> np.ndarray:
    """Dense (n_rows, DIM) gradient: contrib rows summed per col."""
    out = np.zeros((n_rows, contrib.shape[1]), dtype=np.float32)
    if cols.size:
        order = np.argsort(cols, kind="stable")
        _segment_sum(out, cols[order], contrib[order])
    return out


@dataclass
class SemanticModel:
    question_words: list[str]
    question_vectors: np.ndarray  # (len(question_words), DIM)
    statute_words: list[str]
    statute_vectors: np.ndarray  # (len(statute_words), DIM)
    statute_idf: np.ndarray  # per statute word; a question word the statutes lack weighs the maximum

    def __post_init__(self) -> None:
        self._qpos = {w: i for i, w in enumerate(self.question_words)}
        self._spos = {w: i for i, w in enumerate(self.statute_words)}

    # -- use -----------------------------------------------------------------------------------
    def article_vectors(self, index: ArticleIndex) -> np.ndarray:
        """One vector per index row: its normalised BM25 row times the statute word vectors."""
        vocab = index.fields["all"].vocab
        table = np.zeros((len(vocab) + 1, self.statute_vectors.shape[1]), dtype=np.float32)
        for word, tid in vocab.items():
            j = self._spos.get(word)
            if j is not None:
                table[tid] = self.statute_vectors[j]
        indptr, terms, weights = _doc_major(index)
        out = np.zeros((index.n, table.shape[1]), dtype=np.float32)
        doc_of = np.repeat(np.arange(index.n), np.diff(indptr))
        for lo in range(0, terms.size, CHUNK):
            hi = min(lo + CHUNK, terms.size)
            _segment_sum(out, doc_of[lo:hi], table[terms[lo:hi]] * weights[lo:hi, None])
        return out

    def question_vector(self, terms: Sequence[str]) -> np.ndarray:
        qpos, spos = self._qpos, self._spos
        words = [w for w in dict.fromkeys(terms) if w in qpos or w in spos]
        vec = np.zeros(self.question_vectors.shape[1], dtype=np.float32)
        if not words:
            return vec
        top = float(self.statute_idf.max()) if self.statute_idf.size else 1.0
        weights = np.array([self.statute_idf[spos[w]] if w in spos else top for w in words], dtype=np.float32)
        weights /= float(np.linalg.norm(weights))
        for w, x in zip(words, weights, strict=True):
            # A word no training question used: its own statute vector, i.e. "find this word".
            vec += x * (self.question_vectors[qpos[w]] if w in qpos else self.statute_vectors[spos[w]])
        return vec

    # -- files ---------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """int8 rows with one float32 scale each: a quarter of float32, no measurable loss."""
        def quantise(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            scale = np.abs(m).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            return np.round(m / scale[:, None]).astype(np.int8), scale.astype(np.float32)

        qv, qs = quantise(self.question_vectors)
        sv, ss = quantise(self.statute_vectors)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, question_words=np.array("\n".join(self.question_words)), question_vectors=qv,
            question_scale=qs, statute_words=np.array("\n".join(self.statute_words)),
            statute_vectors=sv, statute_scale=ss, statute_idf=self.statute_idf.astype(np.float32))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> SemanticModel | None:
        return cls.from_bytes(path.read_bytes()) if path.exists() else None

    @classmethod
    def from_bytes(cls, raw: bytes) -> SemanticModel:
        with np.load(io.BytesIO(raw)) as data:
            def words(key: str) -> list[str]:
                text = str(data[key])
                return text.split("\n") if text else []

            return cls(
                question_words=words("question_words"),
                question_vectors=data["question_vectors"].astype(np.float32) * data["question_scale"][:, None],
                statute_words=words("statute_words"),
                statute_vectors=data["statute_vectors"].astype(np.float32) * data["statute_scale"][:, None],
                statute_idf=data["statute_idf"].astype(np.float32))


def fit(questions: Sequence[Sequence[str]], gold_rows: Sequence[Sequence[int]], index: ArticleIndex,
        *, seed: int = 7, models: int | None = None) -> SemanticModel:
    """Learn the word vectors from (question terms, cited index rows); deterministic for a seed.

    `models` models are trained from the seeds seed, seed + 1, ... and averaged. The average of
    their scores, sum_k (q U_k).(d W_k) / K, is itself one model whose vectors are the K models'
    side by side, each scaled by 1/sqrt(K): nothing downstream (storage, article vectors, the
    fallback of an unseen question word to its statute vector) needs to know there were several.
    """
    models = MODELS if models is None else models  # read at call time: benchmarks vary it
    parts = [_fit_one(questions, gold_rows, index, seed=seed + k) for k in range(models)]
    if len(parts) == 1:
        return parts[0]
    scale = np.float32(1.0 / math.sqrt(len(parts)))
    first = parts[0]
    return SemanticModel(
        question_words=first.question_words,
        question_vectors=np.hstack([p.question_vectors for p in parts]) * scale,
        statute_words=first.statute_words,
        statute_vectors=np.hstack([p.statute_vectors for p in parts]) * scale,
        statute_idf=first.statute_idf)


def _other_gold(questions: np.ndarray, docs: np.ndarray, pair_keys: np.ndarray, n_docs: int) -> np.ndarray:
    """Mask of the softmax columns that are *not* negatives for each row: the articles cited for
    the row's question other than the row's own gold (column i of row i is the positive).

    Everything else is a negative, the question's own same-law draws included: they are what
    teaches "which article of the law" (until 2026-12 every column drawn for the same question
    was masked, so those draws only ever counted against the other questions of the batch).
    `pair_keys` are the sorted question * n_docs + article keys of all training pairs.
    """
    keys = questions[:, None] * n_docs + docs[None, :]
    at = np.minimum(np.searchsorted(pair_keys, keys), max(pair_keys.size - 1, 0))
    mask = pair_keys[at] == keys if pair_keys.size else np.zeros(keys.shape, dtype=bool)
    diag = np.arange(questions.size)
    mask[diag, diag] = False
    return mask


def _lexical_pools(questions: Sequence[Sequence[str]], gold_rows: Sequence[Sequence[int]],
                   index: ArticleIndex) -> np.ndarray:
    """Each question's LEXICAL_POOL best articles by BM25 over the "all" field, its own cited
    articles left out (rows padded with their first entry when the corpus is smaller)."""
    postings = index.fields["all"]
    width = min(LEXICAL_POOL, max(index.n - 1, 1))
    pool = np.zeros((len(questions), width), dtype=np.int64)
    for i, (terms, gold) in enumerate(zip(questions, gold_rows, strict=True)):
        scores = postings.score(terms)
        take = min(index.n, width + len(gold))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        cited = set(gold)
        kept = [int(t) for t in top if int(t) not in cited][:width]
        if kept:
            pool[i, :len(kept)] = kept
            pool[i, len(kept):] = kept[0]
    return pool


def _fit_one(questions: Sequence[Sequence[str]], gold_rows: Sequence[Sequence[int]], index: ArticleIndex,
             *, seed: int) -> SemanticModel:
    """One model from one random start (its vocabularies depend on the data only, not the seed)."""
    rng = np.random.default_rng(seed)
    postings = index.fields["all"]
    statute_words = list(postings.vocab)  # vocab ids are positions in this (sorted) list
    n_stat = len(statute_words)
    df = np.diff(postings.indptr)
    stat_idf = np.log(1 + (index.n - df + 0.5) / (df + 0.5)).astype(np.float32)
    qvocab = {w: i for i, w in enumerate(statute_words)}
    for terms in questions:
        for w in terms:
            qvocab.setdefault(w, len(qvocab))
    max_idf = float(stat_idf.max()) if stat_idf.size else 1.0
    qidf = np.full(len(qvocab), max_idf, dtype=np.float32)
    qidf[:n_stat] = stat_idf

    # Questions as CSR (idf weights, L2-normalised).
    q_indptr, q_cols, q_vals = [0], [], []
    for terms in questions:
        ids = sorted({qvocab[w] for w in terms})
        w = qidf[ids] if ids else np.zeros(0, dtype=np.float32)
        if ids:
            w = w / float(np.linalg.norm(w))
        q_cols.extend(ids)
        q_vals.extend(w.tolist())
        q_indptr.append(len(q_cols))
    qi_ptr = np.array(q_indptr, dtype=np.int64)
    qi_cols = np.array(q_cols, dtype=np.int64)
    qi_vals = np.array(q_vals, dtype=np.float32)
    d_indptr, d_cols, d_vals = _doc_major(index)

    law_start = index.law_starts[index.law_of]
    law_end = np.append(index.law_starts[1:], index.n)[index.law_of]
    pairs = np.array([(i, g) for i, gs in enumerate(gold_rows) for g in gs], dtype=np.int64).reshape(-1, 2)
    pairs = pairs[np.diff(qi_ptr)[pairs[:, 0]] > 0] if pairs.size else pairs
    pair_keys = np.unique(pairs[:, 0] * index.n + pairs[:, 1])
    pool = _lexical_pools(questions, gold_rows, index) if LEXICAL_NEGATIVES else None

    U = (rng.standard_normal((len(qvocab), DIM)) * INIT_SCALE).astype(np.float32)
    W = U[:n_stat].copy()  # tied start: a word shared by question and statute begins as a match
    adam = {k: (np.zeros_like(m), np.zeros_like(m)) for k, m in (("U", U), ("W", W))}
    steps_per_epoch = max(1, math.ceil(len(pairs) / BATCH))
    total = EPOCHS * steps_per_epoch
    step = 0
    for _ in range(EPOCHS):
        rng.shuffle(pairs)
        for s in range(0, len(pairs), BATCH):
            batch = pairs[s:s + BATCH]
            qi, gi = batch[:, 0], batch[:, 1]
            negs = (law_start[gi][:, None] + (rng.random((gi.size, SAME_LAW_NEGATIVES))
                                               * (law_end[gi] - law_start[gi])[:, None]).astype(np.int64))
            docs = np.concatenate([gi, negs.ravel()])
            if pool is not None:
                picks = rng.integers(0, pool.shape[1], (qi.size, LEXICAL_NEGATIVES))
                docs = np.concatenate([docs, pool[qi[:, None], picks].ravel()])
            qe, qpos, qc, qv = _rows_times(qi_ptr, qi_cols, qi_vals, qi, U)
            de, dpos, dc, dv = _rows_times(d_indptr, d_cols, d_vals, docs, W)
            logits = (qe @ de.T) / TEMPERATURE
            diag = np.arange(qi.size)
            mask = _other_gold(qi, docs, pair_keys, index.n)
            logits[mask] = -1e9
            logits -= logits.max(axis=1, keepdims=True)
            prob = np.exp(logits)
            prob /= prob.sum(axis=1, keepdims=True)
            prob[diag, diag] -= 1.0
            grad = prob / (TEMPERATURE * qi.size)
            g_qe = grad @ de  # (batch, DIM)
            g_de = grad.T @ qe  # (docs, DIM)
            step += 1
            rate = LEARNING_RATE * (0.5 + 0.5 * math.cos(math.pi * step / total))
            for name, param, cols, contrib in (("U", U, qc, g_qe[qpos] * qv[:, None]),
                                               ("W", W, dc, g_de[dpos] * dv[:, None])):
                g = _scatter_rows(param.shape[0], cols, contrib)
                m, v = adam[name]
                m *= 0.9
                m += 0.1 * g
                v *= 0.999
                v += 0.001 * g * g
                param -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    trained_q = sorted({int(c) for c in qi_cols[np.isin(np.repeat(np.arange(len(questions)), np.diff(qi_ptr)),
                                                            np.unique(pairs[:, 0]))]}) if pairs.size else []
    inv = {i: w for w, i in qvocab.items()}
    return SemanticModel(
        question_words=[inv[i] for i in trained_q],
        question_vectors=U[trained_q],
        statute_words=statute_words,
        statute_vectors=W,
        statute_idf=stat_idf)

"""The article index: BM25 postings per field, kept as numpy arrays in files.

Why our own index and not the FTS backend: the ranker needs a BM25 score for *every* article of
the corpus per field (text, law title, chapter) in a few milliseconds, plus structural arrays
(which law an article belongs to, its neighbours); a term -> (doc ids, weights) CSR in numpy
gives that at ~1 ms per field on 58k articles, and it is the same code on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .text import char_bigrams, tokenize

K1 = 1.2
B = 0.75
FORMAT_VERSION = 2

# Levels as small integers for the ranker's one-hot features.
LEVELS = ["law", "judicial_interpretation", "administrative_regulation", "other"]


def level_code(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else LEVELS.index("other")


@dataclass(frozen=True)
class ArticleRecord:
    """What the index needs of one article (from the DB or, in experiments, from markdown)."""

    article_id: int
    law_title: str
    label: str
    chapter: str
    section: str
    text: str
    in_force: bool = True
    level: str = "law"


class Postings:
    """BM25 weights of one field as term -> CSR row, scored into a dense per-document array."""

    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, docs: np.ndarray,
                 weights: np.ndarray, n_docs: int) -> None:
        self.vocab = vocab
        self.indptr = indptr
        self.docs = docs
        self.weights = weights
        self.n_docs = n_docs

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> Postings:
        """BM25 weights of every (term, document) pair, terms in sorted order, documents ascending.

        Vectorised: the national corpus has ~9 million such pairs, and a Python loop over them
        took most of the index build (and so of `import-laws`). Only the mapping of tokens to
        term numbers walks the tokens in Python.
        """
        n = len(token_lists)
        first_seen: dict[str, int] = {}  # term -> number in order of first occurrence
        seen_ids = np.fromiter((first_seen.setdefault(t, len(first_seen)) for toks in token_lists for t in toks),
                               dtype=np.int64)
        terms = sorted(first_seen)
        vocab = {t: i for i, t in enumerate(terms)}
        to_sorted = np.array([vocab[t] for t in first_seen], dtype=np.int64)
        lens = np.array([len(t) for t in token_lists], dtype=np.int64)
        avg = float(lens.mean()) if n and lens.sum() else 1.0
        # One key per token occurrence, term-major: the distinct keys are the CSR's entries in
        # order, their counts the term frequencies.
        stride = max(n, 1)
        keys, tf = np.unique(to_sorted[seen_ids] * stride + np.repeat(np.arange(n, dtype=np.int64), lens),
                             return_counts=True)
        term, doc = keys // stride, keys % stride
        df = np.bincount(term, minlength=len(terms)).astype(np.float64)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B + B * lens / avg)
        weights = (idf[term] * tf * (K1 + 1) / (tf + norm[doc])).astype(np.float32)
        indptr = np.zeros(len(terms) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(df.astype(np.int64))
        return cls(vocab, indptr, doc.astype(np.int32), weights, n)

    def score(self, terms: Iterable[str], boosts: dict[str, float] | None = None) -> np.ndarray:
        """Sum of BM25 weights of the (distinct) query terms; `boosts` weighs expansion terms."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for t in dict.fromkeys(terms):
            tid = self.vocab.get(t)
            if tid is None:
                continue
            lo, hi = self.indptr[tid], self.indptr[tid + 1]
            w = self.weights[lo:hi]
            if boosts is not None:
                w = w * boosts.get(t, 1.0)
            out[self.docs[lo:hi]] += w
        return out

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_indptr": self.indptr, f"{prefix}_docs": self.docs, f"{prefix}_weights": self.weights}


# Files computed from one build of the index and stored beside it, named with its build id
# (e.g. the semantic article vectors, model.py); a new build removes the old ones.
DERIVED_PREFIX = "derived-"


class ArticleIndex:
    """All articles that retrieval may return, one row each, plus per-field postings.

    Rows are ordered by law then position, so an article's neighbours are rows i-1 and i+1 when
    they share its law (neighbouring articles are often cited together).
    """

    FIELDS = ("all", "text", "chapter", "bigram")

    def __init__(self, *, article_ids: np.ndarray, law_of: np.ndarray, law_titles: list[str],
                 labels: list[str], in_force: np.ndarray, law_level: np.ndarray,
                 fields: dict[str, Postings], title_postings: Postings, build_id: str = "") -> None:
        self.article_ids = article_ids
        # Names this build of the index once saved (files derived from it carry it; "" = unsaved
        # or an index file from before build ids).
        self.build_id = build_id
        self.law_of = law_of
        self.law_titles = law_titles
        self.labels = labels
        self.in_force = in_force
        self.law_level = law_level
        self.fields = fields
        self.title_postings = title_postings  # one "document" per law
        self.n = len(article_ids)
        self.key_to_row = {(law_titles[law_of[i]], labels[i]): i for i in range(self.n)}
        same_prev = np.zeros(self.n, dtype=bool)
        same_prev[1:] = law_of[1:] == law_of[:-1]
        self.prev_same = same_prev
        self.next_same = np.zeros(self.n, dtype=bool)
        self.next_same[:-1] = same_prev[1:]
        self.law_starts = np.flatnonzero(~same_prev).astype(np.int64)

    def key(self, row: int) -> tuple[str, str]:
        return self.law_titles[self.law_of[row]], self.labels[row]

    @classmethod
    def build(cls, records: Iterable[ArticleRecord]) -> ArticleIndex:
        """Keep one row per (law title, label): the in-force version wins.

        Citizens ask about the law in force, so a superseded version of a title that also exists
        in force is left out entirely; an expired law with no successor stays (flagged) because
        a question may still concern it.
        """
        recs = list(records)
        titles_in_force = {r.law_title for r in recs if r.in_force}
        chosen: dict[tuple[str, str], ArticleRecord] = {}
        for r in sorted(recs, key=lambda r: (not r.in_force, r.article_id)):
            if not r.in_force and r.law_title in titles_in_force:
                continue
            chosen.setdefault((r.law_title, r.label), r)
        law_titles = sorted({r.law_title for r in chosen.values()})
        law_pos = {t: i for i, t in enumerate(law_titles)}
        # Contiguous per law (for per-law maxima with reduceat) and in article order inside it.
        rows = sorted(chosen.values(), key=lambda r: (law_pos[r.law_title], r.article_id))
        law_level = np.zeros(len(law_titles), dtype=np.int8)
        for r in rows:
            law_level[law_pos[r.law_title]] = level_code(r.level)
        text_toks = [tokenize(r.text) for r in rows]
        headings: dict[str, list[str]] = {}  # one heading is shared by all articles of a chapter
        chap_toks = []
        for r in rows:
            heading = f"{r.chapter} {r.section}"
            if heading not in headings:
                headings[heading] = tokenize(heading)
            chap_toks.append(headings[heading])
        title_toks = {t: tokenize(t) for t in law_titles}
        fields = {
            "text": Postings.build(text_toks),
            "chapter": Postings.build(chap_toks),
            "bigram": Postings.build([char_bigrams(r.text) for r in rows]),
            "all": Postings.build([a + c + title_toks[r.law_title]
                                   for a, c, r in zip(text_toks, chap_toks, rows, strict=True)]),
        }
        return cls(
            article_ids=np.array([r.article_id for r in rows], dtype=np.int64),
            law_of=np.array([law_pos[r.law_title] for r in rows], dtype=np.int32),
            law_titles=law_titles,
            labels=[r.label for r in rows],
            in_force=np.array([r.in_force for r in rows], dtype=bool),
            law_level=law_level,
            fields=fields,
            title_postings=Postings.build([title_toks[t] for t in law_titles]),
        )

    # -- files -------------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "article_ids": self.article_ids, "law_of": self.law_of, "in_force": self.in_force,
            "law_level": self.law_level,
        }
        self.build_id = uuid.uuid4().hex
        meta: dict = {"format": FORMAT_VERSION, "law_titles": self.law_titles, "labels": self.labels,
                      "vocab": {}, "build_id": self.build_id}
        for name, p in [*self.fields.items(), ("title", self.title_postings)]:
            arrays.update(p.to_arrays(name))
            meta["vocab"][name] = sorted(p.vocab, key=p.vocab.__getitem__)
            meta[f"{name}_n"] = p.n_docs
        # Temporary names of this process and thread: web workers warming up at the same time
        # (core/warmup.py) may each build a missing index, and must not write into one
        # another's half-written file.
        tag = f"{os.getpid()}-{threading.get_ident()}"
        tmp_npz = directory / f"index.tmp-{tag}.npz"
        np.savez(tmp_npz, **arrays)
        tmp_json = directory / f"index.tmp-{tag}.json"
        tmp_json.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        # Replace atomically so a running server never reads half an index.
        tmp_npz.replace(directory / "index.npz")
        tmp_json.replace(directory / "index.json")
        for derived in directory.glob(f"{DERIVED_PREFIX}*"):  # files of earlier builds
            if self.build_id not in derived.name:
                derived.unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path) -> ArticleIndex:
        meta = json.loads((directory / "index.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError("retrieval index format changed; run `fawang build-retrieval-index`")
        z = np.load(directory / "index.npz")

        def postings(name: str) -> Postings:
            vocab = {t: i for i, t in enumerate(meta["vocab"][name])}
            return Postings(vocab, z[f"{name}_indptr"], z[f"{name}_docs"], z[f"{name}_weights"],
                            meta[f"{name}_n"])

        return cls(
            article_ids=z["article_ids"], law_of=z["law_of"], law_titles=meta["law_titles"],
            labels=meta["labels"], in_force=z["in_force"], law_level=z["law_level"],
            fields={name: postings(name) for name in cls.FIELDS}, title_postings=postings("title"),
            build_id=meta.get("build_id", ""),
        )

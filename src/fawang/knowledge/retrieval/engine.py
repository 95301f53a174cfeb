"""Run-time retrieval over the imported corpus: index files + shipped model, cached per process."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from .index import ArticleIndex, ArticleRecord
from .model import MODEL_PATH, RetrievalModel, untrained_ranker
from .ranker import BoundMemory, LinearRanker, features
from .text import char_bigrams, tokenize


@dataclass(frozen=True)
class RetrievedArticle:
    article_id: int
    law_title: str
    label: str
    score: float
    rank: int


def index_dir() -> Path:
    return Path(settings.VAR_DIR) / "retrieval"


def model_path() -> Path:
    """The shipped model unless a deployment (or a test) points elsewhere."""
    return Path(getattr(settings, "FAWANG_RETRIEVAL_MODEL", MODEL_PATH))


# An amended law keeps the number of a removed article with this text (刑法 第一百九十九条):
# the law page shows it, but it answers no question.
DELETED_ARTICLE_TEXTS = ("（删去）", "(删去)", "删去", "删去。", "（删除）")


def db_records() -> Iterator[ArticleRecord]:
    """Statute articles from the DB (case write-ups are not statutes and are left out, and so
    are articles an amendment deleted)."""
    from fawang.knowledge.models import Article

    rows = (Article.objects.filter(law__is_case=False).exclude(text__in=DELETED_ARTICLE_TEXTS)
            .order_by("law_id", "position")
            .values_list("id", "law__title", "label", "chapter", "section", "text", "law__in_force",
                         "law__level"))
    for aid, title, label, chapter, section, text, in_force, level in rows.iterator(chunk_size=2000):
        yield ArticleRecord(aid, title, label, chapter or "", section or "", text or "", bool(in_force), level)


class Engine:
    def __init__(self, index: ArticleIndex, model: RetrievalModel | None, directory: Path | None = None) -> None:
        """``directory``: the folder ``index`` was loaded from, where vectors derived from it are
        stored once for every later process (None: compute in memory only)."""
        self.index = index
        self.model = model
        self.memory = BoundMemory(model.memory, index) if model else None
        # The ranker when there is no model; with one, `model.ranker_for` picks per question.
        self.ranker: LinearRanker = model.ranker if model else untrained_ranker()
        if model is not None:
            model.prepare_article_vectors(index, directory)  # now, not in the first search

    def rank(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """Candidate rows in final order and their scores."""
        terms = tokenize(question)
        if self.model is None:
            cands, X = features(self.index, None, terms, bigrams=char_bigrams(question))
            ranker = self.ranker
        else:
            # The encoder (~45 ms, C code that releases the GIL) runs beside the lexical scoring.
            pending = _encoder_pool().submit(self.model.question_neighbours, question)
            semantic = self.model.semantic_scores(self.index, terms)
            cands, X = features(self.index, self.memory, terms, bigrams=char_bigrams(question), semantic=semantic,
                                neighbours=pending.result)
            ranker = self.model.ranker_for(pending.result())
        if cands.size == 0:
            return cands, np.zeros(0, dtype=np.float32)
        scores = ranker.score(X)
        order = np.lexsort((cands, -scores))  # score desc, row asc: deterministic ties
        return cands[order], scores[order]


logger = logging.getLogger(__name__)
_lock = threading.Lock()


@functools.cache
def _encoder_pool() -> ThreadPoolExecutor:
    """Threads that encode questions while the caller scores them lexically (one per core a
    web worker may use at once; the encoder itself serialises its calls)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="fawang-encoder")


def _load_model() -> RetrievalModel | None:
    """The trained model, or None (lexical ranking) when it is missing or from older code:
    a stale artifact must degrade search quality, never break consultation."""
    try:
        return RetrievalModel.load(model_path())
    except (ValueError, KeyError, OSError) as exc:
        logger.warning("retrieval model not used: %s", exc)
        return None


def load_index() -> ArticleIndex | None:
    """The index files as they are (built first when missing); None when nothing is imported."""
    directory = index_dir()
    if _stamp(directory) is None and not rebuild_retrieval_index()["articles"]:
        return None
    return ArticleIndex.load(directory)


_cache: dict[str, Any] = {}


def _stamp(directory: Path) -> tuple | None:
    """Identity of the files the engine was loaded from: index and model (path + mtime)."""
    path = directory / "index.json"
    if not path.exists():
        return None
    model = model_path()
    return (str(path), path.stat().st_mtime_ns, str(model), model.stat().st_mtime_ns if model.exists() else 0)


def get_engine() -> Engine | None:
    """The process's engine; reloaded when the index files change (after a rebuild elsewhere).

    Builds the index on first use when it is missing and articles exist, so a fresh import works
    without an extra step; returns None when there is nothing to search.
    """
    directory = index_dir()
    with _lock:
        stamp = _stamp(directory)
        built_with = None  # the model a rebuild here loaded (0.6-0.8 s): not loaded twice
        if stamp is None:
            counts, built_with = _rebuild_files()
            _cache.clear()
            if not counts["articles"]:
                return None
            stamp = _stamp(directory)
        if _cache.get("stamp") != stamp or "engine" not in _cache:
            try:
                index = ArticleIndex.load(directory)
            except (ValueError, KeyError, OSError) as exc:
                # Files from an older version of this code: rebuild rather than fail searches.
                logger.warning("retrieval index rebuilt: %s", exc)
                counts, built_with = _rebuild_files()
                _cache.clear()
                if not counts["articles"]:
                    return None
                index = ArticleIndex.load(directory)
                stamp = _stamp(directory)
            _cache["engine"] = Engine(index, built_with or _load_model(), directory)
            _cache["stamp"] = stamp
        return _cache["engine"]


def reset_engine() -> None:
    """Forget the cached engine (a new model was written); the next search reloads."""
    with _lock:
        _cache.clear()


def rebuild_retrieval_index(*, _locked: bool = False) -> dict[str, int]:
    """Rebuild the index files from the Law/Article tables. Call after importing laws.

    Also stores the trained model's semantic article vectors for the new build (about 9 s for
    the default library), so that web workers read them instead of each computing them at
    start."""
    counts, _model = _rebuild_files()
    if not _locked:
        with _lock:
            _cache.clear()
    else:
        _cache.clear()
    return counts


def _rebuild_files() -> tuple[dict[str, int], RetrievalModel | None]:
    """Write the index files (and the model's article vectors for them); return the counts and the
    model loaded on the way. The caller clears the engine cache."""
    index = ArticleIndex.build(db_records())
    directory = index_dir()
    model = None
    if index.n:
        index.save(directory)
        if (model := _load_model()) is not None:
            model.prepare_article_vectors(index, directory)
    else:
        for name in ("index.json", "index.npz"):
            (directory / name).unlink(missing_ok=True)
    return {"articles": index.n, "laws": len(index.law_titles)}, model


def ensure_retrieval_index() -> dict[str, int] | None:
    """Build the index files now if they are missing (None when they exist).

    For ``./run``'s setup step: every web worker would otherwise find the index missing at its
    warm-up and build the same files (and the semantic article vectors) at the same time (about
    16 s each on the default library)."""
    with _lock:
        if _stamp(index_dir()) is not None:
            return None
        return rebuild_retrieval_index(_locked=True)


def search_articles(question: str, *, limit: int = 100, filters: dict | None = None) -> list[RetrievedArticle]:
    """Rank statute articles for a citizen's question, best first.

    `filters` (optional) narrows the result: {"law_titles": [...], "levels": [...],
    "in_force": True}. Filtering happens after ranking, over the ranker's candidates (several
    hundred per question), so a narrow filter can return fewer than `limit` articles.
    """
    engine = get_engine()
    if engine is None or not question.strip():
        return []
    rows, scores = engine.rank(question)
    ix = engine.index
    keep = np.ones(rows.size, dtype=bool)
    filters = filters or {}
    if filters.get("law_titles"):
        wanted = set(filters["law_titles"])
        keep &= np.array([ix.law_titles[ix.law_of[r]] in wanted for r in rows], dtype=bool)
    if filters.get("levels"):
        from .index import level_code

        codes = {level_code(level) for level in filters["levels"]}
        keep &= np.isin(ix.law_level[ix.law_of[rows]], list(codes))
    if filters.get("in_force"):
        keep &= ix.in_force[rows]
    rows, scores = rows[keep][:limit], scores[keep][:limit]
    return [RetrievedArticle(article_id=int(ix.article_ids[r]), law_title=ix.law_titles[ix.law_of[r]],
                             label=ix.labels[r], score=round(float(s), 6), rank=i + 1)
            for i, (r, s) in enumerate(zip(rows, scores, strict=True))]

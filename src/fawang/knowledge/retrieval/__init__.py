"""Statute retrieval for citizens' questions: `search_articles(question)` ranks articles of the
imported corpus. See `engine` (run time), `train` (learning from judged questions) and
`docs/benchmarks.md` (measured quality)."""

from __future__ import annotations

from .engine import RetrievedArticle, ensure_retrieval_index, rebuild_retrieval_index, search_articles

__all__ = ["RetrievedArticle", "ensure_retrieval_index", "rebuild_retrieval_index", "search_articles"]

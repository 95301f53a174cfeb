"""Full-text search over law articles: one interface, a backend per database vendor.

    from fawang.knowledge.search import get_backend
    get_backend().search("法律援助 经济困难", filters=SearchFilters(in_force=True))
    get_backend().candidates(["加班费", "仲裁"], limit=1000)   # for knowledge.retrieval
"""

from __future__ import annotations

from django.db import connection

from .base import SearchBackend, SearchFilters, SearchHit, SearchResult, highlight

__all__ = ["SearchBackend", "SearchFilters", "SearchHit", "SearchResult", "get_backend", "highlight"]


def get_backend() -> SearchBackend:
    """The backend for the default database's vendor (SQLite FTS5 or PostgreSQL GIN)."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteFTS5Backend

        return SQLiteFTS5Backend()
    raise NotImplementedError(f"no law search backend for {connection.vendor}")

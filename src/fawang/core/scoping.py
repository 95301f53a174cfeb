"""Region scoping: who may see which rows. The one place this rule lives.

Every region-bound model stores the division code it belongs to (``region_code`` by
convention). Because division codes are hierarchical prefixes, "inside region R" is the range
``R <= code < R + ":"`` (":" sorts right after "9"), which both SQLite and PostgreSQL answer
from a plain b-tree index.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet


def region_q(code: str, field: str = "region_code") -> Q:
    """Rows whose ``field`` lies in the subtree of division ``code`` ("" = everywhere)."""
    if not code:
        return Q()
    return Q(**{f"{field}__gte": code, f"{field}__lt": code + ":"})


def in_region(code: str, region_code: str) -> bool:
    """Whether ``region_code`` lies in the subtree of ``code`` (pure-Python twin of region_q)."""
    return region_code.startswith(code)


def restrict(queryset: QuerySet, user: Any, field: str = "region_code") -> QuerySet:
    """The part of ``queryset`` the user's regional scope covers (none if they have no scope)."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    code = user.scope_code
    if code is None:
        return queryset.none()
    return queryset.filter(region_q(code, field))

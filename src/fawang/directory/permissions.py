"""Who may edit the directory: ``directory.edit`` from ``fawang.core.permissions`` plus region.

Kept as a thin local module so the API, admin and services ask one question in one way.
"""

from __future__ import annotations

from typing import Any

from fawang.core.permissions import has_permission
from fawang.core.scoping import in_region

EDIT_ACTION = "directory.edit"


def can_edit_directory(user: Any) -> bool:
    """Whether ``user`` holds ``directory.edit`` somewhere (their region is checked per row)."""
    if not has_permission(user, EDIT_ACTION):
        return False
    return user.is_superuser or user.scope_code is not None


def can_edit_region(user: Any, region_code: str) -> bool:
    """Whether ``user`` may edit directory rows of ``region_code``."""
    if not can_edit_directory(user):
        return False
    if user.is_superuser:
        return True
    return in_region(user.scope_code, region_code)

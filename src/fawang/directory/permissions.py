"""Who may edit the directory ("directory.edit"). The one place this rule lives.

The platform-wide permission module (``fawang.core.permissions``) is being built; until it
lands, the rule is a role check here, so switching over is a one-function change.
"""

from __future__ import annotations

from typing import Any

from fawang.accounts.models import Role
from fawang.core.scoping import in_region

EDITOR_ROLES = {Role.SYSTEM_ADMIN, Role.SUPERVISOR}


def can_edit_directory(user: Any) -> bool:
    """Whether ``user`` holds ``directory.edit`` somewhere (their region is checked separately)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.scope_code is None:
        return False
    return user.role in EDITOR_ROLES or user.is_staff


def can_edit_region(user: Any, region_code: str) -> bool:
    """Whether ``user`` may edit directory rows of ``region_code``."""
    if not can_edit_directory(user):
        return False
    if user.is_superuser:
        return True
    return in_region(user.scope_code, region_code)

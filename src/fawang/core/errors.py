"""The one domain error type. Services raise it; the API and pages map it to a response.

``code`` is stable and machine-readable; ``message`` is user-facing (translated) text.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field
        self.details = details


class NotFoundOrForbidden(DomainError):
    """Raised for both "missing" and "not yours": the same answer leaks nothing (404)."""

    status_code = 404

    def __init__(self, message: str = "") -> None:
        from django.utils.translation import gettext

        super().__init__("not_found", message or gettext("记录不存在或无权访问。"))


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, message: str = "") -> None:
        from django.utils.translation import gettext

        super().__init__("permission_denied", message or gettext("您没有执行此操作的权限。"))

"""The acting user of the current request or command, kept in a context variable.

Services receive the actor explicitly; this context exists so that the audit trail can also
record reads of personal data made deep inside templates and serializers.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    user: Any = None
    ip_address: str = ""
    path: str = ""


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "fawang_request_context", default=None
)


def set_request_context(*, user: Any, ip_address: str = "", path: str = "") -> contextvars.Token:
    return _current.set(RequestContext(user=user, ip_address=ip_address, path=path))


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> RequestContext:
    return _current.get() or _EMPTY

"""Request context for the audit trail: who is acting, from where, on which channel."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fawang.core import audit_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
        token = audit_context.set_request_context(user=request.user, ip_address=ip, path=request.path)
        try:
            return self.get_response(request)
        finally:
            audit_context.reset(token)

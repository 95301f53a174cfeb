"""Mapping of domain errors to API responses, in one place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from fawang.core.errors import DomainError


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body = {"code": exc.code, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        if exc.details:
            body["details"] = exc.details
        return api.create_response(request, body, status=exc.status_code)

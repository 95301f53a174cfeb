"""Public guide pages (办事指南): thin views over the catalogue selectors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fawang.catalog import selectors
from fawang.catalog.choices import ServiceType
from fawang.core.errors import NotFoundOrForbidden


def item_index(request: HttpRequest) -> HttpResponse:
    service_type = request.GET.get("type") or None
    items = selectors.item_list(service_type=service_type, q=request.GET.get("q", ""))
    return render(request, "catalog/index.html", {
        "items": items, "bundles": selectors.bundle_list(), "types": ServiceType.choices,
        "current_type": service_type,
    })


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.item_get(code=code)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    return render(request, "catalog/guide.html", {"item": item, "limits": item.get_time_limits()})


def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        bundle = selectors.bundle_get(code=code)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    return render(request, "catalog/bundle.html", {"bundle": bundle})

"""Reads on the catalogue. The catalogue is public: no user scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from fawang.catalog.models import ServiceBundle, ServiceItem
from fawang.core.errors import NotFoundOrForbidden


def item_list(*, service_type: str | None = None, level: str | None = None, q: str = "") -> QuerySet[ServiceItem]:
    qs = ServiceItem.objects.filter(is_active=True)
    if service_type:
        qs = qs.filter(service_type=service_type)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if level:
        from fawang.catalog.choices import LEVEL_RANK, HandlingLevel

        if level in HandlingLevel.values:
            allowed = [lv for lv, rank in LEVEL_RANK.items() if rank <= LEVEL_RANK[HandlingLevel(level)]]
            qs = qs.filter(lowest_level__in=allowed)
    return qs


def item_get(*, code: str) -> ServiceItem:
    item = ServiceItem.objects.filter(code=code, is_active=True).first()
    if item is None:
        raise NotFoundOrForbidden()
    return item


def bundle_list() -> QuerySet[ServiceBundle]:
    return ServiceBundle.objects.filter(is_active=True).prefetch_related("items")


def bundle_get(*, code: str) -> ServiceBundle:
    bundle = bundle_list().filter(code=code).first()
    if bundle is None:
        raise NotFoundOrForbidden()
    return bundle

"""Reads on the catalogue. The catalogue is public: no user scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from fawang.catalog.models import ServiceBundle, ServiceItem
from fawang.core.errors import NotFoundOrForbidden
from fawang.core.lookup_cache import LookupCache


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


# --------------------------------------------------------------------------- per-process item cache
# Intake looks an item up by code on every request; the catalogue changes a few times a year
# (see ``fawang.core.lookup_cache``: dropped on any item save/delete, expires after 30 s).
_intake_items: LookupCache[ServiceItem] = LookupCache(ServiceItem, filters={"is_active": True})


def item_for_intake(*, code: str) -> ServiceItem | None:
    """The active item with ``code`` (or ``None``), from the per-process cache when fresh (a copy)."""
    return _intake_items.get(code)


def item_cache_clear(**_kwargs: object) -> None:
    """Forget every cached item (also called by ``catalog_load``, whose bulk writes skip signals)."""
    _intake_items.clear()

"""Per-process caches for reference rows read on every request (a service item, a service point).

Intake looks both up by code on every request while they change a few times a year; one
query each was a tenth of an intake. A ``LookupCache`` keeps ``code → row`` for ``ttl``
seconds and is dropped in this process whenever a row of its model is saved or deleted (model
signals: at once, for this transaction's own reads, and again after commit, so a read in between
cannot re-cache the old row). Other worker processes see a change — a point closed, an item
switched off — within ``ttl``. Callers get a copy, so setting attributes on it changes nothing
for others.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

M = TypeVar("M", bound=models.Model)

_registry: list[LookupCache[Any]] = []


class LookupCache(Generic[M]):
    def __init__(self, model: type[M], *, field: str = "code", ttl: float = 30.0,
                 filters: dict[str, Any] | None = None) -> None:
        self.model = model
        self.field = field
        self.ttl = ttl
        self.filters = dict(filters or {})
        self._rows: dict[str, tuple[float, M | None]] = {}
        self._lock = threading.Lock()
        _registry.append(self)
        uid = f"lookup-cache-{model._meta.label_lower}-{field}-{id(self)}"
        post_save.connect(self._changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(self._changed, sender=model, dispatch_uid=f"{uid}-del", weak=False)

    def get(self, key: str) -> M | None:
        """The row whose ``field`` is ``key`` (and that passes ``filters``), or ``None``."""
        now = time.monotonic()
        hit = self._rows.get(key)
        if hit is None or now - hit[0] > self.ttl:
            row = self.model._default_manager.filter(**{self.field: key}, **self.filters).first()
            hit = (now, row)
            with self._lock:
                self._rows[key] = hit
        return copy.copy(hit[1]) if hit[1] is not None else None

    def clear(self, **_kwargs: object) -> None:
        with self._lock:
            self._rows.clear()

    def _changed(self, **_kwargs: object) -> None:
        self.clear()
        transaction.on_commit(self.clear)


def clear_all_lookup_caches() -> None:
    """Forget every cached row in this process (bulk changes that bypass signals, tests)."""
    for cache in _registry:
        cache.clear()

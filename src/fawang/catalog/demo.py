"""Demo data for the catalogue: the shipped catalogue itself (idempotent)."""

from __future__ import annotations

from typing import Any

from fawang.catalog.services import catalog_load


def load(*, stdout: Any) -> None:
    result = catalog_load()
    stdout.write(f"  catalog: 事项 新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")

"""Demo data for the catalogue: the shipped catalogue itself (idempotent)."""

from __future__ import annotations

from typing import Any

from fawang.catalog.services import catalog_load


def load(*, stdout: Any) -> None:
    result = catalog_load()
    stdout.write(f"catalog: {result.created} created, {result.updated} updated, {result.unchanged} unchanged\n")

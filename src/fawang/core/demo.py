"""Demo data: each app may ship ``demo.py`` with ``load(*, stdout) -> None``.

``fawang load-demo`` calls them in INSTALLED_APPS order (regions before accounts before the
business lines), so an app's demo may rely on the apps listed before it. Every ``load`` must
be idempotent: ``./run`` calls it on every start and a second call changes no data.
Demo rows carry ``is_demo=True`` and the UI marks them as demo data.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def demo_modules() -> Iterator[tuple[str, ModuleType]]:
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("fawang."):
            continue
        module_name = f"{app_config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        if callable(getattr(module, "load", None)):  # core.demo is this registry, not a loader
            yield app_config.label, module

"""The one django-ninja API. Each app contributes ``router`` from its ``api.py``.

Routers are discovered from the installed Fawang apps so that adding a business line never
touches this file; the prefix is the app label.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from ninja import NinjaAPI

from fawang.api.errors import install_error_handlers

api = NinjaAPI(
    title="法网 Fawang API",
    version="1",
    description="公共法律服务平台接口：受理、办理、反馈、监督。",
    urls_namespace="api",
)
install_error_handlers(api)

for app_config in apps.get_app_configs():
    if not app_config.name.startswith("fawang.") or app_config.label == "api":
        continue
    module_name = f"{app_config.name}.api"
    if importlib.util.find_spec(module_name) is None:
        continue
    module = importlib.import_module(module_name)
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{app_config.label}/", router)

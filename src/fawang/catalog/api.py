"""Public catalogue API: the same records as the guide pages and the window form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from fawang.catalog import selectors
from fawang.catalog.models import ServiceBundle, ServiceItem

router = Router(tags=["服务事项目录"])


class ItemSummaryOut(Schema):
    code: str
    name: str
    service_type: str
    service_type_label: str
    lowest_level: str
    is_x_item: bool


class ItemOut(ItemSummaryOut):
    summary: str
    legal_basis: list[dict[str, Any]]
    handling_body: str
    conditions: list[str]
    process: list[str]
    materials: list[dict[str, Any]]
    forms: list[dict[str, Any]]
    time_limits: list[dict[str, Any]]
    fees: str
    fee_waivers: str
    channels: list[str]


class BundleOut(Schema):
    code: str
    name: str
    summary: str
    items: list[str]
    form_schema: list[dict[str, Any]]


def _item(item: ServiceItem, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": item.code, "name": item.name, "service_type": item.service_type,
        "service_type_label": item.get_service_type_display(), "lowest_level": item.lowest_level,
        "is_x_item": item.is_x_item,
    }
    if full:
        for name in ("summary", "legal_basis", "handling_body", "conditions", "process", "materials", "forms",
                     "time_limits", "fees", "fee_waivers", "channels"):
            data[name] = getattr(item, name)
    return data


def _bundle(bundle: ServiceBundle) -> dict[str, Any]:
    return {"code": bundle.code, "name": bundle.name, "summary": bundle.summary,
            "items": [i.code for i in bundle.items.all()], "form_schema": bundle.form_schema}


@router.get("/items", response=list[ItemSummaryOut], auth=None)
def list_items(request: HttpRequest, service_type: str | None = None, level: str | None = None, q: str = ""):
    return [_item(i, full=False) for i in selectors.item_list(service_type=service_type, level=level, q=q)]


@router.get("/items/{code}", response=ItemOut, auth=None)
def get_item(request: HttpRequest, code: str):
    return _item(selectors.item_get(code=code))


@router.get("/bundles", response=list[BundleOut], auth=None)
def list_bundles(request: HttpRequest):
    return [_bundle(b) for b in selectors.bundle_list()]


@router.get("/bundles/{code}", response=BundleOut, auth=None)
def get_bundle(request: HttpRequest, code: str):
    return _bundle(selectors.bundle_get(code=code))

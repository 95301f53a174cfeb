"""Regions API: browse the division tree, find service points (public, no login needed), and
the standards report (supervisors, inside their own region).

Mounted at ``/api/regions/``. Lists are paginated (``page``, ``page_size``) in one envelope:
``{"count", "page", "page_size", "items"}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from fawang.core.api_auth import staff_auth, staff_user
from fawang.core.errors import DomainError
from fawang.regions import selectors
from fawang.regions.models import Division, ServicePoint

router = Router(tags=["regions 行政区划与服务点"])

MAX_PAGE_SIZE = 200


class DivisionOut(Schema):
    code: str
    name: str
    level: int
    level_label: str
    parent_code: str | None


class DivisionDetailOut(DivisionOut):
    ancestors: list[DivisionOut]
    children_count: int


class DivisionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DivisionOut]


class PointOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    region_code: str
    division_name: str
    address: str
    phone: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_demo: bool


class PointDetailOut(PointOut):
    opening_hours: str
    floor_area: Decimal | None
    hall_area: Decimal | None
    zones: list[str]
    posts: list[str]
    accessible_facilities: list[str]
    equipment: list[str]


class PointPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PointOut]


class NearbyOut(Schema):
    distance_km: float
    point: PointOut


def _division(division: Division) -> dict[str, Any]:
    return {"code": division.code, "name": division.name, "level": division.level,
            "level_label": str(division.get_level_display()), "parent_code": division.parent_id}


def _point(point: ServicePoint, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": point.code, "name": point.name, "kind": point.kind, "kind_label": str(point.get_kind_display()),
        "region_code": point.region_code, "division_name": point.division.name, "address": point.address,
        "phone": point.phone, "latitude": point.latitude, "longitude": point.longitude, "is_demo": point.is_demo,
    }
    if full:
        for name in ("opening_hours", "floor_area", "hall_area", "zones", "posts", "accessible_facilities",
                     "equipment"):
            data[name] = getattr(point, name)
    return data


def _page(queryset: QuerySet, page: int, page_size: int) -> tuple[dict[str, Any], list[Any]]:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError("bad_page", _("页码应不小于 1，每页条数应在 1 到 %(max)d 之间。") % {"max": MAX_PAGE_SIZE},
                          field="page")
    paginator = Paginator(queryset, page_size)
    rows = list(paginator.page(page).object_list) if page <= paginator.num_pages else []
    return {"count": paginator.count, "page": page, "page_size": page_size}, rows


@router.get("/divisions", response=DivisionPage, auth=None)
def list_divisions(request: HttpRequest, parent: str = "", page: int = 1, page_size: int = 100):
    """Children of division ``parent`` (the provinces when empty)."""
    meta, rows = _page(selectors.division_children(code=parent.strip()), page, page_size)
    return {**meta, "items": [_division(d) for d in rows]}


@router.get("/divisions/{code}", response=DivisionDetailOut, auth=None)
def get_division(request: HttpRequest, code: str):
    division = selectors.division_get(code=code)
    ancestors = [d for d in selectors.division_ancestors(division=division) if d.code != division.code]
    return {**_division(division), "ancestors": [_division(d) for d in ancestors],
            "children_count": selectors.division_children(code=division.code).count()}


@router.get("/points", response=PointPage, auth=None)
def list_points(request: HttpRequest, region: str = "", kind: str = "", q: str = "", page: int = 1,
                page_size: int = 20):
    """Active service points inside ``region`` (a division code), of ``kind``, matching ``q``."""
    meta, rows = _page(selectors.service_point_list(region=region, kind=kind, q=q), page, page_size)
    return {**meta, "items": [_point(p) for p in rows]}


@router.get("/points/nearest", response=list[NearbyOut], auth=None)
def nearest_points(request: HttpRequest, lat: float, lng: float, kind: str = "", limit: int = 5):
    """The ``limit`` (≤ 50) active points nearest to the position (WGS-84 degrees)."""
    if not 1 <= limit <= 50:
        raise DomainError("bad_limit", _("返回条数应在 1 到 50 之间。"), field="limit")
    nearby = selectors.service_points_nearest(latitude=lat, longitude=lng, kind=kind, limit=limit)
    return [{"distance_km": round(n.distance_km, 3), "point": _point(n.point)} for n in nearby]


@router.get("/points/{code}", response=PointDetailOut, auth=None)
def get_point(request: HttpRequest, code: str):
    return _point(selectors.service_point_get(code=code), full=True)


class ShortfallOut(Schema):
    code: str
    message: str


class KindReportOut(Schema):
    kind: str
    label: str
    total: int
    compliant: int
    below_standard: int
    shortfalls: dict[str, int]


class BelowStandardOut(Schema):
    code: str
    name: str
    kind: str
    region_code: str
    shortfalls: list[ShortfallOut]


class StandardsReportOut(Schema):
    region: str
    kinds: list[KindReportOut]
    below_count: int
    below: list[BelowStandardOut]


@router.get("/standards", response=StandardsReportOut, auth=staff_auth)
def standards(request: HttpRequest, region: str = "", limit: int = 100):
    """Service points against the construction standards, per level; ``limit`` (≤ 1000) points listed."""
    if not 0 <= limit <= 1000:
        raise DomainError("bad_limit", _("返回条数应在 0 到 1000 之间。"), field="limit")
    report = selectors.standards_report_for(user=staff_user(request), region=region)
    return {
        "region": report.region,
        "kinds": [{"kind": k.kind, "label": k.label, "total": k.total, "compliant": k.compliant,
                   "below_standard": k.below_standard, "shortfalls": dict(k.shortfall_counts)}
                  for k in report.kinds],
        "below_count": len(report.below),
        "below": [{"code": p.code, "name": p.name, "kind": p.kind, "region_code": p.region_code,
                   "shortfalls": [{"code": s.code, "message": s.message} for s in shortfalls]}
                  for p, shortfalls in report.below[:limit]],
    }

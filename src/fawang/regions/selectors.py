"""Reads for regions.

Divisions and active service points are public information (the finder, the API, the kiosk):
those selectors take no user. The standards report is for supervisors and takes the viewing
user (``standards_report_for``); the back office reads through the admin, scoped there.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied
from fawang.core.lookup_cache import LookupCache
from fawang.core.permissions import require_permission
from fawang.core.scoping import in_region, region_q
from fawang.regions.models import Division, DivisionLevel, ServicePoint, ServicePointKind
from fawang.regions.standards import Shortfall, check_standards

EARTH_RADIUS_KM = 6371.0


def division_get(*, code: str) -> Division:
    division = Division.objects.select_related("parent").filter(pk=code).first()
    if division is None:
        raise NotFoundOrForbidden(_("行政区划不存在。"))
    return division


def division_children(*, code: str = "") -> QuerySet[Division]:
    """Direct children of division ``code``; the provinces when ``code`` is empty."""
    if not code:
        return Division.objects.filter(level=DivisionLevel.PROVINCE).order_by("code")
    return Division.objects.filter(parent_id=code).order_by("code")


def division_ancestors(*, division: Division) -> list[Division]:
    """From the province down to ``division`` itself (breadcrumbs); one query."""
    codes = [division.code[:n] for n in (2, 4, 6, 9, 12) if n <= len(division.code)]
    return list(Division.objects.filter(code__in=codes).order_by("code"))


def _validate_kind(kind: str) -> None:
    if kind and kind not in ServicePointKind.values:
        raise DomainError("bad_kind", _("服务点类型“%(kind)s”无效。") % {"kind": kind}, field="kind")


def service_point_list(*, region: str = "", kind: str = "", q: str = "") -> QuerySet[ServicePoint]:
    """Active points inside ``region`` (a division code prefix), of ``kind``, matching ``q``."""
    _validate_kind(kind)
    queryset = ServicePoint.objects.filter(is_active=True).filter(region_q(region.strip()))
    if kind:
        queryset = queryset.filter(kind=kind)
    for word in q.split():
        queryset = queryset.filter(Q(name__icontains=word) | Q(address__icontains=word))
    return queryset.select_related("division").order_by("region_code", "kind")


def service_point_get(*, code: str) -> ServicePoint:
    point = ServicePoint.objects.select_related("division").filter(code=code, is_active=True).first()
    if point is None:
        raise NotFoundOrForbidden(_("服务点不存在。"))
    return point


# Intake reads the accepting point by code on every request (any state: intake itself refuses a
# closed point with its own message); see ``fawang.core.lookup_cache``.
_intake_points: LookupCache[ServicePoint] = LookupCache(ServicePoint)


def service_point_for_intake(*, code: str) -> ServicePoint | None:
    """The service point with ``code``, active or not (``None`` if unknown), cached per process."""
    return _intake_points.get(code)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class NearbyPoint:
    point: ServicePoint
    distance_km: float


def service_points_nearest(
    *, latitude: float, longitude: float, limit: int = 5, kind: str = "", exclude_code: str = "",
) -> list[NearbyPoint]:
    """The ``limit`` active points nearest to (latitude, longitude).

    A bounding box that widens until it holds enough candidates keeps the exact distance
    computation to a few hundred rows (a city has ~3,500 points, a province ~55,000).
    """
    _validate_kind(kind)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError("bad_position", _("经纬度超出范围。"), field="latitude")
    base = ServicePoint.objects.filter(is_active=True, latitude__isnull=False, longitude__isnull=False)
    if kind:
        base = base.filter(kind=kind)
    if exclude_code:
        base = base.exclude(code=exclude_code)
    candidates: list[ServicePoint] = []
    for degrees in (0.05, 0.2, 1.0, 5.0, None):
        queryset = base
        if degrees is not None:
            queryset = base.filter(
                latitude__gte=Decimal(str(latitude - degrees)), latitude__lte=Decimal(str(latitude + degrees)),
                longitude__gte=Decimal(str(longitude - degrees * 1.3)),
                longitude__lte=Decimal(str(longitude + degrees * 1.3)),
            )
        candidates = list(queryset.select_related("division")[:5000])
        if len(candidates) >= limit:
            break
    ranked = sorted(
        (NearbyPoint(p, distance_km(latitude, longitude, float(p.latitude), float(p.longitude)))
         for p in candidates),
        key=lambda item: (item.distance_km, item.point.code),
    )
    return ranked[:limit]


@dataclass
class KindReport:
    kind: str
    label: str
    total: int = 0
    compliant: int = 0
    shortfall_counts: Counter[str] = field(default_factory=Counter)

    @property
    def below_standard(self) -> int:
        return self.total - self.compliant


@dataclass
class StandardsReport:
    region: str
    kinds: list[KindReport]
    below: list[tuple[ServicePoint, list[Shortfall]]]


def standards_report(*, region: str = "") -> StandardsReport:
    """Per kind: points, how many meet the standard, and which requirements are missed."""
    by_kind = {kind: KindReport(kind=kind, label=str(label)) for kind, label in ServicePointKind.choices}
    below: list[tuple[ServicePoint, list[Shortfall]]] = []
    queryset = ServicePoint.objects.filter(is_active=True).filter(region_q(region)).order_by("region_code")
    for point in queryset.iterator(chunk_size=2000):
        report = by_kind[point.kind]
        report.total += 1
        shortfalls = check_standards(point)
        if shortfalls:
            below.append((point, shortfalls))
            report.shortfall_counts.update(s.code for s in shortfalls)
        else:
            report.compliant += 1
    return StandardsReport(region=region, kinds=list(by_kind.values()), below=below)


def standards_report_for(*, user: Any, region: str = "") -> StandardsReport:
    """The standards report as a supervisor sees it: their own region by default, never outside it."""
    require_permission(user, "supervision.view")
    scope = user.scope_code
    if scope is None:
        raise PermissionDenied()
    region = region.strip() or scope
    if not in_region(scope, region):
        raise NotFoundOrForbidden(_("行政区划不存在或无权访问。"))
    return standards_report(region=region)

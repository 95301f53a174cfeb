"""Reads of the directory: public search (anyone) and staff lists (region-scoped).

Distance search runs on both databases without GIS: a bounding box on the indexed latitude /
longitude columns narrows the rows, then the great-circle distance is computed in Python.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from fawang.core.errors import NotFoundOrForbidden
from fawang.core.scoping import region_q, restrict
from fawang.regions.models import CODE_LENGTH, Division

from .choices import ListingStatus
from .models import CreditRecord, Institution, Practitioner

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32
MAX_RADIUS_KM = 500.0


def public_credit_q(today: datetime.date | None = None) -> Q:
    today = today or datetime.date.today()
    return Q(public_until__isnull=True) | Q(public_until__gte=today)


def _serves_region_q(region: str) -> Q:
    """Institutions located in ``region`` or declaring a service area over or inside it."""
    q = region_q(region)
    for length in sorted(set(CODE_LENGTH.values())):
        if length <= len(region):
            q |= Q(tags__contains=f"|a:{region[:length]}|")
    q |= Q(tags__contains=f"|a:{region}")
    return q


def institution_search(
    *,
    kind: str | None = None,
    region: str | None = None,
    specialty: str | None = None,
    language: str | None = None,
    q: str | None = None,
    mediation_kind: str | None = None,
    status: str | None = ListingStatus.ACTIVE,
    queryset: QuerySet[Institution] | None = None,
) -> QuerySet[Institution]:
    """Public institution search; every argument narrows, ``None``/"" leaves it open."""
    qs = queryset if queryset is not None else Institution.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if mediation_kind:
        qs = qs.filter(mediation_kind=mediation_kind)
    if region:
        qs = qs.filter(_serves_region_q(region.strip()))
    if specialty:
        qs = qs.filter(tags__contains=f"|s:{specialty}|")
    if language:
        qs = qs.filter(tags__contains=f"|l:{language}|")
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(credit_code=text.upper()))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("division")


def practitioner_search(
    *,
    kind: str | None = None,
    region: str | None = None,
    specialty: str | None = None,
    language: str | None = None,
    q: str | None = None,
    institution_id: int | None = None,
    legal_aid_only: bool = False,
    status: str | None = ListingStatus.ACTIVE,
    queryset: QuerySet[Practitioner] | None = None,
) -> QuerySet[Practitioner]:
    """Public practitioner search (name, licence number, kind, region, specialty, language)."""
    qs = queryset if queryset is not None else Practitioner.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region_q(region.strip()))
    if specialty:
        qs = qs.filter(tags__contains=f"|s:{specialty}|")
    if language:
        qs = qs.filter(tags__contains=f"|l:{language}|")
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if legal_aid_only:
        qs = qs.filter(is_legal_aid_lawyer=True)
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(licence_number=text) | Q(institution__name__icontains=text))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("institution", "division")


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing the circle; loose near the poles."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlng = min(180.0, radius_km / (KM_PER_DEGREE_LAT * cos_lat))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


@dataclass(frozen=True)
class Nearby:
    institution: Institution
    distance_km: float


def institutions_near(
    *,
    latitude: float,
    longitude: float,
    radius_km: float = 10.0,
    limit: int = 20,
    queryset: QuerySet[Institution] | None = None,
) -> list[Nearby]:
    """Institutions within ``radius_km`` of a point, nearest first."""
    radius_km = min(max(float(radius_km), 0.1), MAX_RADIUS_KM)
    min_lat, max_lat, min_lng, max_lng = bounding_box(latitude, longitude, radius_km)
    qs = queryset if queryset is not None else institution_search()
    candidates: Iterable[Institution] = qs.filter(
        latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lng, longitude__lte=max_lng,
    )
    found = []
    for inst in candidates:
        distance = haversine_km(latitude, longitude, float(inst.latitude), float(inst.longitude))
        if distance <= radius_km:
            found.append(Nearby(inst, round(distance, 3)))
    found.sort(key=lambda n: (n.distance_km, n.institution.pk))
    return found[:limit]


def institution_get_public(*, institution_id: int) -> Institution:
    """One institution with its listed practitioners and public credit records."""
    inst = (
        Institution.objects.select_related("division")
        .prefetch_related(
            Prefetch("practitioners", queryset=Practitioner.objects.filter(status=ListingStatus.ACTIVE)
                     .order_by("kind", "name")),
            Prefetch("credit_records", queryset=CreditRecord.objects.filter(public_credit_q())),
        )
        .filter(pk=institution_id)
        .first()
    )
    if inst is None:
        raise NotFoundOrForbidden()
    return inst


def practitioner_get_public(*, practitioner_id: int) -> Practitioner:
    person = (
        Practitioner.objects.select_related("institution", "division")
        .prefetch_related(Prefetch("credit_records", queryset=CreditRecord.objects.filter(public_credit_q())))
        .filter(pk=practitioner_id)
        .first()
    )
    if person is None:
        raise NotFoundOrForbidden()
    return person


def credit_record_search(
    *,
    kind: str | None = None,
    institution_id: int | None = None,
    practitioner_id: int | None = None,
    region: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[CreditRecord]:
    """Credit records still inside their public period (信用信息公开)."""
    qs = CreditRecord.objects.filter(public_credit_q(today)).select_related("institution", "practitioner")
    if kind:
        qs = qs.filter(kind=kind)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if practitioner_id:
        qs = qs.filter(practitioner_id=practitioner_id)
    if region:
        qs = qs.filter(region_q(region))
    return qs


def map_points(*, kind: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
    """Light rows for the map: only institutions with coordinates."""
    qs = institution_search(kind=kind, region=region).filter(latitude__isnull=False, longitude__isnull=False)
    return [
        {"id": pk, "name": name, "kind": k, "lat": float(lat), "lng": float(lng), "is_demo": demo}
        for pk, name, k, lat, lng, demo in qs.values_list("pk", "name", "kind", "latitude", "longitude", "is_demo")
    ]


def region_options() -> list[tuple[str, str]]:
    """(code, label) of the cities and counties that have listed institutions, for the filter."""
    counties = set(
        Institution.objects.filter(status=ListingStatus.ACTIVE).order_by()
        .annotate(county=Substr("region_code", 1, 6)).values_list("county", flat=True).distinct()
    )
    codes = {c for c in counties if len(c) == 6} | {c[:4] for c in counties}
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    return [(code, ("" if len(code) == 4 else "\u3000") + names[code]) for code in sorted(codes) if code in names]


def kind_counts(*, region: str | None = None) -> dict[str, int]:
    qs = institution_search(region=region).order_by().values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in qs}


# Staff side: everything in the user's region, any status.

def institution_list_for_staff(*, user: Any, **filters: Any) -> QuerySet[Institution]:
    filters.setdefault("status", None)
    return institution_search(queryset=restrict(Institution.objects.all(), user), **filters)


def practitioner_list_for_staff(*, user: Any, **filters: Any) -> QuerySet[Practitioner]:
    filters.setdefault("status", None)
    return practitioner_search(queryset=restrict(Practitioner.objects.all(), user), **filters)


def access_institution(*, user: Any, institution_id: int) -> Institution:
    """An institution the staff user may manage; the same 404 for missing and out of scope."""
    inst = restrict(Institution.objects.all(), user).filter(pk=institution_id).first()
    if inst is None:
        raise NotFoundOrForbidden()
    return inst


def access_practitioner(*, user: Any, practitioner_id: int) -> Practitioner:
    person = restrict(Practitioner.objects.all(), user).filter(pk=practitioner_id).first()
    if person is None:
        raise NotFoundOrForbidden()
    return person

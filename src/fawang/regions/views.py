"""Public service point pages: the finder (by county/township, text, or nearest to a position)
and a point's detail page with the nearest other points. Thin: reads go through selectors."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.regions import selectors
from fawang.regions.models import Division, DivisionLevel, ServicePointKind

PAGE_SIZE = 20
NEARBY = 5


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _county_groups() -> list[tuple[str, list[Division]]]:
    """Counties that have service points, grouped under their city, for the county select."""
    counties = (Division.objects.filter(level=DivisionLevel.COUNTY, service_points__is_active=True)
                .distinct().select_related("parent").order_by("code"))
    groups: dict[str, tuple[str, list[Division]]] = {}
    for county in counties:
        city = county.parent.name if county.parent else ""
        groups.setdefault(county.parent_id or "", (city, []))[1].append(county)
    return list(groups.values())


def finder(request: HttpRequest) -> HttpResponse:
    county = request.GET.get("county", "").strip()
    township = request.GET.get("township", "").strip()
    kind = request.GET.get("kind", "").strip()
    q = request.GET.get("q", "").strip()
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    if kind not in ServicePointKind.values:
        kind = ""
    # The township only counts inside the chosen county (the select may be stale).
    region = township if township and county and township.startswith(county) else county
    context: dict[str, Any] = {
        "county_groups": _county_groups(), "county": county, "township": township, "kind": kind, "q": q,
        "kinds": ServicePointKind.choices, "lat": request.GET.get("lat", ""), "lng": request.GET.get("lng", ""),
        "townships": list(selectors.division_children(code=county)) if county else [],
        "nearby": None, "page": None, "error": "",
    }
    try:
        if lat is not None and lng is not None:
            context["nearby"] = selectors.service_points_nearest(latitude=lat, longitude=lng, kind=kind,
                                                                 limit=PAGE_SIZE)
        else:
            points = selectors.service_point_list(region=region, kind=kind, q=q)
            context["page"] = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
    except DomainError as exc:
        context["error"] = exc.message
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    template = "regions/_results.html" if request.headers.get("HX-Request") else "regions/finder.html"
    return render(request, template, context)


def township_options(request: HttpRequest) -> HttpResponse:
    """<option>s for the township select once a county is chosen (htmx)."""
    county = request.GET.get("county", "").strip()
    townships = list(selectors.division_children(code=county)) if county else []
    return render(request, "regions/_township_options.html", {"townships": townships, "township": ""})


def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        point = selectors.service_point_get(code=code)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    # "Nearest to me" when the visitor's position came along, else nearest to this point.
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    from_visitor = lat is not None and lng is not None
    if not from_visitor and point.latitude is not None and point.longitude is not None:
        lat, lng = float(point.latitude), float(point.longitude)
    nearby = []
    if lat is not None and lng is not None:
        try:
            nearby = selectors.service_points_nearest(latitude=lat, longitude=lng, limit=NEARBY,
                                                      exclude_code=point.code)
        except DomainError:
            nearby = []
    return render(request, "regions/point_detail.html", {
        "point": point, "ancestors": selectors.division_ancestors(division=point.division),
        "nearby": nearby, "from_visitor": from_visitor,
    })

"""Public directory pages: search (htmx partial updates, plain GET without JS), details, map."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fawang.core.errors import NotFoundOrForbidden

from . import selectors
from .choices import CreditRecordKind, InstitutionKind
from .forms import DirectorySearchForm

PAGE_SIZE = 20


def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None, region_options=selectors.region_options())
    context: dict = {"form": form, "target": "institutions", "nearby": None, "page": None}
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        context["invalid"] = True
    else:
        target = data.get("target") or "institutions"
        context["target"] = target
        common = {"region": data.get("region"), "specialty": data.get("specialty"),
                  "language": data.get("language"), "q": data.get("q")}
        if target == "practitioners":
            qs = selectors.practitioner_search(kind=data.get("practitioner_kind"),
                                               legal_aid_only=bool(data.get("legal_aid_only")), **common)
        else:
            qs = selectors.institution_search(kind=data.get("institution_kind"), **common)
            if data.get("lat") is not None and data.get("lng") is not None:
                context["nearby"] = selectors.institutions_near(
                    latitude=data["lat"], longitude=data["lng"], radius_km=data.get("radius_km") or 10,
                    queryset=qs, limit=PAGE_SIZE)
        if context["nearby"] is None:
            context["page"] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    template = "directory/_results.html" if request.headers.get("HX-Request") else "directory/search.html"
    return render(request, template, context)


def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        institution = selectors.institution_get_public(institution_id=pk)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    return render(request, "directory/institution_detail.html", {"institution": institution})


def practitioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        practitioner = selectors.practitioner_get_public(practitioner_id=pk)
    except NotFoundOrForbidden as exc:
        raise Http404 from exc
    return render(request, "directory/practitioner_detail.html", {"practitioner": practitioner})


def map_view(request: HttpRequest) -> HttpResponse:
    counts = selectors.kind_counts()
    kinds = [(value, label, counts.get(value, 0)) for value, label in InstitutionKind.choices]
    return render(request, "directory/map.html", {"kinds": kinds})


def credit_records(request: HttpRequest) -> HttpResponse:
    """信用信息公开: the credit records still inside their public period, newest first."""
    kind = request.GET.get("kind") or ""
    if kind not in CreditRecordKind.values:
        kind = ""
    qs = selectors.credit_record_search(kind=kind or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/credit_records.html",
                  {"page": page, "kind": kind, "kinds": CreditRecordKind.choices})

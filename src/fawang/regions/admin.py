"""Back office for divisions (read-mostly reference data) and service points.

Both are region-scoped through ``ScopedAdminMixin``: a county officer sees the divisions and
points of the county only. Divisions come from ``fawang import-divisions``; the admin may
correct a name but never adds or deletes one (codes are the national statistical codes).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from fawang.core.admin import ScopedAdminMixin
from fawang.regions.models import Division, ServicePoint
from fawang.regions.standards import STANDARDS, check_standards


@admin.register(Division)
class DivisionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    region_field = "code"
    admin_actions = {"view": "directory.view", "add": None, "change": "reference.edit", "delete": None}
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")  # "4101" finds the code itself; prefixes via code__startswith below
    readonly_fields = ("code", "level", "parent")
    fields = ("code", "name", "level", "parent")
    list_select_related = ("parent",)
    show_full_result_count = False  # COUNT(*) over 665,000 rows on every page is wasted work
    ordering = ("code",)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if term.isascii() and term.isdigit():
            # A code or code prefix: an index range scan instead of a LIKE over every name.
            return queryset.filter(code__gte=term, code__lt=term + ":"), False
        return super().get_search_results(request, queryset, search_term)


class StandardsFilter(admin.SimpleListFilter):
    title = _("建设标准")
    parameter_name = "standards"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("ok", _("达标")), ("below", _("未达标"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("ok", "below"):
            return queryset
        fields = ("id", "kind", "floor_area", "hall_area", "zones", "posts", "accessible_facilities", "equipment")
        below = [p.pk for p in queryset.only(*fields).iterator(chunk_size=2000) if check_standards(p)]
        if self.value() == "below":
            return queryset.filter(pk__in=below)
        return queryset.exclude(pk__in=below)


class ServicePointForm(forms.ModelForm):
    class Meta:
        model = ServicePoint
        fields = ("code", "name", "kind", "division", "is_active", "is_demo", "address", "phone", "opening_hours",
                  "latitude", "longitude", "floor_area", "hall_area", "zones", "posts", "accessible_facilities",
                  "equipment")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        division = data.get("division")
        if division is not None:
            # region_code is the scoping key: always the point's division, never typed by hand.
            self.instance.region_code = division.code
        return data


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "directory.view", "add": "reference.edit", "change": "reference.edit",
                     "delete": "reference.edit"}
    form = ServicePointForm
    list_display = ("name", "code", "kind", "division", "floor_area", "shortfall_summary", "is_active", "is_demo")
    list_filter = ("kind", StandardsFilter, "is_active", "is_demo")
    search_fields = ("code", "name", "address", "region_code")
    autocomplete_fields = ("division",)
    list_select_related = ("division",)
    readonly_fields = ("region_code", "standards_shortfalls")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "division", "region_code", "is_active", "is_demo")}),
        (_("联系与位置"), {"fields": ("address", "phone", "opening_hours", "latitude", "longitude")}),
        (_("建设标准"), {"fields": ("standards_shortfalls", "floor_area", "hall_area", "zones", "posts",
                                 "accessible_facilities", "equipment")}),
    )

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if term.isascii() and term.isdigit():
            return queryset.filter(region_code__gte=term, region_code__lt=term + ":"), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("未达标项"))
    def shortfall_summary(self, obj: ServicePoint) -> str:
        shortfalls = check_standards(obj)
        return "；".join(s.message for s in shortfalls) if shortfalls else "✓"

    @admin.display(description=_("对照建设标准"))
    def standards_shortfalls(self, obj: ServicePoint) -> str:
        if obj.pk is None or obj.kind not in STANDARDS:
            return "—"
        shortfalls = check_standards(obj)
        if not shortfalls:
            return str(_("符合建设标准。"))
        return format_html_join("", "<div>{}</div>", ((s.message,) for s in shortfalls))

"""Back office for legal aid: regional configuration is edited here; the applications
themselves are read-only (they change only through ``legalaid.services``), region-scoped."""

from __future__ import annotations

from django.contrib import admin

from fawang.core.admin import ReadOnlyAdminMixin, RoleAdminMixin, ScopedAdminMixin
from fawang.legalaid.models import (
    AidAssignment,
    AidMatterScope,
    HardshipStandard,
    LegalAidApplication,
    Objection,
    SubsidyStandard,
)

CONFIG_ACTIONS = {"view": "case.view", "add": "reference.edit", "change": "reference.edit",
                  "delete": "reference.edit"}


@admin.register(HardshipStandard)
class HardshipStandardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = CONFIG_ACTIONS
    list_display = ("region_code", "monthly_income_per_capita_max", "assets_max", "basis", "effective_from")
    search_fields = ("region_code", "basis")


@admin.register(AidMatterScope)
class AidMatterScopeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = CONFIG_ACTIONS
    list_display = ("region_code", "code", "name", "means_test_required", "is_active")
    list_filter = ("is_active",)
    search_fields = ("region_code", "code", "name")


@admin.register(SubsidyStandard)
class SubsidyStandardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = CONFIG_ACTIONS
    list_display = ("region_code", "aid_form", "base_amount", "basis")
    list_filter = ("aid_form",)


class AssignmentInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = {"view": "case.view"}  # shown with its application, never written here
    model = AidAssignment
    extra = 0
    can_delete = False
    fields = ("practitioner_name", "assigned_at", "is_fast_track", "ideal_share", "actual_share", "released_at",
              "release_reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(LegalAidApplication)
class LegalAidApplicationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "case.view"}
    list_display = ("case", "status", "matter", "source", "region_code", "received_at", "decision_due_at",
                    "assign_due_at")
    list_filter = ("status", "source", "matter", "is_fast_track")
    search_fields = ("case__number", "region_code")
    date_hierarchy = "received_at"
    list_select_related = ("case",)
    inlines = [AssignmentInline]
    exclude = ("household_monthly_income", "household_assets")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "case.view"}
    region_field = "application__region_code"
    list_display = ("application", "against_status", "filed_at", "review_due_at", "outcome")
    list_filter = ("outcome",)

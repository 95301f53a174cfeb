"""Back office for people's mediation: the regional time limit is edited here; mediations are
read-only (they change only through ``mediation.services``), region-scoped."""

from __future__ import annotations

from django.contrib import admin

from fawang.core.admin import ReadOnlyAdminMixin, RoleAdminMixin, ScopedAdminMixin
from fawang.mediation.models import (
    Agreement,
    Mediation,
    MediationRecord,
    MediationTimeLimit,
    MediatorAssignment,
)


@admin.register(MediationTimeLimit)
class MediationTimeLimitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "case.view", "add": "reference.edit", "change": "reference.edit",
                     "delete": "reference.edit"}
    list_display = ("region_code", "days")


class MediatorInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = {"view": "case.view"}  # shown with its mediation, never written here
    model = MediatorAssignment
    extra = 0
    can_delete = False
    fields = ("mediator_name", "selection", "is_lead", "assigned_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class RecordInline(RoleAdminMixin, admin.StackedInline):
    admin_actions = {"view": "case.view"}
    model = MediationRecord
    extra = 0
    can_delete = False
    fields = ("held_at", "place", "attendees", "content")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Mediation)
class MediationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "case.view"}
    list_display = ("case", "status", "dispute_type", "source", "committee_name", "region_code", "due_on",
                    "risk_level")
    list_filter = ("status", "source", "dispute_type", "risk_level")
    search_fields = ("case__number", "committee_name", "region_code")
    list_select_related = ("case",)
    inlines = [MediatorInline, RecordInline]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "case.view"}
    region_field = "mediation__region_code"
    list_display = ("number", "form", "reached_on", "effective_on", "confirmation_due_on", "judicially_confirmed_on")

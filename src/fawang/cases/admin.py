"""The back office for cases: scoped like every other interface; events are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fawang.cases.models import Case, CaseCallback, CaseEvent, CaseStep, Party, Rating
from fawang.cases.selectors import case_scope_q
from fawang.core.admin import NotFoundAdminMixin
from fawang.core.scoping import restrict


class ScopedAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    """Rows of the user's region; another region's row answers 404 like a missing one."""

    def get_queryset(self, request: HttpRequest) -> Any:
        return restrict(super().get_queryset(request), request.user)


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "type", "actor_name", "from_status", "to_status", "payload")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = CaseStep
    extra = 0
    can_delete = False
    fields = ("name", "article", "started_at", "due_at", "state", "paused_total")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    """Status changes go through services (the API and staff pages); here it is read-mostly."""

    list_display = ("number", "item", "channel", "status", "region_code", "service_point", "received_at")
    list_filter = ("status", "channel", "item")
    search_fields = ("number",)
    readonly_fields = ("number", "status", "item", "channel", "region_code", "service_point", "applicant",
                       "first_contact_user", "responsible_user", "handler", "transfer_to", "received_at",
                       "completed_at", "idempotency_key", "query_code", "bundle")
    inlines = [StepInline, EventInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        scope = case_scope_q(request.user)
        qs = super().get_queryset(request)
        return qs.none() if scope is None else qs.filter(scope)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases are created by intake (services), which numbers them and logs the event

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdmin):
    list_display = ("at", "case", "type", "actor_name", "region_code")
    list_filter = ("type",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Party)
class PartyAdmin(ScopedAdmin):
    """Masked by default: the list never shows ID numbers or phones."""

    list_display = ("masked_name", "kind", "id_type", "masked_id_number", "masked_phone", "region_code")
    exclude = ("id_number", "phone", "address", "id_number_index", "phone_index")


@admin.register(Rating)
class RatingAdmin(ScopedAdmin):
    list_display = ("case", "attitude", "efficiency", "professionalism", "rated_at")


@admin.register(CaseCallback)
class CaseCallbackAdmin(ScopedAdmin):
    list_display = ("case", "reason", "status", "due_at", "assigned_to")
    list_filter = ("status",)

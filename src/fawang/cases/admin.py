"""The back office for cases: scoped and permitted like every other admin (``ScopedAdminMixin``).

Cases, their steps, events, ratings and callbacks change only through ``fawang.cases.services``,
which keep the event log and the statutory clocks in step, so here they are read-only for every
role (``case.view`` to look; a superuser may still correct a case). Events are read-only even
for superusers: the log is append-only. The rows that hang off a case are scoped through their
case (``case_region_q``), so a handover shows its events to the receiving region as it shows
the case. Parties are registered people: the front desk (``case.intake``) may correct one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from fawang.cases.models import Case, CaseCallback, CaseEvent, CaseStep, Party, Rating
from fawang.cases.selectors import case_region_q
from fawang.core.admin import ReadOnlyAdminMixin, RoleAdminMixin, ScopedAdminMixin

VIEW_ONLY = {"view": "case.view", "add": None, "change": None, "delete": None}


class CaseRowAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A row that belongs to a case: seen by whoever may see the case, written by the services."""

    admin_actions = VIEW_ONLY

    def scope_q(self, code: str) -> Q:
        return case_region_q(code, "case__")


class EventInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = VIEW_ONLY
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "type", "actor_name", "from_status", "to_status", "payload")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = VIEW_ONLY
    model = CaseStep
    extra = 0
    can_delete = False
    fields = ("name", "article", "started_at", "due_at", "state", "paused_total")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Status changes go through services (the API and staff pages); here it is read-mostly."""

    admin_actions = VIEW_ONLY
    list_display = ("number", "item", "channel", "status", "region_code", "service_point", "received_at")
    list_filter = ("status", "channel", "item")
    search_fields = ("number",)
    readonly_fields = ("number", "status", "item", "channel", "region_code", "service_point", "applicant",
                       "first_contact_user", "responsible_user", "handler", "transfer_to", "received_at",
                       "completed_at", "idempotency_key", "query_code", "bundle")
    inlines = [StepInline, EventInline]

    def scope_q(self, code: str) -> Q:
        return case_region_q(code)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # cases are created by intake (services), which numbers them and logs the event

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, CaseRowAdmin):
    list_display = ("at", "case", "type", "actor_name", "region_code")
    list_filter = ("type",)


@admin.register(Party)
class PartyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Masked by default: the list never shows ID numbers or phones. A party is scoped by where it
    was registered (it may stand in several cases); new parties come from intake (``party_create``
    checks the ID number and builds the blind indexes), so the admin only corrects one."""

    admin_actions = {"view": "case.view", "add": None, "change": "case.intake", "delete": None}
    list_display = ("masked_name", "kind", "id_type", "masked_id_number", "masked_phone", "region_code")
    exclude = ("id_number", "phone", "address", "id_number_index", "phone_index")
    readonly_fields = ("user", "created_at")  # a select of every account would list other regions' users


@admin.register(Rating)
class RatingAdmin(CaseRowAdmin):
    list_display = ("case", "attitude", "efficiency", "professionalism", "rated_at")


@admin.register(CaseCallback)
class CaseCallbackAdmin(CaseRowAdmin):
    """Closing a 回访 goes through ``callback_complete``, which logs it on the case."""

    list_display = ("case", "reason", "status", "due_at", "assigned_to")
    list_filter = ("status",)

"""Back office: FAQ editing, the consultation record (read-only: it is evidence), callbacks."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fawang.consultation.models import (
    CallbackRequest,
    ConsultationRecord,
    ConsultationRound,
    FaqEntry,
    SmartConsultation,
)
from fawang.core.admin import GlobalAdminMixin, ReadOnlyAdminMixin, RoleAdminMixin, ScopedAdminMixin
from fawang.core.pii import mask_phone


@admin.register(FaqEntry)
class FaqEntryAdmin(GlobalAdminMixin, admin.ModelAdmin):
    """The FAQ is published nationwide as the department's own answer: kept by those holding
    ``knowledge.edit`` at province level or above (``GlobalAdminMixin``), every edit audited."""

    admin_actions = {"view": "knowledge.edit", "add": "knowledge.edit", "change": "knowledge.edit",
                     "delete": "knowledge.edit"}
    list_display = ("key", "category", "question", "is_published", "updated_at")
    list_filter = ("category", "is_published")
    search_fields = ("key", "question", "answer")
    ordering = ("category", "sort_order", "key")


# The region-bound models below use ``ScopedAdminMixin``, as every business line does: rows
# outside the user's region answer 404 like missing ones, and rights come from the role table.


@admin.register(SmartConsultation)
class SmartConsultationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "consultation.answer"}
    list_display = ("created_at", "channel", "category", "short_question", "region_code", "case_number", "answer_source")
    list_filter = ("channel", "category", "answer_source", "is_demo")
    search_fields = ("question", "case_number")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SmartConsultation._meta.fields]

    @admin.display(description=_("问题"))
    def short_question(self, obj):
        return obj.question[:40]


@admin.register(CallbackRequest)
class CallbackRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # Calling back is hotline work (热线接听与回访); the desks that answer consultations may look.
    admin_actions = {"view": "consultation.answer", "change": "hotline.handle"}
    list_display = ("created_at", "name", "masked_phone", "preferred_time", "status", "region_code")
    list_filter = ("status",)
    readonly_fields = ("consultation", "name", "created_at", "region_code", "masked_phone")
    fields = ("consultation", "name", "masked_phone", "preferred_time", "note", "status", "region_code", "created_at")

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


class ConsultationRoundInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = {"view": "case.view"}  # like its record: read-only, seen with case.view
    model = ConsultationRound
    extra = 0
    can_delete = False
    fields = ("number", "question", "asked_at", "due_at", "answer", "author_name", "answered_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsultationRecord)
class ConsultationRecordAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The staff consultation line, read-only here: every change goes through
    ``services_line`` so that the case events and clocks stay in step."""

    admin_actions = {"view": "case.view"}
    list_display = ("created_at", "case", "channel", "category", "short_question", "mode", "status", "region_code")
    list_filter = ("status", "mode", "channel", "category", "is_demo")
    search_fields = ("question", "case__number")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ConsultationRecord._meta.fields]
    inlines = [ConsultationRoundInline]

    @admin.display(description=_("问题"))
    def short_question(self, obj):
        return obj.question[:40]

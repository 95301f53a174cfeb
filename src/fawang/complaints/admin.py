from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fawang.complaints.models import Complaint
from fawang.core.scoping import restrict


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "status", "target_kind", "region_code")
    list_filter = ("status", "kind", "target_kind")
    readonly_fields = ("case", "status", "related_case")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered through complaints.services (a Case with its events)

    def get_queryset(self, request: HttpRequest) -> Any:
        return restrict(super().get_queryset(request), request.user)

"""Back office for complaints: region-scoped like every business line (``ScopedAdminMixin``: a
complaint outside the user's region answers 404, as a missing one does); rights come from the
role table (``complaint.handle``); complaints are registered through ``complaints.services``."""

from __future__ import annotations

from django.contrib import admin

from fawang.complaints.models import Complaint
from fawang.core.admin import ScopedAdminMixin


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # No add (a complaint is a Case with its events) and no delete (it is a record of the office).
    admin_actions = {"view": "complaint.handle", "change": "complaint.handle"}
    list_display = ("case", "kind", "status", "target_kind", "region_code")
    list_filter = ("status", "kind", "target_kind")
    readonly_fields = ("case", "status", "related_case", "region_code")

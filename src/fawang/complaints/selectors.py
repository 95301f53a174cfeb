"""Reads on complaints: scoped like cases (region of the complaint's case)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fawang.complaints.models import Complaint
from fawang.core.errors import NotFoundOrForbidden
from fawang.core.scoping import restrict


def complaint_list_for_user(user: Any, *, status: str | None = None) -> QuerySet[Complaint]:
    if user is not None and getattr(user, "is_authenticated", False) and user.scope_code is None:
        qs = Complaint.objects.filter(case__citizen_user=user)
    else:
        qs = restrict(Complaint.objects.all(), user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("case", "case__item").order_by("-case__received_at")


def complaint_get_for_user(user: Any, *, number: str) -> Complaint:
    complaint = complaint_list_for_user(user).filter(case__number=number).first()
    if complaint is None:
        raise NotFoundOrForbidden()
    return complaint

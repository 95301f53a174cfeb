"""Reads of the consultation business line, scoped like cases (``fawang.core.scoping``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fawang.cases.models import Case
from fawang.consultation.models import ConsultationRecord, ConsultationRound
from fawang.core.errors import NotFoundOrForbidden
from fawang.core.permissions import require_permission
from fawang.core.scoping import restrict


def line_list(*, user: Any, status: str = "") -> QuerySet[ConsultationRecord]:
    """Consultations in the user's region (staff) — or assigned to them (a lawyer answering)."""
    require_permission(user, "case.view")
    qs = restrict(ConsultationRecord.objects.all(), user)
    if getattr(user, "role", "") == "lawyer":
        qs = ConsultationRecord.objects.filter(assignee=user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("case", "handler", "assignee", "practitioner").order_by("-created_at", "-id")


def line_get(*, user: Any, number: str) -> ConsultationRecord:
    """One consultation by its case number; outside the region (or not assigned) answers 404.

    A citizen sees their own consultation (the case's citizen account)."""
    qs = ConsultationRecord.objects.select_related("case", "case__applicant", "handler", "assignee", "practitioner")
    if getattr(user, "role", "citizen") == "citizen":
        record = qs.filter(case__number=number, case__citizen_user_id=getattr(user, "pk", None)).first()
    else:
        record = line_list(user=user).filter(case__number=number).first()
    if record is None:
        raise NotFoundOrForbidden()
    return record


def rounds_overdue(*, user: Any, now: dt.datetime | None = None) -> QuerySet[ConsultationRound]:
    """Unanswered rounds past their reply deadline in the user's region (for the queue/supervision)."""
    require_permission(user, "case.view")
    now = now or timezone.now()
    return restrict(ConsultationRound.objects.filter(answered_at__isnull=True, due_at__lt=now), user) \
        .select_related("record__case").order_by("due_at")


def linked_cases(record: ConsultationRecord) -> list[Any]:
    """Cases made from this consultation (and any other link), visible from both sides."""
    return list(record.case.linked_cases.select_related("item").order_by("received_at"))


def staff_labelled_questions(*, since: dt.date | None = None, region_prefix: str = "") -> QuerySet[ConsultationRecord]:
    """Consultations whose category a person chose or corrected (``category_by_staff``), oldest
    first: the labelled questions ``export-category-labels`` writes for ``train-classifier``.
    Demo rows and rows without a question are left out."""
    qs = ConsultationRecord.objects.filter(category_by_staff=True, is_demo=False).exclude(category="").exclude(
        question="")
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    if region_prefix:
        qs = qs.filter(region_code__startswith=region_prefix)
    return qs.select_related("case").order_by("created_at", "id")


CONVERT_KEY_PREFIX = "consultation-convert:"


def converted_from_number(case: Case) -> str:
    """The number of the consultation case ``case`` was converted from, or "". Read from the
    conversion's idempotency key, which the new case carries from its first moment (its
    ``form_data`` gets the link only after the case and its first notice exist)."""
    key = case.idempotency_key or ""
    if not key.startswith(CONVERT_KEY_PREFIX):
        return (case.form_data or {}).get("from_consultation", "")
    return key[len(CONVERT_KEY_PREFIX):].rpartition(":")[0]


def cases_converted_from(numbers: list[str]) -> QuerySet[Case]:
    """The cases made by converting the consultation cases ``numbers`` (legal aid, mediation,
    notary …), found by the conversion key each carries."""
    query = Q()
    for number in numbers:
        query |= Q(idempotency_key__startswith=f"{CONVERT_KEY_PREFIX}{number}:")
    return Case.objects.filter(query) if numbers else Case.objects.none()

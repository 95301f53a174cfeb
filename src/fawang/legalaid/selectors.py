"""Reads of the legal aid line. Every list takes the viewing user and is region-scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from fawang.core.permissions import access_object, require_permission
from fawang.core.scoping import region_q, restrict
from fawang.legalaid.allocation import DEFAULT_WINDOW, Candidate, PastAssignment
from fawang.legalaid.choices import AidStatus
from fawang.legalaid.models import AidAssignment, LegalAidApplication, Objection

# What each queue of the staff workbench shows.
QUEUES: dict[str, tuple[str, ...]] = {
    "intake": (AidStatus.RECEIVED, AidStatus.FORWARDED),
    "review": (AidStatus.UNDER_REVIEW, AidStatus.MATERIALS_REQUESTED),
    "assign": (AidStatus.APPROVED,),
    "handling": (AidStatus.ASSIGNED, AidStatus.CLOSING_REPORTED),
    "objections": (AidStatus.OBJECTION_REVIEW,),
}


def application_list(*, user: Any, status: str | None = None, queue: str | None = None) -> QuerySet:
    """Applications in the user's region, oldest deadline first."""
    require_permission(user, "case.view")
    qs = restrict(LegalAidApplication.objects.select_related("case", "center"), user)
    if queue:
        qs = qs.filter(status__in=QUEUES.get(queue, ()))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("decision_due_at", "received_at")


def access_application(*, user: Any, pk: Any) -> LegalAidApplication:
    """The application if it lies in the user's region (404 otherwise, like a missing one)."""
    return access_object(LegalAidApplication.objects.select_related("case", "case__applicant", "center"), user, pk,
                         action="case.view")


def access_objection(*, user: Any, pk: Any) -> Objection:
    return access_object(Objection.objects.select_related("application", "application__case"), user, pk,
                         field="application__region_code", action="case.view")


def aid_lawyer_candidates(*, region_code: str) -> list[Candidate]:
    """Active legal aid lawyers serving the county of ``region_code``; if the county has none,
    its city's (第十八条: services flow across regions where resources are short)."""
    from fawang.directory.choices import ListingStatus
    from fawang.directory.models import Practitioner

    base = Practitioner.objects.filter(is_legal_aid_lawyer=True, status=ListingStatus.ACTIVE)
    rows: list[Any] = []
    for prefix in (region_code[:6], region_code[:4], region_code[:2]):
        if not prefix:
            continue
        rows = list(base.filter(region_q(prefix)))
        if rows:
            break
    return [
        Candidate(
            id=p.pk, name=p.name, specialties=frozenset(p.specialties or []),
            languages=frozenset(p.languages or ["mandarin"]), open_matters=p.current_load,
            years_of_practice=p.years_in_practice or 0,
        )
        for p in rows
    ]


def assignment_history(
    *, candidate_ids: list[int], as_of: dt.datetime, window: dt.timedelta = DEFAULT_WINDOW
) -> list[PastAssignment]:
    rows = AidAssignment.objects.filter(
        practitioner_id__in=candidate_ids, assigned_at__gt=as_of - window, assigned_at__lte=as_of
    ).values_list("practitioner_id", "assigned_at")
    return [PastAssignment(pid, at) for pid, at in rows]

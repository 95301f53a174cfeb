"""Reads on the case spine; every one takes the viewing user (or a citizen's proof)."""

from __future__ import annotations

from typing import Any

from django.db.models import Min, Q, QuerySet

from fawang.cases.choices import OPEN_STATUSES, OPEN_STEP_STATES, CaseStatus
from fawang.cases.models import Case, CaseEvent, CaseStep
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.scoping import region_q

MAX_PROGRESS_FAILURES = 10


def case_region_q(code: str, prefix: str = "") -> Q:
    """Cases inside division ``code`` ("" = everywhere) plus handovers addressed into it.

    ``prefix`` reaches the case from a row that hangs off it (``"case__"`` for its events,
    rating and callbacks), so those rows are scoped exactly like their case.
    """
    if code == "":
        return Q()
    # ``transfer_region_code > ''`` matches the partial index's condition (cases in a handover).
    return region_q(code, f"{prefix}region_code") | (
        Q(**{f"{prefix}transfer_region_code__gt": ""}) & region_q(code, f"{prefix}transfer_region_code"))


def case_scope_q(user: Any) -> Q | None:
    """Cases the user may see: their region subtree plus handovers addressed into it.

    ``None`` when the user sees nothing through regional scope (then: citizens' own cases).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    code = user.scope_code
    if code is None:
        return None
    return case_region_q(code)


def case_list_for_user(
    user: Any,
    *,
    status: str | None = None,
    item_code: str | None = None,
    open_only: bool = False,
    mine: bool = False,
    number: str = "",
) -> QuerySet[Case]:
    scope = case_scope_q(user)
    if scope is None:
        if user is None or not getattr(user, "is_authenticated", False):
            return Case.objects.none()
        qs = Case.objects.filter(citizen_user=user)
    else:
        qs = Case.objects.filter(scope)
    if status:
        qs = qs.filter(status=status)
    if item_code:
        qs = qs.filter(item__code=item_code)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if mine:
        qs = qs.filter(Q(handler=user) | Q(responsible_user=user))
    if number:
        qs = qs.filter(number=number.strip())
    return qs.select_related("item", "service_point", "applicant")


def case_get_for_user(user: Any, *, pk: Any = None, number: str | None = None) -> Case:
    """One case the user may see; missing and out-of-scope both raise NotFoundOrForbidden."""
    qs = case_list_for_user(user)
    try:
        case = qs.filter(pk=pk).first() if pk is not None else qs.filter(number=number or "").first()
    except (TypeError, ValueError):
        case = None
    if case is None:
        raise NotFoundOrForbidden()
    return case


def work_queue_for_user(user: Any, *, mine: bool = False) -> QuerySet[Case]:
    """Open cases in scope, nearest deadline first, with the earliest open step's due time."""
    return (
        case_list_for_user(user, open_only=True, mine=mine)
        .annotate(next_due=Min("steps__due_at", filter=Q(steps__ended_at__isnull=True,
                                                          steps__state__in=OPEN_STEP_STATES)))
        .order_by("next_due", "received_at")
    )


def queue_rows(cases: Any) -> list[dict[str, Any]]:
    """Queue rows with the worst SLA state of each case's open steps (for colouring)."""
    cases = list(cases)
    order = {"overdue": 3, "warning": 2, "paused": 1, "ok": 0}
    worst: dict[int, str] = {}
    for case_id, state in CaseStep.objects.filter(
        case_id__in=[c.pk for c in cases], ended_at__isnull=True
    ).values_list("case_id", "state"):
        if order.get(state, 0) >= order.get(worst.get(case_id, "ok"), 0):
            worst[case_id] = state
    return [{"case": c, "sla": worst.get(c.pk, "ok")} for c in cases]


def case_events_for_user(user: Any, case: Case) -> QuerySet[CaseEvent]:
    case_get_for_user(user, pk=case.pk)
    return CaseEvent.objects.filter(case=case).order_by("at", "id")


def case_progress_for_citizen(case_number: str, verification: str) -> dict[str, Any]:
    """The citizen's progress view, built from public events only.

    ``verification`` is the query code given at intake, or the last four digits of the
    applicant's phone. A wrong pair answers like a missing case.
    """
    from django.core.cache import cache

    number = (case_number or "").strip()
    code = (verification or "").strip()
    # The query code is short: after MAX_PROGRESS_FAILURES wrong answers for one number the
    # lookup is closed for an hour (per cache; a shared cache makes it global).
    failures_key = f"cases:progress-failures:{number}"
    if cache.get(failures_key, 0) >= MAX_PROGRESS_FAILURES:
        from django.utils.translation import gettext as _

        exc = DomainError("too_many_attempts", _("查询验证失败次数过多，请一小时后再试或拨打12348咨询。"))
        exc.status_code = 429
        raise exc
    case = Case.objects.select_related("item", "applicant").filter(number=number).first() if number else None
    phone = case.applicant.phone if case is not None and case.applicant_id else ""
    if case is None or not code or not (
        code == case.query_code or (len(code) == 4 and phone and phone.endswith(code))
    ):
        if number:
            cache.add(failures_key, 0, timeout=3600)
            try:
                cache.incr(failures_key)
            except ValueError:
                cache.set(failures_key, 1, timeout=3600)
        raise NotFoundOrForbidden()
    events = list(CaseEvent.objects.filter(case=case, public=True).order_by("at", "id"))
    status = CaseStatus.RECEIVED
    for event in events:
        if event.to_status:
            status = event.to_status
    return {
        "number": case.number,
        "item": case.item.name,
        "status": status,
        "status_label": str(CaseStatus(status).label),
        "steps": [{"at": e.at, "type": e.type, "label": e.label} for e in events],
    }

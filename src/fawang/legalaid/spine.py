"""Spine steps performed under a business line's own permission.

The step services of ``fawang.cases.services`` (``case_accept``, ``case_request_materials``,
``case_transfer_accept``, ``case_withdraw``, ``case_complete`` …) authorize with the generic
``case.*`` actions, which the legal aid reviewer/approver roles do not hold (they hold
``legalaid.*``; people's mediators hold ``mediation.handle`` but not ``case.intake``). These
wrappers make the same spine moves — same target status, same event type, same payload — through
``cases.services.case_transition``/``case_create_or_get``, passing the business line's action so
the region and role check is the line's. No CaseEvent is written here directly.

(Gap for the cases app: an ``action`` keyword on its step services would make this module
unnecessary.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.cases import events as ev
from fawang.cases import services as cs
from fawang.cases.choices import CaseStatus
from fawang.cases.models import Case, CaseEvent, CaseStep
from fawang.core.errors import DomainError
from fawang.core.permissions import has_permission


def create_case(*, actor: Any, action: str, region_code: str, **kwargs: Any) -> tuple[Case, bool]:
    """``case_create_or_get`` for an actor who holds ``action`` but perhaps not ``case.intake``.

    Staff are authorized for ``action`` in the region first; if their role lacks the generic
    intake action the case is registered by the system and the first spine step they take
    (accept, …) carries their name.
    """
    is_staff = actor is not None and getattr(actor, "role", "citizen") != "citizen"
    if is_staff:
        cs.authorize(actor, action, region_code)
        if not has_permission(actor, "case.intake"):
            return cs.case_create_or_get(actor=None, region_code=region_code, **kwargs)
    return cs.case_create_or_get(actor=actor, region_code=region_code, **kwargs)


def accept(*, case: Case, actor: Any, action: str, at: dt.datetime | None = None) -> CaseEvent:
    handler = actor if actor is not None and getattr(actor, "pk", None) else None
    return cs.case_transition(
        case=case, to_status=CaseStatus.ACCEPTED, actor=actor, event_type=ev.ACCEPTED, action=action, at=at,
        changes={"handler": handler}, payload={"handler": cs._actor_fields(actor)["actor_name"]},
    )


def transfer_accept(*, case: Case, actor: Any, action: str) -> CaseEvent:
    fresh = Case.objects.select_related("transfer_to").get(pk=case.pk)
    if fresh.transfer_to is None:
        raise DomainError("no_transfer", _("该案件没有待接收的转办。"))
    target = fresh.transfer_to
    cs.authorize(actor, action, target.region_code)
    event = cs.case_transition(
        case=case, to_status=CaseStatus.RECEIVED, actor=actor, event_type=ev.TRANSFER_ACCEPTED, action=action,
        extra_regions=(target.region_code,),
        changes={"service_point": target, "region_code": target.region_code, "responsible_user": actor,
                 "handler": None, "transfer_to": None, "transfer_region_code": "", "resume_status": ""},
        payload={"service_point": target.code, "region_code": target.region_code},
    )
    CaseStep.objects.filter(case_id=case.pk).update(region_code=target.region_code)
    return event


def request_materials(*, case: Case, actor: Any, action: str, materials: Sequence[str], note: str = "") -> CaseEvent:
    return cs.case_transition(
        case=case, to_status=CaseStatus.AWAITING_MATERIALS, actor=actor, event_type=ev.MATERIALS_REQUESTED,
        action=action, changes={"resume_status": case.status}, payload={"materials": list(materials), "note": note},
    )


def materials_received(*, case: Case, actor: Any, action: str, received: Sequence[str] = ()) -> CaseEvent:
    target = Case.objects.filter(pk=case.pk).values_list("resume_status", flat=True).first() or CaseStatus.RECEIVED
    return cs.case_transition(
        case=case, to_status=target, actor=actor, event_type=ev.MATERIALS_RECEIVED, action=action,
        changes={"resume_status": ""}, payload={"received": list(received)},
    )


def withdraw(*, case: Case, actor: Any, action: str, reason: str = "") -> CaseEvent:
    return cs.case_transition(
        case=case, to_status=CaseStatus.WITHDRAWN, actor=actor, event_type=ev.WITHDRAWN, action=action,
        payload={"reason": (reason or "").strip()}, changes={"completed_at": timezone.now()},
    )


def complete(*, case: Case, actor: Any, action: str, result: str, event_type: str = ev.COMPLETED) -> CaseEvent:
    return cs.case_transition(
        case=case, to_status=CaseStatus.COMPLETED, actor=actor, event_type=event_type, action=action,
        changes={"result": result, "completed_at": timezone.now()}, payload={"result": result},
    )


def deliver(*, case: Case, actor: Any, action: str, note: str = "") -> CaseEvent:
    case.refresh_from_db(fields=["result"])
    return cs.case_transition(
        case=case, to_status=CaseStatus.DELIVERED, actor=actor, event_type=ev.RESULT_DELIVERED, action=action,
        payload={"result": case.result, "note": note},
    )

"""Spine steps performed under a business line's own permission.

The spine's step services authorize with the generic ``case.*`` actions by default, which the
legal aid reviewer/approver roles do not hold (they hold ``legalaid.*``; people's mediators hold
``mediation.handle`` but not ``case.intake``). Most step services take an ``action`` override and
are simply called with the line's action; three moves still need a wrapper here, made through
``cases.services.case_transition``/``case_create_or_get`` with the same target status, event type
and payload as the spine's own service: intake (``case_create_or_get`` checks ``case.intake``),
accept at a given time (``case_accept`` has no ``at``) and taking over a transfer
(``case_transfer_accept`` has no ``action``). No CaseEvent is written here directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

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
    return cs.case_request_materials(case=case, actor=actor, materials=materials, note=note, action=action)


def materials_received(*, case: Case, actor: Any, action: str, received: Sequence[str] = ()) -> CaseEvent:
    return cs.case_materials_received(case=case, actor=actor, received=received, action=action)


def withdraw(*, case: Case, actor: Any, action: str, reason: str = "") -> CaseEvent:
    return cs.case_withdraw(case=case, actor=actor, reason=reason, action=action)


def complete(*, case: Case, actor: Any, action: str, result: str) -> CaseEvent:
    return cs.case_complete(case=case, actor=actor, result=result, action=action)


def deliver(*, case: Case, actor: Any, action: str, note: str = "") -> CaseEvent:
    case.refresh_from_db(fields=["result"])
    return cs.case_deliver_result(case=case, actor=actor, note=note, action=action)

"""Deprecated: spine steps under a business line's own permission.

The cases services now take what the wrappers here used to supply — ``case_create_or_get(action=…)``,
``case_accept(action=…, at=…)``, ``case_transfer_accept(action=…)`` and the ``action`` of every
step service — and the legal aid line calls them directly. The names below remain only as plain
aliases for callers outside legal aid that still import them (``mediation.services``, a legal aid
test); they add no logic of their own. New code: call ``fawang.cases.services``.
"""

from __future__ import annotations

from typing import Any

from fawang.cases import services as cs
from fawang.cases.models import Case, CaseEvent

create_case = cs.case_create_or_get
accept = cs.case_accept
transfer_accept = cs.case_transfer_accept
request_materials = cs.case_request_materials
materials_received = cs.case_materials_received
withdraw = cs.case_withdraw
complete = cs.case_complete


def deliver(*, case: Case, actor: Any, action: str, note: str = "") -> CaseEvent:
    # The caller's Case instance may predate the completion that set ``result``.
    case.refresh_from_db(fields=["result"])
    return cs.case_deliver_result(case=case, actor=actor, note=note, action=action)

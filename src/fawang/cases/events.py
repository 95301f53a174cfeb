"""The one registry of case event types, declared with their metadata.

Every ``CaseEvent.type`` must be registered here (or by a business line through
``register_event_type`` at import time of its ``events.py``/``apps.ready``); appending an
unknown type is an error. The metadata drives the generic machinery so that no reader of the
log needs a hook inside a business line:

* ``public``: shown to the citizen in the progress view (``case_progress_for_citizen``).
* ``pauses_clock`` / ``resumes_clock``: pause or resume every open SLA step of the case.
* ``stops_clocks``: close every open step (the case ended).
* ``notify_citizen``: enqueue a message on the citizen's channel (O4), text ``notice``.

Step-specific clocks are started and stopped by the item's ``time_limits`` (``start_event`` /
``stop_events``), so a business line only appends its own events.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    code: str
    label: str | Promise
    public: bool = True
    pauses_clock: bool = False
    resumes_clock: bool = False
    stops_clocks: bool = False
    notify_citizen: bool = False
    notice: str | Promise = ""


_REGISTRY: dict[str, EventType] = {}


def register_event_type(event_type: EventType) -> EventType:
    """Declare an event type; codes are ``<app>.<verb>`` and declared once."""
    if "." not in event_type.code:
        raise ValueError(f"event type code must be '<app>.<name>': {event_type.code!r}")
    existing = _REGISTRY.get(event_type.code)
    if existing is not None and existing != event_type:
        raise ValueError(f"event type {event_type.code!r} declared twice with different metadata")
    if event_type.pauses_clock and event_type.resumes_clock:
        raise ValueError(f"event type {event_type.code!r} cannot both pause and resume the clock")
    _REGISTRY[event_type.code] = event_type
    return event_type


def get_event_type(code: str) -> EventType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"unknown case event type {code!r}; declare it with register_event_type") from None


def event_types() -> dict[str, EventType]:
    return dict(_REGISTRY)


def _reg(code: str, label: str | Promise, **kwargs: object) -> str:
    register_event_type(EventType(code, label, **kwargs))  # type: ignore[arg-type]
    return code


# Spine events (codes are stable: supervision, statistics and the exchange read them).
RECEIVED = _reg("case.received", _("登记接收"), notify_citizen=True,
                notice=_("您的申请已登记，案件编号 {number}，查询码 {query_code}。"))
ACCEPTED = _reg("case.accepted", _("受理"), notify_citizen=True, notice=_("您的申请（{number}）已受理。"))
REJECTED = _reg("case.rejected", _("不予受理"), stops_clocks=True, notify_citizen=True,
                notice=_("您的申请（{number}）不予受理：{reason}"))
ASSIGNED = _reg("case.assigned", _("分派承办人"), public=False)
STARTED = _reg("case.started", _("开始办理"))
MATERIALS_REQUESTED = _reg(
    "case.materials_requested", _("一次性告知补正材料"), pauses_clock=True, notify_citizen=True,
    notice=_("您的申请（{number}）需补充以下材料：{materials}。补齐后办理时限继续计算。"),
)
MATERIALS_RECEIVED = _reg("case.materials_received", _("材料补正齐全"), resumes_clock=True)
TRANSFERRED = _reg("case.transferred", _("转办"), notify_citizen=True,
                   notice=_("您的申请（{number}）已转至{target}办理。"))
TRANSFER_ACCEPTED = _reg("case.transfer_accepted", _("接收转办"))
TRANSFER_REFUSED = _reg("case.transfer_refused", _("退回转办"), public=False)
COMPLETED = _reg("case.completed", _("办结"), stops_clocks=True)
RESULT_DELIVERED = _reg("case.result_delivered", _("反馈结果"), notify_citizen=True,
                        notice=_("您的申请（{number}）已办结：{result}"))
WITHDRAWN = _reg("case.withdrawn", _("撤回"), stops_clocks=True)
RATED = _reg("case.rated", _("满意度评价"))
CALLBACK_OPENED = _reg("case.callback_opened", _("生成回访任务"), public=False)
CALLBACK_DONE = _reg("case.callback_done", _("完成回访"), public=False)
NOTE = _reg("case.note", _("工作记录"), public=False)
ATTACHMENT_ADDED = _reg("case.attachment_added", _("收取材料"), public=False)
COMPLAINED = _reg("case.complained", _("被投诉"), public=False)
ESCALATED = _reg("case.escalated", _("督办"), public=False)
LINKED = _reg("case.linked", _("关联案件"), public=False)
SLA_WARNING = _reg("case.sla_warning", _("办理时限临期预警"), public=False)
SLA_OVERDUE = _reg("case.sla_overdue", _("办理超期"), public=False)

"""Case event types of the legal aid line, declared once (``cases.events`` registry).

Spine moves use the spine's own events (case.received, case.accepted, case.transferred,
case.materials_requested, case.withdrawn, case.completed …); these are the steps only legal aid
has. Codes are stable: supervision and statistics read them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fawang.cases.events import EventType, register_event_type


def _reg(code: str, label: object, **kwargs: object) -> str:
    register_event_type(EventType(code, label, **kwargs))  # type: ignore[arg-type]
    return code


DETAINED_RECEIVED = _reg("legalaid.detained_received", _("收到被羁押人员法律援助申请（第三十九条）"), public=False)
NOTIFIED = _reg("legalaid.notified", _("收到通知辩护/代理公函（第三十六条）"), public=False)
HARDSHIP_CHECKED = _reg("legalaid.hardship_checked", _("经济困难状况审查"), public=False)
APPROVED = _reg(
    "legalaid.approved", _("决定给予法律援助"), notify_citizen=True,
    notice=_("您的法律援助申请（{number}）经审查，决定给予法律援助，将在三日内指派法律援助人员。"),
)
REFUSED = _reg(
    "legalaid.refused", _("决定不予法律援助"), notify_citizen=True,
    notice=_("您的法律援助申请（{number}）经审查，决定不予法律援助：{reason}。如有异议，可向司法行政部门提出。"),
)
FAST_TRACKED = _reg("legalaid.fast_tracked", _("先行提供法律援助（第四十四条）"))
ASSIGNED = _reg(
    "legalaid.assigned", _("指派法律援助人员"), notify_citizen=True,
    notice=_("您的法律援助案件（{number}）已指派法律援助人员承办。"),
)
REASSIGNED = _reg("legalaid.reassigned", _("更换法律援助人员（第五十五条）"))
FORMALITIES_COMPLETED = _reg("legalaid.formalities_completed", _("补办法律援助手续"))
OBJECTION_FILED = _reg("legalaid.objection_filed", _("提出异议（第四十九条）"))
OBJECTION_DECIDED = _reg(
    "legalaid.objection_decided", _("异议审查决定"), notify_citizen=True,
    notice=_("您对法律援助决定提出的异议（{number}）已审查：{result}"),
)
TERMINATED = _reg(
    "legalaid.terminated", _("终止法律援助（第四十八条）"), notify_citizen=True,
    notice=_("您的法律援助案件（{number}）已终止法律援助：{reason}。如有异议，可向司法行政部门提出。"),
)
TERMINATION_REPORTED = _reg("legalaid.termination_reported", _("法律援助人员报告终止情形（第四十八条第二款）"),
                            public=False)
PROGRESS_REPORTED = _reg(
    "legalaid.progress_reported", _("通报办理情况（第四十六条）"), notify_citizen=True,
    notice=_("您的法律援助案件（{number}）办理情况：{result}"),
)
CLOSING_REPORTED = _reg("legalaid.closing_reported", _("提交结案报告（第五十条）"))
QUALITY_REVIEWED = _reg("legalaid.quality_reviewed", _("质量评查（第五十九条）"), public=False)
SUBSIDY_RECORDED = _reg("legalaid.subsidy_recorded", _("核定法律援助补贴（第五十二条）"), public=False)

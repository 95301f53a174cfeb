"""Case event types of the people's mediation line, declared once (``cases.events``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fawang.cases.events import EventType, register_event_type


def _reg(code: str, label: object, **kwargs: object) -> str:
    register_event_type(EventType(code, label, **kwargs))  # type: ignore[arg-type]
    return code


REFERRED = _reg("mediation.referred", _("法院、公安机关告知/移交调解（第十八条）"), public=False)
REFUSED = _reg(
    "mediation.refused", _("当事人拒绝调解（第十七条）"), stops_clocks=True, notify_citizen=True,
    notice=_("您申请的人民调解（{number}）因一方当事人明确拒绝调解，依法不予调解。{reason}"),
)
MEDIATOR_ASSIGNED = _reg("mediation.mediator_assigned", _("指定/选定人民调解员（第十九条）"))
PARTICIPANT_INVITED = _reg("mediation.participant_invited", _("邀请有关人员参与调解（第二十条）"), public=False)
SESSION_RECORDED = _reg("mediation.session_recorded", _("调解记录（第二十七条）"))
RISK_REPORTED = _reg("mediation.risk_reported", _("纠纷激化风险报告（第二十五条）"), public=False)
FAILED = _reg(
    "mediation.failed", _("调解不成，终止调解（第二十六条）"), notify_citizen=True,
    notice=_("您的人民调解（{number}）调解不成已终止。{reason}"),
)
AGREED = _reg(
    "mediation.agreed", _("达成调解协议（第二十八条、第二十九条）"), notify_citizen=True,
    notice=_("您的人民调解（{number}）已达成调解协议。"),
)
AGREEMENT_EFFECTIVE = _reg("mediation.agreement_effective", _("调解协议生效（第二十九条第二款）"))
PERFORMANCE_CHECKED = _reg("mediation.performance_checked", _("协议履行回访（第三十一条）"))
JUDICIALLY_CONFIRMED = _reg("mediation.judicially_confirmed", _("人民法院司法确认（第三十三条）"))

"""Case event types this app appends to the consultation Case (declared once, see cases.events)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fawang.cases.events import EventType, register_event_type

ANSWERED = "consultation.answered"
CALLBACK_REQUESTED = "consultation.callback_requested"

register_event_type(EventType(ANSWERED, _("智能咨询已答复")))
register_event_type(EventType(CALLBACK_REQUESTED, _("申请人工回电"), public=True))

# The staff consultation line (咨询业务线, services_line.py).
STAFF_ANSWERED = "consultation.staff_answered"
LINE_ESCALATED = "consultation.escalated"
ROUND_ASKED = "consultation.round_asked"
ROUND_ANSWERED = "consultation.round_answered"
CONVERTED = "consultation.converted"
CONVERTED_FROM = "consultation.converted_from"
ROUND_OVERDUE = "consultation.round_overdue"
APPLICANT_ADDED = "consultation.applicant_added"
CATEGORY_SET = "consultation.category_set"

register_event_type(EventType(STAFF_ANSWERED, _("工作人员解答")))
register_event_type(EventType(
    LINE_ESCALATED, _("转律师或专家多轮解答"), notify_citizen=True,
    notice=_("您的咨询（{number}）已转由律师或法律专家进一步解答，我们将按期答复您。"),
))
register_event_type(EventType(ROUND_ASKED, _("追问")))
register_event_type(EventType(
    ROUND_ANSWERED, _("律师或专家答复"), notify_citizen=True,
    notice=_("您的咨询（{number}）有新的答复：{result}"),
))
register_event_type(EventType(
    CONVERTED, _("转为其他服务办理"), notify_citizen=True,
    notice=_("您的咨询（{number}）已转为：{result}"),
))
register_event_type(EventType(CONVERTED_FROM, _("由法律咨询转来"), public=False))
register_event_type(EventType(ROUND_OVERDUE, _("律师或专家答复超期"), public=False))
register_event_type(EventType(APPLICANT_ADDED, _("登记咨询人身份信息"), public=False))
register_event_type(EventType(CATEGORY_SET, _("更正问题分类"), public=False))

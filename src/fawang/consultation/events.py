"""Case event types this app appends to the consultation Case (declared once, see cases.events)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fawang.cases.events import EventType, register_event_type

ANSWERED = "consultation.answered"
CALLBACK_REQUESTED = "consultation.callback_requested"

register_event_type(EventType(ANSWERED, _("智能咨询已答复")))
register_event_type(EventType(CALLBACK_REQUESTED, _("申请人工回电"), public=True))
